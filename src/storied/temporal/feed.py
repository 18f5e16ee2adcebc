"""The resumable change feed: every committed change of history-keeping models, by cursor.

It reads the history storied already writes, so writes pay nothing for it: the audit rows of
``copy_on_change`` models (one change set = one change) and the versions of ``scd2`` models
(one version = one change). Within a model the changes come in the order of their row ids; the
cursor keeps, per model, the id of the last change handed out (``feed_cursor.py``).

Ids alone would miss changes under concurrency: a transaction takes its ids (and its "now")
when it writes and becomes visible only when it commits, so a reader could pass an id whose
row commits later. So each read first fixes a *horizon*, the id up to which every id is final,
and hands out only ids up to it (``Capabilities.feed_horizon``):

- "serial" (SQLite): writers hold the database's one write lock from their first write to
  their COMMIT, so ids are handed out in commit order: the highest id visible is final.
- "snapshot" (PostgreSQL), "listed" (MariaDB/MySQL): the read takes the highest ids, then the
  open writing transactions (``sql/writers.py``). A transaction that holds a lower id and has
  not committed is on that list (storied writes a row before its history row, so it has its
  own id first); those highest ids are final once all of it has ended, which a later read
  sees: until then the cursor carries them (``feed_cursor.settle``). "listed" comes from a
  cache (INNODB_TRX) and counts only when it shows the reader's own transaction, begun after
  the highest ids were read.

A change set's head (its first audit row) is its position: the page takes the first ``limit``
heads after the cursor, then all of their rows.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ops.changes import ChangeEvent
from ..ops.requests import Begin, Exec, Operation, Statement
from ..query.scoping import tenant_predicates
from ..sql.writers import OpenWriters
from ..tenancy.scope import Scope, shaped
from .audit import decode
from .feed_cursor import FeedState, encode_cursor, settle
from .version_feed import version_change
from .versions import RECORDED_AS

if TYPE_CHECKING:
    from ..dialects.base import Capabilities
    from ..mapping.registry import MappedModel


@dataclass(frozen=True, slots=True)
class ChangePage:
    """What ``db.changes.read`` returns: the changes after the cursor, and the cursor to
    store once they are processed.

    ``pending`` is True when the feed waits for transactions that were open at a read (their
    changes, and the ones committed after them, come once they end): read again soon. It
    says nothing about changes beyond ``limit``; a full page means there may be more.
    """

    changes: tuple[ChangeEvent, ...]
    cursor: str
    pending: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """One model in the feed, read in one scope."""

    mapped: MappedModel
    scope: Scope

    @property
    def table(self) -> sa.Table:
        t = self.mapped.audit_table
        return self.mapped.table if t is None else t

    @property
    def position(self) -> sa.Column[Any]:
        return self.table.c.audit_id if self.mapped.audit_table is not None else self.table.c.row_id


#: times a "listed" horizon asks again for a listing that does not show its own transaction
LISTING_TRIES = 3


def read_feed(
    sources: Sequence[Source], state: FeedState, limit: int, caps: Capabilities
) -> Operation[ChangePage]:
    """Up to ``limit`` changes after the cursor's positions, merged across ``sources`` by time
    (each model's own changes stay in their order), and the cursor after them."""
    if not sources:
        return ChangePage((), encode_cursor(state))
    statement = Statement(horizon_stmt, (tuple(s.position for s in sources),))
    row = (yield Exec(statement, fetch=True)).rows[0]
    highest = {s.mapped.key: n or 0 for s, n in zip(sources, row, strict=True)}
    if caps.feed_horizon == "serial":
        state = FeedState(state.positions, highest, ())
    else:
        # after the highest ids: a writer that held a lower id is listed now, or has ended
        running = yield from _open_writers(statement, caps)
        if running is not None:
            state = settle(state, highest, running)
    streams: list[list[tuple[int, ChangeEvent]]] = []
    for source in sources:
        after = state.positions.get(source.mapped.key, 0)
        upto = state.final.get(source.mapped.key, 0)
        streams.append((yield from _page(source, after, upto, limit)) if upto > after else [])
    out: list[ChangeEvent] = []
    moved = dict(state.positions)
    keyed = [[(e.at, i, pos, e) for pos, e in s] for i, s in enumerate(streams)]
    for _, i, pos, e in heapq.merge(*keyed, key=lambda item: item[0]):
        if len(out) == limit:
            break
        out.append(e)
        moved[sources[i].mapped.key] = pos
    cursor = encode_cursor(FeedState(moved, state.final, state.waiting))
    return ChangePage(tuple(out), cursor, bool(state.waiting))


def _open_writers(horizon: Statement, caps: Capabilities) -> Operation[frozenset[int] | None]:
    """The open writing transactions; None when no fresh listing came (then this read's ids
    are not kept: the next read takes its own)."""
    if caps.feed_horizon == "listed":
        for sql in caps.feed_listing_setup:
            yield Exec(Statement(sa.text, (sql,)))
        yield Begin(write=False)
        yield Exec(horizon, fetch=True)  # the reader's transaction begins after the ids read
    for _ in range(LISTING_TRIES):
        listed: str = (yield Exec(Statement(open_writers_stmt), fetch=True)).rows[0][0]
        fresh, _, ids = listed.partition(":")
        if fresh == "1":
            return frozenset(int(x) for x in ids.split(",") if x)
        if caps.feed_listing_pause is None:
            break
        yield Exec(Statement(sa.text, (caps.feed_listing_pause,)))
    return None


def _page(
    source: Source, after: int, upto: int, limit: int
) -> Operation[list[tuple[int, ChangeEvent]]]:
    mapped, scope = source.mapped, source.scope
    params = {"_after": after, "_upto": upto, "_limit": limit, **scope.params()}
    if mapped.audit_table is not None:
        result = yield Exec(Statement(audit_feed_stmt, (mapped, scope.shape)), params, fetch=True)
        return _change_sets(mapped, result.rows)
    result = yield Exec(Statement(version_feed_stmt, (mapped, scope.shape)), params, fetch=True)
    return _versions(mapped, result.rows)


def horizon_stmt(positions: tuple[sa.Column[Any], ...]) -> sa.Select[Any]:
    """The highest position of each table (NULL for an empty one)."""
    return sa.select(*(sa.select(sa.func.max(c)).scalar_subquery() for c in positions))


def open_writers_stmt() -> sa.Select[Any]:
    return sa.select(OpenWriters())


def _bounds(column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[bool]]:
    return [column > sa.bindparam("_after", type_=column.type), column <= sa.bindparam("_upto")]


def _limit() -> sa.BindParameter[int]:
    return sa.bindparam("_limit", type_=sa.Integer())


def audit_feed_stmt(mapped: MappedModel, scope_shape: Hashable) -> sa.Select[Any]:
    """The rows of the first ``_limit`` change sets whose head lies in (_after, _upto]."""
    assert mapped.audit_table is not None
    table, scope, tenant = mapped.audit_table, shaped(scope_shape), mapped.spec.options.tenant
    head, earlier = table.alias("head"), table.alias("earlier")

    def same(a: Any, b: Any) -> list[sa.ColumnElement[bool]]:
        keys = ["tenant_id", "record_id", "change_set"] if tenant else ["record_id", "change_set"]
        return [a.c[k] == b.c[k] for k in keys]

    first = ~sa.exists().where(*same(earlier, head), earlier.c.audit_id < head.c.audit_id)
    keys = [head.c.tenant_id] if tenant else []
    page = (
        sa.select(head.c.audit_id.label("head"), *keys, head.c.record_id, head.c.change_set)
        .where(*_bounds(head.c.audit_id), *tenant_predicates(mapped, scope, head), first)  # type: ignore[arg-type]
        .order_by(head.c.audit_id)
        .limit(_limit())
        .subquery("page")
    )
    c = table.c
    return (
        sa.select(page.c.head, *([c.tenant_id] if tenant else [sa.null()]), c.record_id)
        .add_columns(c.operation, c.field, c.old_value, c.new_value, c.actor, c.changed_at)
        .select_from(page.join(table, sa.and_(*same(table, page))))
        .order_by(page.c.head, c.audit_id)
    )


def _change_sets(mapped: MappedModel, rows: Sequence[Any]) -> list[tuple[int, ChangeEvent]]:
    spec = mapped.spec
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    out = []
    for position, group in groups.items():
        _, tenant, record_id, operation, _, _, _, actor, at = group[0]
        changes = {
            r[4]: (decode(spec, r[4], r[5]), decode(spec, r[4], r[6]))
            for r in group
            if r[4] is not None
        }
        frozen = MappingProxyType(changes)
        event = ChangeEvent(
            spec.model, record_id, tenant, operation, tuple(changes), frozen, actor, at
        )
        out.append((position, event))
    return out


def version_feed_stmt(mapped: MappedModel, scope_shape: Hashable) -> sa.Select[Any]:
    """Versions in (_after, _upto], each joined with the version before it."""
    t = mapped.table
    prev = t.alias("prev")
    joined = t.outerjoin(prev, sa.and_(prev.c.id == t.c.id, prev.c.version == t.c.version - 1))
    before = [prev.c.row_id, *(prev.c[c.key] for c in mapped.columns)]
    return (
        sa.select(t.c.row_id, *mapped.columns, t.c.valid_from, t.c[RECORDED_AS], *before)
        .select_from(joined)
        .where(*_bounds(t.c.row_id), *tenant_predicates(mapped, shaped(scope_shape)))
        .order_by(t.c.row_id)
        .limit(_limit())
    )


def _versions(mapped: MappedModel, rows: Sequence[Any]) -> list[tuple[int, ChangeEvent]]:
    n = len(mapped.columns)
    tenant = mapped.spec.options.tenant
    out = []
    for row in rows:
        model = mapped.to_model(row[1 : n + 1])
        previous = None if row[n + 3] is None else mapped.to_model(row[n + 4 :])
        cs = version_change(previous, model, row[n + 1], row[n + 2])
        event = ChangeEvent(
            mapped.spec.model,
            cs.record_id,
            getattr(model, "tenant_id", None) if tenant else None,
            cs.operation,
            tuple(cs.changes),
            MappingProxyType(dict(cs.changes)),
            cs.actor,
            cs.at,
        )
        out.append((row[0], event))
    return out
