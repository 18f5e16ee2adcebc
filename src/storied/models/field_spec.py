"""FieldSpec: what storied reads from one Pydantic field (its kind, bounds, column options)."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Union

import sqlalchemy as sa
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from ..errors import ModelDefinitionError
from . import values as checks
from .fields import ColumnInfo

Kind = Literal[
    "str",
    "int",
    "float",
    "bool",
    "decimal",
    "uuid",
    "datetime",
    "date",
    "time",
    "duration",
    "bytes",
    "enum",
    "literal",
    "json",
]

_SCALARS: dict[type, Kind] = {
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    Decimal: "decimal",
    uuid.UUID: "uuid",
    dt.datetime: "datetime",
    dt.date: "date",
    dt.time: "time",
    dt.timedelta: "duration",
    bytes: "bytes",
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One user field and the facts its column needs."""

    name: str
    column: str
    kind: Kind
    python_type: Any
    nullable: bool
    required: bool
    info: FieldInfo
    column_info: ColumnInfo
    max_length: int | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: tuple[Any, ...] = ()
    #: what is wrong with a (type-valid) value for this column, if anything
    check: checks.Check | None = None


def field_spec(model: str, name: str, info: FieldInfo) -> FieldSpec:
    annotation, nullable = _unwrap_optional(info.annotation)
    kind, choices = _kind(model, name, annotation)
    col = next((m for m in info.metadata if isinstance(m, ColumnInfo)), ColumnInfo())
    bounds = {
        key: getattr(m, key)
        for m in info.metadata
        for key in ("ge", "gt", "le", "lt")
        if getattr(m, key, None) is not None
    }
    meta: dict[str, Any] = {}
    for m in info.metadata:
        for key in ("max_length", "max_digits", "decimal_places"):
            if getattr(m, key, None) is not None:
                meta[key] = getattr(m, key)
    if col.on_delete and not col.foreign_key:
        raise ModelDefinitionError(f"{model}.{name}: on_delete needs foreign_key")
    return FieldSpec(
        check=_check(kind, annotation, col),
        name=name,
        column=col.column or name,
        kind=kind,
        python_type=annotation,
        nullable=nullable,
        required=info.is_required(),
        info=info,
        column_info=col,
        max_length=meta.get("max_length"),
        bounds=bounds,
        max_digits=meta.get("max_digits"),
        decimal_places=meta.get("decimal_places"),
        choices=choices,
    )


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], nullable
        return annotation, nullable
    return annotation, False


def _kind(model: str, name: str, annotation: Any) -> tuple[Kind, tuple[Any, ...]]:
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "enum", tuple(m.value for m in annotation)
        for py_type, kind in _SCALARS.items():
            if issubclass(annotation, py_type) and not (py_type is int and annotation is bool):
                if py_type is dt.date and issubclass(annotation, dt.datetime):
                    continue
                return kind, ()
        if issubclass(annotation, BaseModel):
            return "json", ()
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "literal", typing.get_args(annotation)
    if origin in (dict, list, tuple, set, frozenset) or annotation in (
        dict,
        list,
        tuple,
        set,
        frozenset,
    ):
        return "json", ()
    if origin in (Union, types.UnionType):
        return "json", ()
    raise ModelDefinitionError(
        f"{model}.{name}: storied cannot map type {annotation!r} to a column; use str, int, "
        "float, bool, Decimal, UUID, datetime, date, time, timedelta, bytes, an Enum, a "
        "Literal, or dict/list/set/tuple/BaseModel (stored as JSON)"
    )


def _int_range(col: ColumnInfo) -> tuple[int, int]:
    """The range of an integer column: 64-bit, or what a narrower ``db_type`` holds."""
    db_type = col.db_type
    if isinstance(db_type, sa.SmallInteger):
        return checks.INT16
    if isinstance(db_type, sa.Integer) and not isinstance(db_type, sa.BigInteger):
        return checks.INT32
    return checks.INT64


def _check(kind: Kind, annotation: Any, col: ColumnInfo) -> checks.Check | None:
    if kind == "str":
        length = getattr(col.db_type, "length", None)  # a db_type's own size (String(12))
        if isinstance(length, int):
            return checks.text_check(length)
        return checks.check_text
    if kind == "int":
        return checks.int_check(*_int_range(col))
    if kind == "duration":
        return checks.check_duration
    if kind == "json":
        return checks.json_check(TypeAdapter(annotation))
    return None
