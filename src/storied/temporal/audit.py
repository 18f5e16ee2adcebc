"""The field-level audit table of ``copy_on_change`` models: its shape, its rows, its reads."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import ConfigDict, PydanticUserError, TypeAdapter

from ..models.ids import uuid7
from ..ops.changes import event
from ..ops.requests import Exec, Operation, Statement, load_of
from ..query.scoping import tenant_predicates
from ..tenancy.scope import Scope, shaped
from .partition_prune import drop_old_partitions
from .records import OPERATIONS as OPERATIONS
from .records import ChangeOperation
from .records import ChangeSet as ChangeSet
from .records import FieldChange as FieldChange

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.spec import ModelSpec
    from .base import OpContext

Operation_ = ChangeOperation


_JSON_CONFIG = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    try:
        return TypeAdapter(annotation, config=_JSON_CONFIG)
    except PydanticUserError as exc:
        if exc.code != "type-adapter-config-unused":
            raise
        # a nested model, dataclass or TypedDict brings its own config, as in the main table
        return TypeAdapter(annotation)


def _annotation(spec: ModelSpec, name: str) -> Any:
    return spec.fields[name].info.annotation


def encode(spec: ModelSpec, name: str, value: Any) -> Any:
    """A field value as plain JSON data (bytes as base64), typed back by :func:`decode`."""
    if value is None:
        return None
    return _adapter(_annotation(spec, name)).dump_python(value, mode="json")


def decode(spec: ModelSpec, name: str | None, value: Any) -> Any:
    if value is None or name is None or name not in spec.fields:
        return value
    if isinstance(value, str) and spec.fields[name].kind == "json":
        value = json.loads(value)  # a JSON column read back as text by some drivers
    return _adapter(_annotation(spec, name)).validate_json(json.dumps(value))


# --- writing -----------------------------------------------------------------------------------
def audit_rows(
    ctx: OpContext,
    operation: Operation_,
    record_id: Any,
    tenant_id: Any,
    changes: Mapping[str, tuple[Any, Any]] | None,
) -> list[dict[str, Any]]:
    """Rows for one change set: one per changed field, or one with no field (delete, restore,
    purge)."""
    spec = ctx.mapped.spec
    if ctx.events is not None:
        ctx.events.append(event(ctx, operation, record_id, tenant_id, changes or {}))
    base = {
        "record_id": record_id,
        "change_set": uuid7(),
        "operation": operation,
        "actor": ctx.actor,
        "changed_at": ctx.now,
    }
    if spec.options.tenant:
        base["tenant_id"] = tenant_id
    if not changes:
        return [{**base, "field": None, "old_value": None, "new_value": None}]
    return [
        {
            **base,
            "field": name,
            "old_value": encode(spec, name, old),
            "new_value": encode(spec, name, new),
        }
        for name, (old, new) in changes.items()
    ]


def write_audit(ctx: OpContext, rows: Sequence[dict[str, Any]]) -> Operation[None]:
    if not rows:
        return
    table = audit_history_table(ctx.mapped)
    names = tuple(rows[0])
    load = load_of(table, names)
    statement = Statement(audit_insert_stmt, (ctx.mapped, names))
    yield Exec(statement, list(rows), many=True, load=load)


def audit_insert_stmt(mapped: MappedModel, names: tuple[str, ...]) -> sa.Insert:
    table = audit_history_table(mapped)
    values = {table.c[n]: sa.bindparam(n, type_=table.c[n].type) for n in names}
    return sa.insert(table).values(values).inline()


def audit_history_table(mapped: MappedModel) -> sa.Table:
    assert mapped.audit_table is not None, f"{mapped.model_name} keeps no audit trail"
    return mapped.audit_table


# --- reading -----------------------------------------------------------------------------------
_COLUMNS = (
    "audit_id",
    "record_id",
    "change_set",
    "operation",
    "field",
    "old_value",
    "new_value",
    "actor",
    "changed_at",
)


def read_changes(
    mapped: MappedModel,
    scope: Scope,
    *,
    record_id: Any = None,
    field_name: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    operation: str | None = None,
    limit: int | None = None,
    before: Any = None,
    newest_first: bool = False,
) -> Operation[Sequence[tuple[Any, ...]]]:
    """Audit rows in write order (or its reverse), filtered; every filter is a bound parameter.

    ``before`` (a change set id, with ``record_id``) keeps the rows written before that
    change set's first row.
    """
    audit_history_table(mapped)  # a model with no audit trail fails here, before any I/O
    filters = {
        "record_id": record_id,
        "field": field_name,
        "since": since,
        "until": until,
        "actor": actor,
        "operation": operation,
        "before": before,
    }
    present = tuple(k for k, v in filters.items() if v is not None)
    params: dict[str, Any] = {**{f"_{k}": filters[k] for k in present}, **scope.params()}
    if limit is not None:
        params["_limit"] = limit

    limited = limit is not None
    args = (mapped, scope.shape, present, limited, newest_first)
    result = yield Exec(Statement(audit_read_stmt, args), params, fetch=True)
    return result.rows


def audit_read_stmt(
    mapped: MappedModel,
    scope_shape: Hashable,
    present: tuple[str, ...],
    limited: bool,
    newest_first: bool,
) -> sa.Select[Any]:
    """Audit rows filtered by the ``present`` filters (bound as ``_<name>``)."""
    table = audit_history_table(mapped)
    scope = shaped(scope_shape)
    c = table.c
    ops = {
        "record_id": lambda: c.record_id == sa.bindparam("_record_id", type_=c.record_id.type),
        "field": lambda: c.field == sa.bindparam("_field"),
        "since": lambda: c.changed_at >= sa.bindparam("_since", type_=c.changed_at.type),
        "until": lambda: c.changed_at < sa.bindparam("_until", type_=c.changed_at.type),
        "actor": lambda: c.actor == sa.bindparam("_actor"),
        "operation": lambda: c.operation == sa.bindparam("_operation"),
        "before": lambda: c.audit_id < _first_row(mapped, scope, table),
    }
    # one record's rows in write order; a feed in time order (then write order), so a
    # reader paging by moment meets every change set once; newest_first reverses either
    order = [c.audit_id] if "record_id" in present else [c.changed_at, c.audit_id]
    stmt = (
        sa.select(*(c[n] for n in _COLUMNS))
        .where(*tenant_predicates(mapped, scope, table), *(ops[k]() for k in present))
        .order_by(*(o.desc() if newest_first else o for o in order))
    )
    if limited:
        stmt = stmt.limit(sa.bindparam("_limit", type_=sa.Integer()))
    return stmt


def _first_row(mapped: MappedModel, scope: Scope, table: sa.Table) -> sa.ScalarSelect[Any]:
    """The first audit row of change set ``_before`` of record ``_record_id`` (in its scope)."""
    c = table.c
    return (
        sa.select(sa.func.min(c.audit_id))
        .where(
            *tenant_predicates(mapped, scope, table),
            c.record_id == sa.bindparam("_record_id", type_=c.record_id.type),
            c.change_set == sa.bindparam("_before", type_=c.change_set.type),
        )
        .correlate(None)
        .scalar_subquery()
    )


def change_sets(spec: ModelSpec, rows: Iterable[tuple[Any, ...]]) -> list[ChangeSet]:
    """Group audit rows into change sets, values decoded to the model's types."""
    heads: dict[uuid.UUID, tuple[Any, Any, Any, Any]] = {}
    changes: dict[uuid.UUID, dict[str, tuple[Any, Any]]] = {}
    for _, record_id, change_set, operation, name, old, new, actor, at in rows:
        heads.setdefault(change_set, (record_id, operation, actor, at))
        found = changes.setdefault(change_set, {})
        if name is not None:
            found[name] = (decode(spec, name, old), decode(spec, name, new))
    return [
        ChangeSet(*head, changes=changes[key], change_set_id=key) for key, head in heads.items()
    ]


def field_changes(spec: ModelSpec, rows: Iterable[tuple[Any, ...]]) -> list[FieldChange]:
    return [
        FieldChange(
            record_id,
            operation,
            actor,
            at,
            decode(spec, name, old),
            decode(spec, name, new),
            change_set_id=change_set,
        )
        for _, record_id, change_set, operation, name, old, new, actor, at in rows
    ]


def prune(mapped: MappedModel, scope: Scope, older_than: dt.datetime) -> Operation[int]:
    """Delete audit rows older than ``older_than`` within the scope; returns how many.

    On a partitioned audit table, whole months before it are dropped first
    (:mod:`.partition_prune`)."""
    dropped = yield from drop_old_partitions(mapped, "audit", scope, older_than)
    statement = Statement(audit_prune_stmt, (mapped, scope.shape))
    result = yield Exec(statement, {"_before": older_than, **scope.params()})
    return dropped + result.rowcount


def audit_prune_stmt(mapped: MappedModel, scope: Hashable) -> sa.Delete:
    table = audit_history_table(mapped)
    return sa.delete(table).where(
        *tenant_predicates(mapped, shaped(scope), table),
        table.c.changed_at < sa.bindparam("_before", type_=table.c.changed_at.type),
    )
