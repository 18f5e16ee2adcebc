"""``prune_history`` on partitioned history tables: drop whole month partitions.

A month partition lies entirely before ``older_than`` when its month ends at or before it;
every row in it is then one prune would delete (audit rows written, versions closed, in that
month), so the partition is dropped instead: no row-by-row DELETE, no bloat. The DELETE that
follows removes only the rows of the boundary month (and of the DEFAULT partition).

A partition holds every tenant's rows, so partitions are dropped only when the repository's
scope covers every tenant (``unscoped=True``, or a model without tenants); a tenant's own
prune deletes its rows one by one, as on an unpartitioned table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import sqlalchemy as sa

from ..mapping.partitions import PARTITIONS_SQL, catalog_params, month_of, next_month, partitioned
from ..mapping.registry import MappedModel
from ..ops.requests import Begin, Exec, Operation, Statement
from ..sql.drop import DropTable
from ..tenancy.scope import Scope

#: which of a model's tables is partitioned: the audit table or the versions table
Role = Literal["audit", "versions"]


def _table(mapped: MappedModel, role: Role) -> sa.Table:
    table = mapped.audit_table if role == "audit" else mapped.table
    assert table is not None
    return table


def drop_old_partitions(
    mapped: MappedModel, role: Role, scope: Scope, older_than: dt.datetime
) -> Operation[int]:
    """Drop the partitions entirely before ``older_than``; returns the rows they held.

    Opens the transaction (or joins the caller's) that the prune's DELETE then runs in:
    PostgreSQL's DDL is transactional, so a failed prune drops nothing."""
    table = _table(mapped, role)
    if partitioned(table) is None or scope.filters():
        return 0
    yield Begin()
    found = yield Exec(Statement(partitions_stmt, ()), catalog_params(table), fetch=True)
    dropped = 0
    for (name,) in found.rows:
        start = month_of(table.name, name)
        if start is None or next_month(start) > older_than:
            continue
        counted = yield Exec(Statement(count_stmt, (mapped, role, name)), {}, fetch=True)
        dropped += int(counted.rows[0][0])
        yield Exec(Statement(drop_stmt, (mapped, role, name)), {})
    return dropped


def partitions_stmt() -> sa.TextClause:
    """The partitions of the table ``:name`` in ``:schema``, by name."""
    return sa.text(PARTITIONS_SQL)


def _partition(mapped: MappedModel, role: Role, name: str) -> sa.TableClause:
    return sa.table(name, schema=_table(mapped, role).schema)


def count_stmt(mapped: MappedModel, role: Role, name: str) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(_partition(mapped, role, name))


def drop_stmt(mapped: MappedModel, role: Role, name: str) -> DropTable:
    return DropTable(_partition(mapped, role, name))
