"""Bulk writes: lock the rows in batches, decide in memory, write in batched statements.

Every strategy's ``update_many``/``delete_many`` follows the same three steps, so bulk writes
keep history exactly as single writes do, with a handful of statements whatever the row count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError, ValidationError
from ..ops.requests import Begin, Exec, Operation, Statement
from ..query.scoping import Visibility
from ..reads.rows import rows_by_ids, rows_where_in
from .base import OpContext, TemporalStrategy
from .current import soft_delete_stmt, update_params, update_stmt

if TYPE_CHECKING:
    from ..models.base import Model


def lock_rows(
    ctx: OpContext, ids: Sequence[Any], visibility: Visibility, extra: Sequence[str] = ()
) -> Operation[dict[Any, tuple[Any, ...]]]:
    """The rows of ``ids`` read FOR UPDATE; NotFoundError (before any write) if one is missing."""
    rows = yield from rows_by_ids(
        ctx.mapped, ctx.scope, ids, visibility, extra, lock=ctx.caps.row_locks
    )
    for id in ids:
        if id not in rows:
            raise NotFoundError(ctx.mapped.model_name, id)
    return rows


def lock_models(
    ctx: OpContext, ids: Sequence[Any], visibility: Visibility
) -> Operation[dict[Any, Model]]:
    rows = yield from lock_rows(ctx, ids, visibility)
    return {id: ctx.mapped.to_model(row) for id, row in rows.items()}


def write_updates(
    ctx: OpContext, pairs: Sequence[tuple[Model, Mapping[str, Any]]]
) -> Operation[dict[Any, Model]]:
    """UPDATE locked rows, grouped by the set of fields changed; the new rows are computed."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    out: dict[Any, Model] = {}
    for old, changes in pairs:
        names, params = update_params(ctx, old.id, changes)
        groups.setdefault(names, []).append(params)
        stamps = {"version": (old.version or 0) + 1, "updated_at": ctx.now, "updated_by": ctx.actor}
        out[old.id] = old.model_copy(update={**changes, **stamps})
    for names, params_list in groups.items():
        statement = Statement(update_stmt, (ctx.mapped, ctx.scope.shape, names, False))
        yield Exec(statement, params_list, many=True)
    return out


def write_soft_deletes(ctx: OpContext, ids: Sequence[Any]) -> Operation[None]:
    if ids:
        params = [
            {"_id": id, "_now": ctx.now, "_actor": ctx.actor, **ctx.scope.params()} for id in ids
        ]
        statement = Statement(soft_delete_stmt, (ctx.mapped, ctx.scope.shape, False))
        yield Exec(statement, params, many=True)


def upsert_many(
    ctx: OpContext, strategy: TemporalStrategy, models: Sequence[Model], on: str
) -> Operation[list[Model]]:
    """Create the models whose ``on`` value is new and update the others, in one transaction.

    Existing rows are found with one batched locking read, then written through the
    strategy's own ``update_many`` and ``create``: history is recorded exactly as for those.
    """
    mapped = ctx.mapped
    spec = mapped.spec
    yield Begin()
    keys = [getattr(m, on) for m in models]
    if any(k is None for k in keys):
        raise ValidationError(f"upsert_many: every {spec.name} needs a value for {on!r}")
    if len(set(keys)) != len(keys):
        raise ValidationError(f"upsert_many: two {spec.name} rows share the same {on!r}")
    rows = yield from rows_where_in(mapped, ctx.scope, on, keys, lock=ctx.caps.row_locks)
    existing = {getattr(m, on): m for m in map(mapped.to_model, rows)}
    changes = {
        existing[k].id: {f: getattr(m, f) for f in spec.fields}
        for k, m in zip(keys, models, strict=True)
        if k in existing
    }
    fresh = [m for k, m in zip(keys, models, strict=True) if k not in existing]
    updated = yield from strategy.update_many(ctx, changes) if changes else _none()
    created = yield from strategy.create(ctx, fresh) if fresh else _none()
    by_key = {getattr(m, on): m for m in [*updated, *created]}
    return [by_key[k] for k in keys]


def _none() -> Operation[list[Model]]:
    return []
    yield  # a generator that yields nothing
