"""Statistics after bulk writes: a table loaded in bulk is planned with statistics at once.

PostgreSQL plans a statement from the table's statistics, which only ``ANALYZE`` (or
autovacuum, within about a minute of a large change) gathers. A table created and loaded in
bulk has none, and the planner then guesses: an ``as_of`` read over a long history, which
with statistics is one backward probe of the ``(id, valid_from)`` index, was measured 15-20
times slower until the table was analyzed (it combined the tenant's whole index with the
id's and sorted a thousand versions).

So once the bulk writes of one ``Database`` have written ``analyze_after_bulk`` rows (1,000
by default) to a table, storied asks once whether PostgreSQL has ever analyzed it, and if
not, runs ``ANALYZE`` on it (and on the model's audit or identity table). This runs after the
write, outside its transaction when the write had its own (a write inside
``db.transaction()`` runs it in that transaction; ANALYZE sees the transaction's own rows).
Each table is asked about at most once per ``Database``; after that it costs a dictionary
look-up per bulk call. Backends whose statistics need no help have no ``never_analyzed``
query, and nothing is counted there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ops.requests import Exec, Operation, Statement
from ..sql.analyze import Analyze

if TYPE_CHECKING:
    from .base import RepositoryBase

#: ``bulk_rows`` value of a table known to have statistics
KNOWN = -1


def due(repo: RepositoryBase[Any], rows: int) -> tuple[sa.Table, ...]:
    """Count a bulk write of ``rows`` rows to the model's tables: those whose count just
    reached ``analyze_after_bulk``, to be asked about (each once per ``Database``)."""
    db = repo.db
    threshold = db.analyze_after_bulk
    if threshold is None or db._backend().capabilities.never_analyzed is None:
        return ()
    mapped = repo.mapped
    counts = db.bulk_rows
    found = []
    extra = (t for t in (mapped.audit_table, mapped.identity_table) if t is not None)
    for table in (mapped.table, *extra):
        name = table.fullname
        seen = counts.get(name, 0)
        if seen == KNOWN:
            continue
        seen += rows
        counts[name] = KNOWN if seen >= threshold else seen  # asked once, whatever the answer
        if seen >= threshold:
            found.append(table)
    return tuple(found)


def analyze(repo: RepositoryBase[Any], tables: tuple[sa.Table, ...]) -> Operation[None]:
    """``ANALYZE`` each of ``tables`` that PostgreSQL has never analyzed."""
    caps = repo.db._backend().capabilities
    assert caps.never_analyzed is not None
    assert caps.analyze is not None
    for table in tables:
        params = {"name": table.fullname}
        found = yield Exec(Statement(_never_analyzed, (caps.never_analyzed,)), params, True)
        if found.rows and found.rows[0][0]:
            yield Exec(Statement(_analyze, (caps.analyze, table)))


def _never_analyzed(sql: str) -> sa.TextClause:
    return sa.text(sql)


def _analyze(template: str, table: sa.Table) -> Analyze:
    return Analyze(template, table)
