"""``history="none"``: the current row only; the base the other strategies build on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import ConfigurationError, NotFoundError
from ..mapping.registry import MappedModel
from ..ops.changes import ChangeEvent, event
from ..ops.requests import Begin, Exec, Operation, Statement
from ..tenancy.scope import Scope
from . import bulk
from .base import OpContext, Window

if TYPE_CHECKING:
    from ..models.base import Model


from .current import (
    check_version,
    fetch_by_id,
    finish_many,
    insert_load,
    insert_one,
    insert_stmt,
    new_rows,
    recheck,
    soft_delete_stmt,
    update_row,
    where_id,
    write_returning,
)


class NoHistory:
    """Writes the current row and nothing else."""

    name = "none"

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
            batch = [rows[i] for i in members]
            load = insert_load(ctx.mapped, names)
            statement = Statement(insert_stmt, (ctx.mapped, names))
            yield Exec(statement, batch, many=True, load=load)
            finished = finish_many(ctx, [models[i] for i in members], batch)
            for i, model in zip(members, finished, strict=True):
                out[i] = model
        if self._noting(ctx):
            ctx.events += created_events(ctx, out, keeps_old=False)  # type: ignore[operator]
        return out

    def _noting(self, ctx: OpContext) -> bool:
        """Whether this class records the change events (the strategies that keep history and
        build on this one record theirs as they write it)."""
        return ctx.events is not None and self.name == "none"

    def _note(self, ctx: OpContext, operation: str, model: Model, fields: Any = ()) -> None:
        if self._noting(ctx):
            e = event(ctx, operation, model.id, model.tenant_id, None, tuple(fields))
            ctx.events.append(e)  # type: ignore[union-attr]

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
        if not changes:  # nothing to write; a stale expected version is still refused
            row = yield from fetch_by_id(ctx, id)
            check_version(row, expected_version)
            return row
        new = yield from update_row(ctx, id, dict(changes), expected_version)
        self._note(ctx, "update", new, changes)
        return new

    def update_many(
        self, ctx: OpContext, changes: Mapping[Any, Mapping[str, Any]]
    ) -> Operation[list[Model]]:
        yield Begin()
        old = yield from bulk.lock_models(ctx, list(changes), "live")
        pairs = [(old[i], c) for i, c in changes.items() if c]
        new = yield from bulk.write_updates(ctx, pairs)
        for model, c in pairs:
            self._note(ctx, "update", model, c)
        return [new.get(i, old[i]) for i in changes]

    def delete_many(self, ctx: OpContext, ids: Sequence[Any]) -> Operation[None]:
        if not ctx.mapped.spec.options.soft_delete:
            yield Begin()
            for id in ids:
                yield from self.purge(ctx, id)
            return
        yield Begin()
        rows = yield from bulk.lock_models(ctx, ids, "any")
        live = [i for i in dict.fromkeys(ids) if rows[i].deleted_at is None]
        yield from bulk.write_soft_deletes(ctx, live)
        for i in live:
            self._note(ctx, "delete", rows[i])

    # --- delete / restore / purge ---------------------------------------------------------
    def delete(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        mapped = ctx.mapped
        if not mapped.spec.options.soft_delete:
            yield from self.purge(ctx, id, expected_version)
            return
        checked = expected_version is not None
        params = {"_id": id, "_now": ctx.now, "_actor": ctx.actor, **ctx.scope.params()}
        if checked:
            params["_expected"] = expected_version
        statement = Statement(soft_delete_stmt, (mapped, ctx.scope.shape, checked))
        result = yield Exec(statement, params)
        if result.rowcount and self._noting(ctx):
            ctx.events.append(event(ctx, "delete", id, scope_tenant(ctx), None))  # type: ignore[union-attr]
        if result.rowcount == 0:
            # deleting twice keeps the first deleted_at; a missing row is NotFound
            if expected_version is not None:
                yield from recheck(ctx, id, expected_version)
            else:
                yield from fetch_by_id(ctx, id, "deleted")

    def restore(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[Model]:
        mapped = ctx.mapped
        check_restorable(mapped)
        params = {"_id": id, "_now": ctx.now, "_actor": ctx.actor, **ctx.scope.params()}
        checked = expected_version is not None
        if checked:
            params["_expected"] = expected_version
        args = (mapped, ctx.scope.shape, checked)
        row = yield from write_returning(ctx, restore_stmt, args, params, id)
        if row is not None:
            self._note(ctx, "restore", row)
            return row
        if expected_version is not None:
            return (yield from recheck(ctx, id, expected_version))
        return (yield from fetch_by_id(ctx, id))  # already live: restoring is idempotent

    def history(
        self, mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
    ) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def field_history(
        self, mapped: MappedModel, scope: Scope, id: Any, field: str
    ) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def changes(
        self, mapped: MappedModel, scope: Scope, filters: Mapping[str, Any]
    ) -> Operation[list[Any]]:
        raise _no_history(mapped)

    def prune_history(
        self, mapped: MappedModel, scope: Scope, older_than: dt.datetime
    ) -> Operation[int]:
        raise _no_history(mapped)

    def purge(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        mapped = ctx.mapped
        checked = expected_version is not None
        params = {"_id": id, **ctx.scope.params()}
        if checked:
            params["_expected"] = expected_version
        result = yield Exec(Statement(purge_stmt, (mapped, ctx.scope.shape, checked)), params)
        if result.rowcount == 0:
            if expected_version is not None:
                yield from recheck(ctx, id, expected_version)
            raise NotFoundError(mapped.model_name, id)
        if self._noting(ctx):
            ctx.events.append(event(ctx, "purge", id, scope_tenant(ctx), None))  # type: ignore[union-attr]


def restore_stmt(mapped: MappedModel, scope: Hashable, checked: bool) -> sa.Update:
    """Bring the deleted row ``_id`` back (bumping its version); ``checked``: at ``_expected``."""
    t = mapped.table
    return (
        sa.update(t)
        .where(*where_id(mapped, scope, checked, "deleted"))
        .values(
            deleted_at=None,
            deleted_by=None,
            version=t.c.version + 1,
            updated_at=sa.bindparam("_now", type_=t.c.updated_at.type),
            updated_by=sa.bindparam("_actor", type_=t.c.updated_by.type),
        )
    )


def purge_stmt(mapped: MappedModel, scope: Hashable, checked: bool) -> sa.Delete:
    """Delete the row ``_id`` for good, deleted or not; ``checked``: only at ``_expected``."""
    return sa.delete(mapped.table).where(*where_id(mapped, scope, checked, "any"))


def created_events(ctx: OpContext, models: Sequence[Model], keeps_old: bool) -> list[ChangeEvent]:
    """The events of created rows: every field, from None where old values are kept."""
    fields = tuple(ctx.mapped.spec.fields)
    operation = ctx.operation
    return [
        event(
            ctx,
            operation,
            m.id,
            m.tenant_id,
            {n: (None, getattr(m, n)) for n in fields} if keeps_old else None,
            fields,
        )
        for m in models
    ]


def scope_tenant(ctx: OpContext) -> Any:
    """The tenant of a write known by id only: the scope's, when it has exactly one."""
    ids = ctx.scope.tenant_ids
    return ids[0] if len(ids) == 1 else None


def check_restorable(mapped: MappedModel) -> None:
    """Refuse ``restore`` on a model that deletes for good (every strategy, one message)."""
    if not mapped.spec.options.soft_delete:
        raise ConfigurationError(f"{mapped.model_name} has soft_delete=False: nothing to restore")


def _no_history(mapped: MappedModel) -> ConfigurationError:
    return ConfigurationError(
        f"{mapped.model_name} keeps no history: declare history='copy_on_change' or 'scd2'"
    )
