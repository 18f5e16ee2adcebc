"""``history="copy_on_change"``: the current row plus a field-level audit trail.

Every write locks the row (``SELECT … FOR UPDATE``; the write transaction on SQLite), diffs it,
and writes the row and one audit row per changed field in the same transaction: an update is
three statements — lock-read, UPDATE, INSERT of the audit rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..ops.requests import Begin, Exec, Operation, Statement
from ..tenancy.scope import Scope
from . import audit, bulk
from .base import OpContext, Window
from .current import check_version, fetch_by_id, update_params, update_stmt
from .none import NoHistory, check_restorable

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.base import Model


def diff(old: Model, changes: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value really changes, as (old, new)."""
    return {n: (getattr(old, n), v) for n, v in changes.items() if getattr(old, n) != v}


class CopyOnChange(NoHistory):
    name = "copy_on_change"

    def create(self, ctx: OpContext, models: Sequence[Model]) -> Operation[list[Model]]:
        yield Begin()
        created = yield from super().create(ctx, models)
        fields = ctx.mapped.spec.fields
        rows: list[dict[str, Any]] = []
        for m in created:
            values = {n: (None, getattr(m, n)) for n in fields}
            rows += audit.audit_rows(ctx, ctx.operation, m.id, m.tenant_id, values)
        yield from audit.write_audit(ctx, rows)
        return created

    def update(
        self, ctx: OpContext, id: Any, changes: Mapping[str, Any], expected_version: int | None
    ) -> Operation[Model]:
        yield Begin()
        old = yield from fetch_by_id(ctx, id, lock=True)
        check_version(old, expected_version)
        changed = diff(old, changes)
        if not changed:
            return old  # nothing changes: no audit rows, no version or updated_at bump
        new = yield from apply_update(ctx, old, {n: v for n, (_, v) in changed.items()})
        yield from audit.write_audit(
            ctx, audit.audit_rows(ctx, "update", id, old.tenant_id, changed)
        )
        return new

    def update_many(
        self, ctx: OpContext, changes: Mapping[Any, Mapping[str, Any]]
    ) -> Operation[list[Model]]:
        yield Begin()
        old = yield from bulk.lock_models(ctx, list(changes), "live")
        diffs = {i: diff(old[i], c) for i, c in changes.items()}
        pairs = [(old[i], {n: new for n, (_, new) in d.items()}) for i, d in diffs.items() if d]
        new = yield from bulk.write_updates(ctx, pairs)
        rows: list[dict[str, Any]] = []
        for i, d in diffs.items():
            if d:
                rows += audit.audit_rows(ctx, "update", i, old[i].tenant_id, d)
        yield from audit.write_audit(ctx, rows)
        return [new.get(i, old[i]) for i in changes]

    def delete_many(self, ctx: OpContext, ids: Sequence[Any]) -> Operation[None]:
        if not ctx.mapped.spec.options.soft_delete:
            yield from super().delete_many(ctx, ids)
            return
        yield Begin()
        rows = yield from bulk.lock_models(ctx, ids, "any")
        live = [i for i in dict.fromkeys(ids) if rows[i].deleted_at is None]
        yield from bulk.write_soft_deletes(ctx, live)
        records: list[dict[str, Any]] = []
        for i in live:
            records += audit.audit_rows(ctx, "delete", i, rows[i].tenant_id, None)
        yield from audit.write_audit(ctx, records)

    def delete(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        if not ctx.mapped.spec.options.soft_delete:
            # a hard delete is a purge, recorded once
            yield from self.purge(ctx, id, expected_version)
            return
        yield Begin()
        row = yield from fetch_by_id(ctx, id, "any", lock=True)
        check_version(row, expected_version)
        if row.deleted_at is not None:
            return  # already deleted: keep the first deleted_at, record nothing
        yield from super().delete(ctx, id)
        yield from audit.write_audit(ctx, audit.audit_rows(ctx, "delete", id, row.tenant_id, None))

    def restore(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[Model]:
        check_restorable(ctx.mapped)
        yield Begin()
        row = yield from fetch_by_id(ctx, id, "any", lock=True)
        check_version(row, expected_version)
        if row.deleted_at is None:
            return row
        restored = yield from super().restore(ctx, id)
        yield from audit.write_audit(ctx, audit.audit_rows(ctx, "restore", id, row.tenant_id, None))
        return restored

    def purge(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]:
        yield Begin()
        row = yield from fetch_by_id(ctx, id, "any", lock=True)
        check_version(row, expected_version)
        yield from super().purge(ctx, id)
        yield from audit.write_audit(ctx, audit.audit_rows(ctx, "purge", id, row.tenant_id, None))

    # --- reads ------------------------------------------------------------------------------
    def history(
        self, mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
    ) -> Operation[list[audit.ChangeSet]]:
        if window is None:
            rows = yield from audit.read_changes(mapped, scope, record_id=id)
            return audit.change_sets(mapped.spec, rows)
        # a change set has at most one row per field: this many rows hold more than ``limit``
        # whole sets, and only the oldest set read can be cut short by the LIMIT
        budget = (window.limit + 1) * max(1, len(mapped.spec.fields))
        rows = yield from audit.read_changes(
            mapped, scope, record_id=id, before=window.before, limit=budget, newest_first=True
        )
        sets = audit.change_sets(mapped.spec, reversed(rows))
        return sets[-window.limit :]

    def field_history(
        self, mapped: MappedModel, scope: Scope, id: Any, field: str
    ) -> Operation[list[audit.FieldChange]]:
        mapped.spec.check_writable(field)
        rows = yield from audit.read_changes(mapped, scope, record_id=id, field_name=field)
        return audit.field_changes(mapped.spec, rows)

    def changes(
        self, mapped: MappedModel, scope: Scope, filters: Mapping[str, Any]
    ) -> Operation[list[audit.ChangeSet]]:
        rows = yield from audit.read_changes(mapped, scope, **filters)
        if not filters.get("newest_first"):
            return audit.change_sets(mapped.spec, rows)
        # grouped in write order, so each set's fields keep theirs
        return audit.change_sets(mapped.spec, reversed(rows))[::-1]

    def prune_history(
        self, mapped: MappedModel, scope: Scope, older_than: dt.datetime
    ) -> Operation[int]:
        return (yield from audit.prune(mapped, scope, older_than))


def apply_update(ctx: OpContext, old: Model, changes: Mapping[str, Any]) -> Operation[Model]:
    """UPDATE the locked row; the new row is known without reading it back."""
    names, params = update_params(ctx, old.id, changes)
    yield Exec(Statement(update_stmt, (ctx.mapped, ctx.scope.shape, names, False)), params)
    stamps = {"version": (old.version or 0) + 1, "updated_at": ctx.now, "updated_by": ctx.actor}
    return old.model_copy(update={**changes, **stamps})
