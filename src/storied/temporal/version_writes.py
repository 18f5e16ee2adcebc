"""The statements an scd2 write sends: insert versions, close the current one, write the next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..mapping.registry import MappedModel
from ..ops.changes import ChangeEvent, event
from ..ops.requests import Exec, Operation, Statement, load_of
from ..query.scoping import Visibility, tenant_predicates
from ..reads.rows import get_many
from ..tenancy.scope import shaped
from . import bulk
from . import versions as v
from .base import OpContext

if TYPE_CHECKING:
    from ..models.base import Model


#: which of a model's tables an INSERT writes
TableRole = Literal["versions", "identity"]

#: the least step between two versions' starts (a clock that stepped back moves on by it)
TICK = dt.timedelta(microseconds=1)


def lock_current_many(
    ctx: OpContext, ids: Sequence[Any], visibility: Visibility
) -> Operation[dict[Any, v.Locked]]:
    if ctx.caps.row_locks:
        yield from v.lock_identities(ctx.mapped, ctx.scope, ids)
    rows = yield from bulk.lock_rows(ctx, ids, visibility, ("row_id", "valid_from"))
    n = len(ctx.mapped.columns)
    return {
        id: v.Locked(ctx.mapped.to_model(row[:n]), row[n], row[n + 1]) for id, row in rows.items()
    }


def insert_stmt(mapped: MappedModel, table: TableRole, names: tuple[str, ...]) -> sa.Insert:
    """INSERT of the named columns into the model's versions or identity table."""
    t = mapped.table if table == "versions" else mapped.identity_table
    assert t is not None
    return sa.insert(t).values({t.c[n]: sa.bindparam(n, type_=t.c[n].type) for n in names}).inline()


def insert_versions(ctx: OpContext, rows: Sequence[dict[str, Any]]) -> Operation[None]:
    table = ctx.mapped.table
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for names, members in groups.items():
        load = load_of(table, names)
        statement = Statement(insert_stmt, (ctx.mapped, "versions", names))
        yield Exec(statement, members, many=True, load=load)


def reopen_stmt(mapped: MappedModel, scope: Hashable) -> sa.Update:
    t = mapped.table
    return (
        sa.update(t)
        .where(
            t.c.id == sa.bindparam("_id"),
            t.c.valid_to == sa.bindparam("_now", type_=t.c.valid_to.type),
            *tenant_predicates(mapped, shaped(scope)),
        )
        .values(valid_to=None)
    )


def reopen(ctx: OpContext, id: Any) -> Operation[None]:
    """Make the version this transaction just closed current again (nothing really changed)."""
    statement = Statement(reopen_stmt, (ctx.mapped, ctx.scope.shape))
    yield Exec(statement, {"_id": id, "_now": ctx.now, **ctx.scope.params()})


def close(ctx: OpContext, current: v.Locked) -> Operation[dt.datetime]:
    """Close the locked current version; its successor starts at the returned moment."""
    return (yield from close_many(ctx, [current]))[0]


def close_many(ctx: OpContext, locked: Sequence[v.Locked]) -> Operation[list[dt.datetime]]:
    """Close locked current versions in one batched statement; returns each successor's start
    (strictly after the closed version's start, even if the clock stepped back)."""
    moments = [max(ctx.now, current.valid_from + TICK) for current in locked]
    tenant = ctx.mapped.spec.options.tenant
    params = [
        {"_row": c.row_id, "_at": at, **({"_tenant": c.model.tenant_id} if tenant else {})}
        for c, at in zip(locked, moments, strict=True)
    ]
    if params:
        yield Exec(Statement(close_row_stmt, (ctx.mapped,)), params, many=True)
    return moments


def close_row_stmt(mapped: MappedModel) -> sa.Update:
    """Close the current version with row key ``_row`` (of tenant ``_tenant``) at ``_at``.

    The tenant predicate keeps the statement on the tenant's shard (Citus); ``valid_to IS
    NULL`` keeps it on the partition of current versions (partitioned history)."""
    t = mapped.table
    where = [t.c.row_id == sa.bindparam("_row"), t.c.valid_to.is_(None)]
    if mapped.spec.options.tenant:
        where.insert(0, t.c.tenant_id == sa.bindparam("_tenant", type_=t.c.tenant_id.type))
    return sa.update(t).where(*where).values(valid_to=sa.bindparam("_at", type_=t.c.valid_to.type))


def next_version(
    ctx: OpContext,
    base: Model,
    changes: Mapping[str, Any],
    at: dt.datetime,
    deleted: bool = False,
) -> Operation[Model]:
    """Insert the version after ``base``: its fields with ``changes``, valid from ``at``."""
    return (yield from next_versions(ctx, [(base, changes, at)], deleted))[0]


def next_versions(
    ctx: OpContext,
    items: Sequence[tuple[Model, Mapping[str, Any], dt.datetime]],
    deleted: bool = False,
) -> Operation[list[Model]]:
    """Insert, in batched statements, the version after each base with its changes."""
    spec = ctx.mapped.spec
    models: list[Model] = []
    rows: list[dict[str, Any]] = []
    for base, changes, at in items:
        stamps = {
            "version": (base.version or 0) + 1,
            "updated_at": at,
            "updated_by": ctx.actor,
            "deleted_at": at if deleted else None,
            "deleted_by": ctx.actor if deleted else None,
        }
        model = base.model_copy(update={**changes, **stamps})
        row = spec.storage_values({n: getattr(model, n) for n in spec.fields})
        row.update({n: getattr(model, n) for n in ctx.mapped.names if n not in spec.fields})
        row.update(valid_from=at, valid_to=None)
        models.append(model)
        rows.append(row)
        if ctx.events is not None:
            ctx.events.append(version_event(ctx, base, changes, deleted))
    yield from insert_versions(ctx, rows)
    return models


def version_event(
    ctx: OpContext, base: Model, changes: Mapping[str, Any], deleted: bool
) -> ChangeEvent:
    """The change event of the version written after ``base``."""
    if deleted:
        return event(ctx, "delete", base.id, base.tenant_id, {})
    if not changes and base.deleted_at is not None:
        return event(ctx, "restore", base.id, base.tenant_id, {})
    changed = {n: (getattr(base, n), new) for n, new in changes.items() if getattr(base, n) != new}
    return event(ctx, "update", base.id, base.tenant_id, changed)


def reread(ctx: OpContext, ids: list[Any]) -> Operation[list[Model]]:
    return (yield from get_many(ctx.mapped, ctx.scope, ids))
