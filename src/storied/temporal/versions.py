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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import NotFoundError
from ..mapping import shapes
from ..mapping.registry import Mapped
from ..ops.requests import Exec, Operation
from ..query.scoping import Visibility, by_id, tenant_predicates
from ..sql.inlist import in_chunks, key_binds
from ..tenancy.scope import Scope

if TYPE_CHECKING:
    from ..models.base import Model
    from .base import Window

#: the operation a version records when it is not derived from its predecessor ("import");
#: NULL on every other version (the column is built in mapping/shapes.py)
RECORDED_AS = shapes.RECORDED_AS
#: columns read besides the model's: the surrogate row key and the validity bounds
EXTRA = ("row_id", "valid_from", "valid_to")


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a row: the model as it was, and when it was valid."""

    model: Any
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    #: see ``RECORDED_AS``
    recorded_as: str | None = None

    @property
    def number(self) -> int:
        return int(self.model.version)


@dataclass(frozen=True, slots=True)
class Locked:
    """A current version read under lock: the model, its row key and its start."""

    model: Model
    row_id: int
    valid_from: dt.datetime


    from .base import Window

#: the operation a version records when it is not derived from its predecessor ("import");
#: NULL on every other version (the column is built in mapping/shapes.py)
RECORDED_AS = shapes.RECORDED_AS
def _with_extra(mapped: Mapped) -> list[sa.Column[Any]]:
    return [*mapped.columns, *(mapped.table.c[n] for n in EXTRA)]


def identity_lock(mapped: Mapped, scope: Scope, ids: int | None = None) -> sa.Select[Any]:
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


def lock_identities(mapped: Mapped, scope: Scope, ids: Sequence[Any]) -> Operation[None]:
    """Take the identity locks of ``ids`` in id order (see :func:`identity_lock`)."""
    for size, keys in in_chunks(sorted(set(ids))):

        def build(n: int = size) -> sa.Select[Any]:
            return identity_lock(mapped, scope, n)

        yield Exec(
            (mapped.key, "lock_identities", size, scope.shape),
            build,
            keys | scope.params(),
            fetch=True,
        )


def lock_current(
    mapped: Mapped,
    scope: Scope,
    id: Any,
    visibility: Visibility,
    row_locks: bool,
    identity_locked: bool = False,
) -> Operation[Locked]:
    """The current version of ``id`` read FOR UPDATE (or under SQLite's write lock), after
    its identity lock unless the caller holds it already."""
    if row_locks and not identity_locked:
        yield Exec(
            (mapped.key, "lock_identity", scope.shape),
            lambda: identity_lock(mapped, scope),
            {"_id": id, **scope.params()},
            fetch=True,
        )

    def build() -> sa.Select[Any]:
        stmt = sa.select(*_with_extra(mapped)).where(*by_id(mapped, scope, visibility))
        return stmt.with_for_update() if row_locks else stmt

    result = yield Exec(
        (mapped.key, "lock_current", visibility, row_locks, scope.shape),
        build,
        {"_id": id, **scope.params()},
        fetch=True,
    )
    assert result is not None
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    row = result.rows[0]
    n = len(mapped.columns)
    return Locked(mapped.to_model(row[:n]), row[n], row[n + 1])


def get_as_of(
    mapped: Mapped, scope: Scope, id: Any, moment: dt.datetime, visibility: Visibility
) -> Operation[Model]:
    """The version of ``id`` valid at ``moment``: an index lookup however long the chain."""

    def build() -> sa.Select[Any]:
        t = mapped.table
        return (
            sa.select(*mapped.columns)
            .where(*by_id(mapped, scope, visibility, as_of=True))
            .order_by(t.c.valid_from.desc())
            .limit(1)
        )

    result = yield Exec(
        (mapped.key, "get_as_of", visibility, scope.shape),
        build,
        {"_id": id, "_asof": moment, **scope.params()},
        fetch=True,
    )
    assert result is not None
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    return mapped.to_model(result.rows[0])


def chain(
    mapped: Mapped, scope: Scope, id: Any, window: Window | None = None
) -> Operation[list[Version]]:
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

    def build() -> sa.Select[Any]:
        t = mapped.table
        stmt = sa.select(*mapped.columns, t.c.valid_from, t.c.valid_to, t.c[RECORDED_AS]).where(
            t.c.id == sa.bindparam("_id"), *tenant_predicates(mapped, scope)
        )
        if before is not None:
            stmt = stmt.where(t.c.version < sa.bindparam("_before", type_=t.c.version.type))
        if window is None:
            return stmt.order_by(t.c.version)
        return stmt.order_by(t.c.version.desc()).limit(sa.bindparam("_limit", type_=sa.Integer()))

    shape = None if window is None else before is not None
    result = yield Exec((mapped.key, "chain", shape, scope.shape), build, params, fetch=True)
    assert result is not None
    rows = result.rows if window is None else result.rows[::-1]
    if not rows and before is None:
        raise NotFoundError(mapped.model_name, id)
    n = len(mapped.columns)
    return [Version(mapped.to_model(r[:n]), r[n], r[n + 1], r[n + 2]) for r in rows]
