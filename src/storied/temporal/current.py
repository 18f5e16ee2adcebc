"""The current-row table every strategy keeps, and the statements that write it.

``history="none"`` is these statements alone; ``copy_on_change`` adds audit rows around them and
``scd2`` reuses the row-building parts for its versions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .._compat import stamp
from ..errors import ConflictError, TenantViolation
from ..mapping.registry import MappedModel
from ..ops.requests import Begin, Exec, Load, Operation, Statement
from ..query.scoping import Visibility, by_id
from ..reads.rows import get
from ..tenancy.scope import shaped
from .base import OpContext

if TYPE_CHECKING:
    from ..models.base import Model


def new_row(ctx: OpContext, model: Model) -> dict[str, Any]:
    """Column values of a new row: the model's fields plus storied's own stamps."""
    return new_rows(ctx, [model])[0]


def new_rows(ctx: OpContext, models: Sequence[Model]) -> list[dict[str, Any]]:
    """:func:`new_row` of each model; what every row shares is worked out once."""
    spec = ctx.mapped.spec
    opts = spec.options
    fields = spec.field_names
    defaulted = spec.server_default_fields
    dump = spec.storage_values if spec.json_adapters else None
    new_id = ctx.new_id if opts.primary_key == "uuid" else None
    tenant_for_write = ctx.scope.tenant_for_write if opts.tenant else None
    # the tenant of a row that names none, when the scope gives one (a strict tenant scope)
    scope_tenant = _scope_tenant(ctx, spec.name) if tenant_for_write is not None else _NO_TENANT
    stamps: dict[str, Any] = {
        "version": 1,
        "created_at": ctx.now,
        "created_by": ctx.actor,
        "updated_at": ctx.now,
        "updated_by": ctx.actor,
    }
    if opts.soft_delete:
        stamps.update(deleted_at=None, deleted_by=None)
    rows: list[dict[str, Any]] = []
    for model in models:
        values = model.__dict__
        row = {name: values[name] for name in fields}
        if dump is not None:
            dump(row)
        for name in defaulted:
            if row[name] is None:
                del row[name]
        id = values["id"]
        if id is not None:
            row["id"] = spec.coerce_id(id)
        elif new_id is not None:
            row["id"] = new_id()
        if tenant_for_write is not None:
            given = values["tenant_id"]
            if given is None and scope_tenant is not _NO_TENANT:
                row["tenant_id"] = scope_tenant
            else:
                row["tenant_id"] = tenant_for_write(spec.name, given)
        row.update(stamps)
        rows.append(row)
    return rows


_NO_TENANT: Any = object()


def _scope_tenant(ctx: OpContext, model: str) -> Any:
    """``tenant_for_write`` of a row naming no tenant, or ``_NO_TENANT`` when it refuses one."""
    try:
        return ctx.scope.tenant_for_write(model, None)
    except TenantViolation:
        return _NO_TENANT


def insert_stmt(mapped: MappedModel, names: tuple[str, ...]) -> sa.Insert:
    """INSERT of the named columns; ``inline``: no implicit RETURNING of the key."""
    cols = mapped.field_columns
    return (
        sa.insert(mapped.table)
        .values({cols[n]: sa.bindparam(n, type_=cols[n].type) for n in names})
        .inline()
    )


@lru_cache(maxsize=1024)
def insert_load(mapped: MappedModel, names: tuple[str, ...]) -> Load:
    """The named columns of the main table, for loading rows in bulk (see ``Exec.load``)."""
    cols = mapped.field_columns
    return Load(mapped.table, tuple((n, cols[n].name) for n in names))


def finish(ctx: OpContext, model: Model, row: Mapping[str, Any]) -> Model:
    """Stamp a new model with the bookkeeping values of its row (id, tenant, version, …).

    ``model`` is storied's own validated copy of what the caller passed (the repository makes
    one per row), so it is stamped in place, as ``model_copy(update=…)`` would a copy.
    """
    stamps = {n: row[n] for n in ctx.mapped.stamp_names if n in row}
    stamp(model, stamps)
    return model


def finish_many(
    ctx: OpContext, models: Sequence[Model], rows: Sequence[Mapping[str, Any]]
) -> list[Model]:
    """:func:`finish` of each model and its row, with what they share looked up once."""
    names = ctx.mapped.stamp_names
    for model, row in zip(models, rows, strict=True):
        stamp(model, {n: row[n] for n in names if n in row})
    return list(models)


def insert_returning_stmt(
    mapped: MappedModel, names: tuple[str, ...], returned: tuple[str, ...]
) -> sa.Insert:
    """INSERT of the named columns, returning the ``returned`` ones (filled by the database)."""
    cols = mapped.field_columns
    return insert_stmt(mapped, names).returning(*(cols[n] for n in returned))


def insert_one(
    ctx: OpContext,
    model: Model,
    row: dict[str, Any],
    names: tuple[str, ...],
    returned: tuple[str, ...],
) -> Operation[Model]:
    mapped = ctx.mapped
    use_returning = bool(returned) and ctx.returning.insert
    statement = (
        Statement(insert_returning_stmt, (mapped, names, returned))
        if use_returning
        else Statement(insert_stmt, (mapped, names))
    )
    result = yield Exec(statement, row, fetch=use_returning)
    if use_returning:
        row.update(zip(returned, result.rows[0], strict=True))
    elif returned:
        if "id" in returned:
            row["id"] = result.lastrowid
        fresh = yield from fetch_by_id(ctx, row["id"])
        return fresh
    out = finish(ctx, model, row)
    return out.model_copy(update={n: row[n] for n in returned}) if returned else out


def fetch_by_id(
    ctx: OpContext, id: Any, visibility: Visibility = "live", lock: bool = False
) -> Operation[Model]:
    """Read one row by id within the scope (locked where the backend has row locks)."""
    row_lock = lock and ctx.caps.row_locks
    return (yield from get(ctx.mapped, ctx.scope, id, visibility, row_lock))


def with_returning(
    mapped: MappedModel, builder: Callable[..., sa.Update], args: tuple[Hashable, ...]
) -> sa.Update:
    """``builder(*args)`` returning the whole row."""
    return builder(*args).returning(*mapped.columns)


def write_returning(
    ctx: OpContext,
    builder: Callable[..., sa.Update],
    args: tuple[Hashable, ...],
    params: dict[str, Any],
    id: Any,
) -> Operation[Model | None]:
    """Run an UPDATE by id and read the row back: RETURNING where the backend has it."""
    mapped = ctx.mapped
    if ctx.returning.update:
        statement = Statement(with_returning, (mapped, builder, args))
        result = yield Exec(statement, params, fetch=True)
        return mapped.to_model(result.rows[0]) if result.rows else None
    yield Begin()
    result = yield Exec(Statement(builder, args), params)
    if result.rowcount == 0:
        return None
    return (yield from fetch_by_id(ctx, id))


def check_version(model: Model, expected: int | None) -> None:
    """``ConflictError`` when ``expected`` is given and the row is at another version."""
    if expected is not None and model.version != expected:
        raise ConflictError(
            f"{type(model).__name__} {model.id} is at version {model.version}, not {expected}: "
            "reload it and try again",
            model=type(model).__name__,
        )


def version_is_expected(table: sa.Table) -> sa.ColumnElement[bool]:
    """The WHERE clause of a write checked against ``expected_version`` (bound as _expected)."""
    return table.c.version == sa.bindparam("_expected", type_=table.c.version.type)


def recheck(ctx: OpContext, id: Any, expected: int) -> Operation[Model]:
    """After a checked write matched no row: NotFound if the row is gone, ConflictError if it
    moved on; the row itself when it is at ``expected`` (the write had nothing to do)."""
    row = yield from fetch_by_id(ctx, id, "any")
    check_version(row, expected)
    return row


def where_id(
    mapped: MappedModel, scope: Hashable, checked: bool, visibility: Visibility = "live"
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clause of a write by ``_id`` in a scope of shape ``scope``; ``checked``: only
    at the version bound as ``_expected``."""
    where = by_id(mapped, shaped(scope), visibility)
    if checked:
        where.append(version_is_expected(mapped.table))
    return where


