"""``history="none"``: the current row only; the base the other strategies build on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..dialects import types as variants
from ..engine.requests import Begin, Exec, Load, Operation
from ..errors import ConfigurationError, ConflictError, NotFoundError
from ..mapping import table as tables
from ..models.registry import Mapped
from ..query.compile import Visibility, by_id
from ..tenancy.scope import Scope
from .base import OpContext

if TYPE_CHECKING:
    from ..models.base import Model
    from ..models.spec import ModelSpec


def main_table(spec: ModelSpec, metadata: sa.MetaData, *extra: sa.Column[Any]) -> Mapped:
    """The current-row table every strategy keeps: id, tenant, fields, bookkeeping."""
    from .strategies import for_spec

    opts = spec.options
    columns: list[sa.Column[Any]] = [tables.id_column(spec)]
    names = ["id"]
    if opts.tenant:
        columns.append(tables.tenant_column(spec))
        names.append("tenant_id")
    fields = tables.field_columns(spec)
    columns += fields
    names += list(spec.fields)
    book = tables.bookkeeping_columns(spec)
    columns += book
    names += [c.name for c in book]
    has_unique = any(f.column_info.unique for f in spec.fields.values())
    live = tables.live_marker("deleted_at IS NULL") if opts.soft_delete and has_unique else None
    table = sa.Table(
        opts.table,
        metadata,
        *columns,
        *extra,
        *([live] if live is not None else []),
        schema=opts.db_schema,
        **variants.table_options(),
    )
    for item in tables.constraints(spec, table, table.c[live.name] if live is not None else None):
        if isinstance(item, sa.Constraint):
            table.append_constraint(item)
    read = tuple(table.c[c.key] for c in columns)
    return Mapped(
        spec=spec,
        table=table,
        strategy=for_spec(spec),
        columns=read,
        names=tuple(names),
        unique_fields=tables.unique_index_fields(spec),
    )


class NoHistory:
    """Writes the current row and nothing else."""

    name = "none"

    def build(self, spec: ModelSpec, metadata: sa.MetaData) -> Mapped:
        return main_table(spec, metadata)

    def current_predicate(self, mapped: Mapped) -> sa.ColumnElement[bool] | None:
        return None

    def as_of_predicate(self, mapped: Mapped) -> sa.ColumnElement[bool]:
        raise ConfigurationError(
            f"{mapped.model_name} keeps no versions: as_of needs history='scd2'"
        )

    # --- create ---------------------------------------------------------------------------
    def create(self, ctx: OpContext, models: Sequence[Model]) -> Operation[list[Model]]:
        rows = new_rows(ctx, models)
        if len(rows) > 1:
            yield Begin()
        out: list[Model] = list(models)
        # rows that leave the same columns to the database share one statement
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(tuple(row), []).append(i)
        for names, members in groups.items():
            returned = self._returned(ctx, names)
            if returned or len(members) == 1:
                for i in members:
                    out[i] = yield from insert_one(ctx, models[i], rows[i], names, returned)
                continue

            def build(n: tuple[str, ...] = names) -> sa.Insert:
                return insert_stmt(ctx.mapped, n)

            batch = [rows[i] for i in members]
            load = insert_load(ctx.mapped, names)
            yield Exec(ctx.key("insert", names), build, batch, many=True, load=load)
            for i in members:
                out[i] = finish(ctx, models[i], rows[i])
        return out

    def _returned(self, ctx: OpContext, names: tuple[str, ...]) -> tuple[str, ...]:
        """Columns the database fills in (identity id, server defaults)."""
        return tuple(
            n
            for n in ctx.mapped.names
            if n not in names and (n == "id" or n in ctx.mapped.spec.fields)
        )

    # --- update ---------------------------------------------------------------------------
    def update(
        self, ctx: OpContext, id: Any, changes: Mapping[str, Any], expected_version: int | None
    ) -> Operation[Model]:
        if not changes:
            return (yield from fetch_by_id(ctx, id))
        return (yield from update_row(ctx, id, dict(changes), expected_version))

    def update_many(
        self, ctx: OpContext, changes: Mapping[Any, Mapping[str, Any]]
    ) -> Operation[list[Model]]:
        from . import bulk

        yield Begin()
        old = yield from bulk.lock_models(ctx, list(changes), "live")
        new = yield from bulk.write_updates(ctx, [(old[i], c) for i, c in changes.items() if c])
        return [new.get(i, old[i]) for i in changes]

    def delete_many(self, ctx: OpContext, ids: Sequence[Any]) -> Operation[None]:
        from . import bulk

        if not ctx.mapped.spec.options.soft_delete:
            yield Begin()
            for id in ids:
                yield from self.purge(ctx, id)
            return
        yield Begin()
        rows = yield from bulk.lock_models(ctx, ids, "any")
        yield from bulk.write_soft_deletes(ctx, [i for i in ids if rows[i].deleted_at is None])

    # --- delete / restore / purge ---------------------------------------------------------
    def delete(self, ctx: OpContext, id: Any) -> Operation[None]:
        mapped = ctx.mapped
        if not mapped.spec.options.soft_delete:
            yield from self.purge(ctx, id)
            return
        result = yield Exec(
            ctx.key("soft_delete"),
            lambda: soft_delete_stmt(ctx),
            {"_id": id, "_now": ctx.now, "_actor": ctx.actor, **ctx.scope.params()},
        )
        assert result is not None
        if result.rowcount == 0:
            # deleting twice keeps the first deleted_at; a missing row is NotFound
            yield from fetch_by_id(ctx, id, "deleted")

    def restore(self, ctx: OpContext, id: Any) -> Operation[Model]:
        mapped = ctx.mapped
        if not mapped.spec.options.soft_delete:
            raise ConfigurationError(
                f"{mapped.model_name} has soft_delete=False: nothing to restore"
            )
        t = mapped.table
        values = {
            "deleted_at": None,
            "deleted_by": None,
            "version": t.c.version + 1,
            "updated_at": sa.bindparam("_now", type_=t.c.updated_at.type),
            "updated_by": sa.bindparam("_actor", type_=t.c.updated_by.type),
        }
        params = {"_id": id, "_now": ctx.now, "_actor": ctx.actor, **ctx.scope.params()}
        row = yield from write_returning(
            ctx,
            "restore",
            lambda: sa.update(t).where(*by_id(mapped, ctx.scope, "deleted")).values(values),
            params,
            id,
        )
        if row is None:
            return (yield from fetch_by_id(ctx, id))  # already live: restoring is idempotent
        return row

    def history(self, mapped: Mapped, scope: Scope, id: Any) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def field_history(
        self, mapped: Mapped, scope: Scope, id: Any, field: str
    ) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def changes(
        self, mapped: Mapped, scope: Scope, filters: Mapping[str, Any]
    ) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def prune_history(
        self, mapped: Mapped, scope: Scope, older_than: dt.datetime
    ) -> Operation[int]:
        raise _no_history(mapped)

    def purge(self, ctx: OpContext, id: Any) -> Operation[None]:
        mapped = ctx.mapped
        result = yield Exec(
            ctx.key("purge"),
            lambda: sa.delete(mapped.table).where(*by_id(mapped, ctx.scope, "any")),
            {"_id": id, **ctx.scope.params()},
        )
        assert result is not None
        if result.rowcount == 0:
            raise NotFoundError(mapped.model_name, id)


def _no_history(mapped: Mapped) -> ConfigurationError:
    return ConfigurationError(
        f"{mapped.model_name} keeps no history: declare history='copy_on_change' or 'scd2'"
    )


# --- statement kit shared by the strategies --------------------------------------------------
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
            row["tenant_id"] = tenant_for_write(spec.name, values["tenant_id"])
        row.update(stamps)
        rows.append(row)
    return rows


def insert_stmt(mapped: Mapped, names: Sequence[str]) -> sa.Insert:
    """INSERT of the named columns; ``inline``: no implicit RETURNING of the key."""
    cols = mapped.field_columns
    return (
        sa.insert(mapped.table)
        .values({cols[n]: sa.bindparam(n, type_=cols[n].type) for n in names})
        .inline()
    )


@lru_cache(maxsize=1024)
def insert_load(mapped: Mapped, names: tuple[str, ...]) -> Load:
    """The named columns of the main table, for loading rows in bulk (see ``Exec.load``)."""
    cols = mapped.field_columns
    return Load(mapped.table, tuple((n, cols[n].name) for n in names))


def finish(ctx: OpContext, model: Model, row: Mapping[str, Any]) -> Model:
    """Stamp a new model with the bookkeeping values of its row (id, tenant, version, …).

    ``model`` is storied's own validated copy of what the caller passed (the repository makes
    one per row), so it is stamped in place, as ``model_copy(update=…)`` would a copy.
    """
    stamps = {n: row[n] for n in ctx.mapped.stamp_names if n in row}
    model.__dict__.update(stamps)
    model.__pydantic_fields_set__.update(stamps)
    return model


def insert_one(
    ctx: OpContext,
    model: Model,
    row: dict[str, Any],
    names: tuple[str, ...],
    returned: tuple[str, ...],
) -> Operation[Model]:
    mapped = ctx.mapped
    cols = mapped.field_columns
    use_returning = bool(returned) and ctx.returning.insert
    result = yield Exec(
        ctx.key("insert", names, use_returning and returned),
        lambda: (
            insert_stmt(mapped, names).returning(*(cols[n] for n in returned))
            if use_returning
            else insert_stmt(mapped, names)
        ),
        row,
        fetch=use_returning,
    )
    assert result is not None
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
    """Read one row by id within the scope, or raise NotFound."""
    mapped = ctx.mapped
    result = yield Exec(
        ctx.key("get", visibility, lock),
        lambda: _locked(
            sa.select(*mapped.columns).where(*by_id(mapped, ctx.scope, visibility)),
            lock and ctx.caps.row_locks,
        ),
        {"_id": id, **ctx.scope.params()},
        fetch=True,
    )
    assert result is not None
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    return mapped.to_model(result.rows[0])


def _locked(stmt: sa.Select[Any], lock: bool) -> sa.Select[Any]:
    return stmt.with_for_update() if lock else stmt


def write_returning(
    ctx: OpContext, label: Any, build: Any, params: dict[str, Any], id: Any
) -> Operation[Model | None]:
    """Run an UPDATE by id and read the row back: RETURNING where the backend has it."""
    mapped = ctx.mapped
    if ctx.returning.update:
        result = yield Exec(
            ctx.key(label, "returning"),
            lambda: build().returning(*mapped.columns),
            params,
            fetch=True,
        )
        assert result is not None
        return mapped.to_model(result.rows[0]) if result.rows else None
    yield Begin()
    result = yield Exec(ctx.key(label), build, params)
    assert result is not None
    if result.rowcount == 0:
        return None
    return (yield from fetch_by_id(ctx, id))


def soft_delete_stmt(ctx: OpContext) -> sa.Update:
    """Mark the live row with this id deleted (and bump its version)."""
    t = ctx.mapped.table
    return (
        sa.update(t)
        .where(*by_id(ctx.mapped, ctx.scope))
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


def update_stmt(ctx: OpContext, names: Sequence[str], checked: bool) -> sa.Update:
    """UPDATE of the live row by id: the named fields, a version bump and the update stamps."""
    mapped = ctx.mapped
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
    where = by_id(mapped, ctx.scope)
    if checked:
        where.append(t.c.version == sa.bindparam("_expected", type_=t.c.version.type))
    return sa.update(t).where(*where).values(values)


def update_row(
    ctx: OpContext, id: Any, changes: dict[str, Any], expected_version: int | None
) -> Operation[Model]:
    mapped = ctx.mapped
    names, params = update_params(ctx, id, changes)
    checked = expected_version is not None
    if checked:
        params["_expected"] = expected_version
    row = yield from write_returning(
        ctx, ("update", names, checked), lambda: update_stmt(ctx, names, checked), params, id
    )
    if row is not None:
        return row
    current = yield from fetch_by_id(ctx, id)  # NotFound if it is gone
    raise ConflictError(
        f"{mapped.model_name} {id} is at version {current.version}, not {expected_version}: "
        "reload it and try again",
        model=mapped.model_name,
    )
