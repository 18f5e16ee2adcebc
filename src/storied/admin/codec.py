"""Exact text for column values, both ways: portable backups (JSON) and CSV files (text).

Values are what storied's column types give on every backend (Decimal, UUID, aware UTC
datetimes, bytes, JSON data), so a file written from SQLite reads back into PostgreSQL equal.
The kind of each column comes from its SQLAlchemy type's ``python_type``; nothing here looks at
the backend.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

Kind = Literal[
    "str", "int", "float", "bool", "decimal", "uuid", "datetime", "date", "time", "bytes", "json"
]

#: the CSV spelling of NULL (PostgreSQL COPY's); a text value starting with a backslash gets
#: one more in front, so ``\N`` the string and NULL stay apart, and "" stays the empty string
NULL = "\\N"

_BY_TYPE: list[tuple[type, Kind]] = [
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (Decimal, "decimal"),
    (uuid.UUID, "uuid"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
    (dt.time, "time"),
    (bytes, "bytes"),
    (str, "str"),
]


def kind(column: sa.Column[Any]) -> Kind:
    """The value kind of a column, from its type."""
    base = column.type
    while isinstance(base, TypeDecorator):  # storied's own types: judge by what they wrap
        base = base.impl_instance
    if isinstance(base, sa.JSON):
        return "json"
    try:
        python = base.python_type
    except NotImplementedError:
        return "str"
    if python in (dict, list):
        return "json"
    for py_type, found in _BY_TYPE:
        if issubclass(python, py_type):
            return found
    return "str"


def _iso(value: Any) -> str:
    return str(value.isoformat())


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


_TO_JSON: dict[Kind, Callable[[Any], Any]] = {
    "decimal": str,
    "uuid": str,
    "datetime": _iso,
    "date": _iso,
    "time": _iso,
    "bytes": _b64,
}
_FROM_JSON: dict[Kind, Callable[[Any], Any]] = {
    "decimal": Decimal,
    "uuid": uuid.UUID,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "bytes": base64.b64decode,
    "int": int,
    "float": float,
}


def _keep(value: Any) -> Any:
    return value


def json_encoders(columns: list[sa.Column[Any]]) -> list[Callable[[Any], Any]]:
    """Per column: value → JSON-able (None stays None)."""
    return [_TO_JSON.get(kind(c), _keep) for c in columns]


def json_decoders(columns: list[sa.Column[Any]]) -> list[Callable[[Any], Any]]:
    """Per column: JSON-able → value (None stays None)."""
    return [_FROM_JSON.get(kind(c), _keep) for c in columns]


def to_text(value: Any, of: Kind) -> str:
    """One CSV cell."""
    if value is None:
        return NULL
    if of == "str":
        text = str(value)
        return "\\" + text if text.startswith("\\") else text
    if of == "bool":
        return "true" if value else "false"
    if of == "float":
        return repr(float(value))
    if of == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    encode = _TO_JSON.get(of)
    return encode(value) if encode else str(value)


_TRUE = {"true": True, "1": True, "false": False, "0": False}


def from_text(text: str, of: Kind) -> Any:
    """One CSV cell back to a value (ValueError when it is not one)."""
    if text == NULL:
        return None
    if of == "str":
        return text[1:] if text.startswith("\\") else text
    if of == "bool":
        try:
            return _TRUE[text.strip().lower()]
        except KeyError:
            raise ValueError(f"not a boolean: use true or false (got {len(text)} chars)") from None
    if of == "json":
        return json.loads(text)
    decode = _FROM_JSON.get(of)
    return decode(text) if decode else text
