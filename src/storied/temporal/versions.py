"""The scd2 versions table, and reading it: current rows, rows as of a moment, whole chains.

One table holds every version of every row. ``valid_from``/``valid_to`` bound each version;
the current one has ``valid_to IS NULL``. Two generated marker columns make the rules the
database's own: ``current_key`` (1 on current versions) is unique per id, so no id can have two
current versions; ``live_key`` (1 on current, undeleted versions) joins the unique indexes of
unique fields, so uniqueness applies among current versions only. An identity table holds one
row per logical id: the target of foreign keys from other tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..errors import NotFoundError
from ..mapping import shapes
from ..mapping.partitions import month_start, next_month, partitioned
from ..mapping.registry import MappedModel
from ..ops.requests import Exec, Operation, Statement
from ..query.scoping import Visibility, by_id, tenant_predicates
from ..sql.inlist import in_chunks, key_binds
from ..tenancy.scope import Scope, shaped
from .records import Version as Version

if TYPE_CHECKING:
    from ..models.base import Model
    from .base import Window

#: the operation a version records when it is not derived from its predecessor ("import");
#: NULL on every other version (the column is built in mapping/shapes.py)
RECORDED_AS = shapes.RECORDED_AS
#: columns read besides the model's: the surrogate row key and the validity bounds
EXTRA = ("row_id", "valid_from", "valid_to")


@dataclass(frozen=True, slots=True)
class Locked:
    """A current version read under lock: the model, its row key and its start."""

    model: Model
    row_id: int
    valid_from: dt.datetime


def _with_extra(mapped: MappedModel) -> list[sa.Column[Any]]:
    return [*mapped.columns, *(mapped.table.c[n] for n in EXTRA)]


def identity_lock(mapped: MappedModel, scope: Scope, ids: int | None = None) -> sa.Select[Any]:
    """``SELECT … FOR UPDATE`` of the identity row of ``_id`` (or of ``_k0``…``_k{ids-1}``).

    Every scd2 write takes this lock before it reads the current version. Versions are
    replaced, never updated in place: a writer that waited on the current version's row lock
    would find it closed and, on READ COMMITTED (PostgreSQL), not see its successor. The
    identity row never changes, so the writers of one id queue on it, and the version read
    after it (a new statement, a new snapshot) is the latest one.
    """
    identity = mapped.identity_table
    assert identity is not None
    if ids is None:
        match = identity.c.id == sa.bindparam("_id")
    else:
        match = identity.c.id.in_(key_binds(identity.c.id, ids))
    return (
        sa.select(identity.c.id)
        .where(match, *tenant_predicates(mapped, scope, identity))
        .order_by(identity.c.id)
        .with_for_update()
    )


def lock_identities(mapped: MappedModel, scope: Scope, ids: Sequence[Any]) -> Operation[None]:
    """Take the identity locks of ``ids`` in id order (see :func:`identity_lock`)."""
    for size, keys in in_chunks(sorted(set(ids))):
        statement = Statement(identity_lock_stmt, (mapped, scope.shape, size))
        yield Exec(statement, {**keys, **scope.params()}, fetch=True)


def identity_lock_stmt(mapped: MappedModel, scope: Hashable, ids: int | None) -> sa.Select[Any]:
    """:func:`identity_lock` for a scope of shape ``scope``."""
    return identity_lock(mapped, shaped(scope), ids)


def lock_current(
    mapped: MappedModel,
    scope: Scope,
    id: Any,
    visibility: Visibility,
    row_locks: bool,
    identity_locked: bool = False,
) -> Operation[Locked]:
    """The current version of ``id`` read FOR UPDATE (or under SQLite's write lock), after
    its identity lock unless the caller holds it already."""
    params = {"_id": id, **scope.params()}
    if row_locks and not identity_locked:
        yield Exec(Statement(identity_lock_stmt, (mapped, scope.shape, None)), params, fetch=True)
    statement = Statement(lock_current_stmt, (mapped, scope.shape, visibility, row_locks))
    result = yield Exec(statement, params, fetch=True)
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    row = result.rows[0]
    n = len(mapped.columns)
    return Locked(mapped.to_model(row[:n]), row[n], row[n + 1])


def get_as_of(
    mapped: MappedModel, scope: Scope, id: Any, moment: dt.datetime, visibility: Visibility
) -> Operation[Model]:
    """The version of ``id`` valid at ``moment``: an index lookup however long the chain.

    On versions partitioned by ``valid_to``, first the current version and the month of
    ``moment``, then, only when neither holds it, the months after (see
    :func:`partitioned_as_of`)."""
    params = {"_id": id, "_asof": moment, **scope.params()}
    parted = partitioned(mapped.table) is not None
    if parted:
        params["_asof_end"] = as_of_end(moment)
    stages = ("near", "far") if parted else ("one",)
    for stage in stages:
        statement = Statement(as_of_stmt, (mapped, scope.shape, visibility, stage))
        result = yield Exec(statement, params, fetch=True)
        if result.rows:
            return mapped.to_model(result.rows[0])
    raise NotFoundError(mapped.model_name, id)


def as_of_end(moment: dt.datetime) -> dt.datetime:
    """The start of the month after ``moment``'s (UTC), where its month partition ends."""
    if moment.tzinfo is None:
        return moment  # refused by the column's type when bound; any split stays complete
    return next_month(month_start(moment.astimezone(dt.UTC)))


def chain(
    mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
) -> Operation[list[Version[Any]]]:
    """Every version of ``id``, oldest first (deleted ones included).

    With a ``window``, only the newest ``window.limit`` versions numbered below
    ``window.before`` (still oldest first); an empty window of an existing id is ``[]``.
    """
    before = None if window is None else window.before
    params: dict[str, Any] = {"_id": id, **scope.params()}
    if window is not None:
        params["_limit"] = window.limit
    if before is not None:
        params["_before"] = before
    args = (mapped, scope.shape, window is not None, before is not None)
    result = yield Exec(Statement(chain_stmt, args), params, fetch=True)
    rows = result.rows if window is None else result.rows[::-1]
    if not rows and before is None:
        raise NotFoundError(mapped.model_name, id)
    n = len(mapped.columns)
    return [Version(mapped.to_model(r[:n]), r[n], r[n + 1], r[n + 2]) for r in rows]


def lock_current_stmt(
    mapped: MappedModel, scope: Hashable, visibility: Visibility, row_locks: bool
) -> sa.Select[Any]:
    """The current version of ``_id`` with its row key and bounds (FOR UPDATE: ``row_locks``)."""
    stmt = sa.select(*_with_extra(mapped)).where(*by_id(mapped, shaped(scope), visibility))
    return stmt.with_for_update() if row_locks else stmt


#: ``LIMIT 1`` written into the SQL, not bound: PostgreSQL's generic plan of a prepared
#: ``LIMIT $n`` cannot know n is 1, costs the backward index probe as a scan, and is re-planned
#: on every execution over a long history (112.7 against 60.1 µs a read, issue 16)
ONE = sa.literal_column("1", sa.Integer())

#: the stages of an as_of read: ``one`` on one table; ``near`` then ``far`` on partitions
AsOfStage = Literal["one", "near", "far"]


def as_of_stmt(
    mapped: MappedModel, scope: Hashable, visibility: Visibility, stage: AsOfStage = "one"
) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """The version of ``_id`` valid at ``_asof``: one backward probe of ``(id, valid_from)``
    (``one``), or a stage of :func:`partitioned_as_of`."""
    t = mapped.table
    where = by_id(mapped, shaped(scope), visibility, as_of=True)
    if stage != "one":
        return partitioned_as_of(mapped, where, stage == "far")
    return sa.select(*mapped.columns).where(*where).order_by(t.c.valid_from.desc()).limit(ONE)


def partitioned_as_of(
    mapped: MappedModel, where: list[Any], far: bool
) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """``as_of`` on versions partitioned by ``valid_to``, in two statements.

    The version valid at ``_asof`` is current (DEFAULT partition), or was closed before
    ``_asof_end`` (the month after ``_asof``'s: in the month partition of ``_asof``), or
    later. The first statement reads the first two, ``current UNION ALL this month LIMIT 1``:
    the bounds prune to the DEFAULT partition and one month, while planning (custom plan)
    or when a generic plan starts; the second (``far``), run only when it finds nothing,
    the months from ``_asof_end`` on. A chain updated at least once a month, or current at
    ``_asof``, is found by one statement of two index probes; a table with no month
    partition for ``_asof`` reads DEFAULT for it, where such versions are.

    The versions of an id never overlap, so at most one row is valid at ``_asof`` and no
    ORDER BY is needed: ordered by ``valid_from`` as on one table, PostgreSQL would start
    one probe per partition (a Merge Append) however early the version is found. Every
    branch keeps the whole ``valid at _asof`` predicate of ``where``, so any split point
    gives the same answer; ``_asof_end`` only decides what is pruned.
    """
    t = mapped.table
    moment = sa.bindparam("_asof", type_=t.c.valid_to.type)
    end = sa.bindparam("_asof_end", type_=t.c.valid_to.type)
    cols = mapped.columns
    if far:
        return sa.select(*cols).where(*where, t.c.valid_to >= end).limit(ONE)
    current = sa.select(*cols).where(*where, t.c.valid_to.is_(None))
    month = sa.select(*cols).where(*where, t.c.valid_to > moment, t.c.valid_to < end)
    return sa.union_all(current, month).limit(ONE)


def chain_stmt(mapped: MappedModel, scope: Hashable, paged: bool, before: bool) -> sa.Select[Any]:
    """Every version of ``_id`` by number; ``paged``: the newest ``_limit`` (below
    ``_before`` with ``before``), newest first."""
    t = mapped.table
    stmt = sa.select(*mapped.columns, t.c.valid_from, t.c.valid_to, t.c[RECORDED_AS]).where(
        t.c.id == sa.bindparam("_id"), *tenant_predicates(mapped, shaped(scope))
    )
    if before:
        stmt = stmt.where(t.c.version < sa.bindparam("_before", type_=t.c.version.type))
    if not paged:
        return stmt.order_by(t.c.version)
    return stmt.order_by(t.c.version.desc()).limit(sa.bindparam("_limit", type_=sa.Integer()))