def soft_delete_stmt(mapped: MappedModel, scope: Hashable, checked: bool = False) -> sa.Update:
    """Mark the live row with this id deleted (and bump its version); ``checked``: only at
    the version bound as ``_expected``."""
    t = mapped.table
    return (
        sa.update(t)
        .where(*where_id(mapped, scope, checked))
        .values(
            deleted_at=sa.bindparam("_now", type_=t.c.deleted_at.type),
            deleted_by=sa.bindparam("_actor", type_=t.c.deleted_by.type),
            version=t.c.version + 1,
        )
    )


def update_params(
    ctx: OpContext, id: Any, changes: Mapping[str, Any]
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The changed field names (sorted: part of the statement's shape) and bound values."""
    names = tuple(sorted(changes))
    stored = ctx.mapped.spec.storage_values(dict(changes))
    params = {f"v_{n}": stored[n] for n in names}
    params.update(_id=id, _now=ctx.now, _actor=ctx.actor, **ctx.scope.params())
    return names, params


def update_stmt(
    mapped: MappedModel, scope: Hashable, names: tuple[str, ...], checked: bool
) -> sa.Update:
    """UPDATE of the live row by id: the named fields, a version bump and the update stamps."""
    t = mapped.table
    cols = mapped.field_columns
    values: dict[Any, Any] = {cols[n]: sa.bindparam(f"v_{n}", type_=cols[n].type) for n in names}
    values.update(
        {
            t.c.version: t.c.version + 1,
            t.c.updated_at: sa.bindparam("_now", type_=t.c.updated_at.type),
            t.c.updated_by: sa.bindparam("_actor", type_=t.c.updated_by.type),
        }
    )
    return sa.update(t).where(*where_id(mapped, scope, checked)).values(values)


def update_row(
    ctx: OpContext, id: Any, changes: dict[str, Any], expected_version: int | None
) -> Operation[Model]:
    mapped = ctx.mapped
    names, params = update_params(ctx, id, changes)
    checked = expected_version is not None
    if checked:
        params["_expected"] = expected_version
    args = (mapped, ctx.scope.shape, names, checked)
    row = yield from write_returning(ctx, update_stmt, args, params, id)
    if row is not None:
        return row
    current = yield from fetch_by_id(ctx, id)  # NotFound if it is gone
    raise ConflictError(
        f"{mapped.model_name} {id} is at version {current.version}, not {expected_version}: "
        "reload it and try again",
        model=mapped.model_name,
    )
