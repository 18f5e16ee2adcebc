"""Query-string values parsed exactly as the OpenAPI document describes them.

Pydantic's string parsing is lax where a schema is not (``"0.5"`` is a datetime to it, ``"1"``
a boolean): a value the document would call invalid must be refused (422) here, or fuzzing
rightly reports an undocumented acceptance.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from storied import ValidationError

#: integers a JSON client can send exactly (JSON numbers are doubles to most of them)
INT64 = (-(2**53 - 1), 2**53 - 1)
_FORMATS = {
    "datetime": re.compile(
        r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})"
    ),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})?"),
    "int": re.compile(r"-?\d{1,16}"),
    "float": re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?"),
    "decimal": re.compile(r"-?\d{1,30}(\.\d{1,30})?"),
}
_TYPES: dict[str, Any] = {
    "datetime": dt.datetime,
    "date": dt.date,
    "time": dt.time,
    "uuid": UUID,
    "int": int,
    "float": float,
    "decimal": Decimal,
}


@cache
def _adapter(python_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(python_type)


def parse(name: str, kind: str, raw: str, python_type: Any = None) -> Any:
    """``raw`` as a value of a field of ``kind`` (``python_type`` for enums and literals)."""
    try:
        return _parse(kind, raw, python_type)
    except (PydanticValidationError, ValueError, OverflowError):
        raise ValidationError(
            f"{name}: not a valid {kind} value",
            [{"loc": ("query", name), "msg": f"expected a {kind} value"}],
        ) from None


def _parse(kind: str, raw: str, python_type: Any) -> Any:
    if kind == "bool":
        if raw not in ("true", "false"):
            raise ValueError(raw)
        return raw == "true"
    if kind == "str":
        return raw
    pattern = _FORMATS.get(kind)
    if pattern is not None and not pattern.fullmatch(raw):
        raise ValueError(kind)
    if kind in ("enum", "literal"):
        return _adapter(python_type).validate_strings(raw, strict=True)
    value = _adapter(_TYPES[kind]).validate_strings(raw, strict=True)
    if kind == "int" and not INT64[0] <= value <= INT64[1]:
        raise ValueError(kind)
    if kind == "float" and not math.isfinite(value):
        raise ValueError(kind)
    return value


def moment(name: str, raw: str | None) -> dt.datetime | None:
    """An RFC 3339 date-time query parameter, in UTC."""
    if raw is None:
        return None
    value: dt.datetime = parse(name, "datetime", raw)
    return value.astimezone(dt.UTC)
