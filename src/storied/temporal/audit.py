"""The field-level audit table of ``copy_on_change`` models: its shape, its rows, its reads."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from pydantic import ConfigDict, PydanticUserError, TypeAdapter

from ..models.ids import uuid7
from ..ops.requests import Exec, Operation, load_of
from ..query.scoping import tenant_predicates
from ..tenancy.scope import Scope

if TYPE_CHECKING:
    from ..mapping.registry import Mapped
    from ..models.spec import ModelSpec
    from .base import OpContext

Operation_ = Literal["create", "import", "update", "delete", "restore", "purge"]
OPERATIONS: tuple[str, ...] = ("create", "import", "update", "delete", "restore", "purge")


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """One write to one record: who, when, which operation, and each field's old → new.

    ``id`` groups the audit rows of one write (copy_on_change) or is the version number (scd2).
    """

    id: Any
    record_id: Any
    operation: str
    actor: str | None
    at: dt.datetime
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's change within a change set."""

    change_set: uuid.UUID
    record_id: Any
    operation: str
    actor: str | None
    at: dt.datetime
    old: Any
    new: Any


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

    def build() -> sa.Insert:
        return (
            sa.insert(table)
            .values({table.c[n]: sa.bindparam(n, type_=table.c[n].type) for n in names})
            .inline()
        )

    load = load_of(table, names)
    yield Exec((table.fullname, "audit_insert", names), build, list(rows), many=True, load=load)


def audit_history_table(mapped: Mapped) -> sa.Table:
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
    mapped: Mapped,
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
) -> Operation[list[tuple[Any, ...]]]:
    """Audit rows in write order (or its reverse), filtered; every filter is a bound parameter.

    ``before`` (a change set id, with ``record_id``) keeps the rows written before that
    change set's first row.
    """
    table = audit_history_table(mapped)
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
    params: dict[str, Any] = {f"_{k}": filters[k] for k in present} | scope.params()
    if limit is not None:
        params["_limit"] = limit

    def build() -> sa.Select[Any]:
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
        order = [c.audit_id] if record_id is not None else [c.changed_at, c.audit_id]
        stmt = (
            sa.select(*(c[n] for n in _COLUMNS))
            .where(*tenant_predicates(mapped, scope, table), *(ops[k]() for k in present))
            .order_by(*(o.desc() if newest_first else o for o in order))
        )
        if limit is not None:
            stmt = stmt.limit(sa.bindparam("_limit", type_=sa.Integer()))
        return stmt

    key = (table.fullname, "audit_read", present, limit is not None, newest_first, scope.shape)
    result = yield Exec(key, build, params, fetch=True)
    assert result is not None
    return result.rows


def _first_row(mapped: Mapped, scope: Scope, table: sa.Table) -> sa.ScalarSelect[Any]:
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
    out: dict[uuid.UUID, ChangeSet] = {}
    for _, record_id, change_set, operation, name, old, new, actor, at in rows:
        cs = out.get(change_set)
        if cs is None:
            cs = out[change_set] = ChangeSet(change_set, record_id, operation, actor, at)
        if name is not None:
            cs.changes[name] = (decode(spec, name, old), decode(spec, name, new))
    return list(out.values())


def field_changes(spec: ModelSpec, rows: Iterable[tuple[Any, ...]]) -> list[FieldChange]:
    return [
        FieldChange(
            change_set,
            record_id,
            operation,
            actor,
            at,
            decode(spec, name, old),
            decode(spec, name, new),
        )
        for _, record_id, change_set, operation, name, old, new, actor, at in rows
    ]


def prune(mapped: Mapped, scope: Scope, older_than: dt.datetime) -> Operation[int]:
    """Delete audit rows older than ``older_than`` within the scope; returns how many."""
    table = audit_history_table(mapped)

    def build() -> sa.Delete:
        return sa.delete(table).where(
            *tenant_predicates(mapped, scope, table),
            table.c.changed_at < sa.bindparam("_before", type_=table.c.changed_at.type),
        )

    result = yield Exec(
        (table.fullname, "audit_prune", scope.shape),
        build,
        {"_before": older_than, **scope.params()},
    )
    assert result is not None
    return result.rowcount
