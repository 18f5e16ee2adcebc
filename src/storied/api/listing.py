"""List requests: ``field__op=value`` filters, ``sort=-price,name``, limit/offset and cursors.

Every field name is checked against the model (storied's query compiler does it again) and
every value becomes a bound parameter typed by its field; nothing here builds SQL.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storied import F, Model, Query, UnknownFieldError, ValidationError

from . import values

#: query parameters that are not filters
RESERVED = frozenset({"limit", "offset", "sort", "cursor", "deleted", "as_of"})
#: ``field__op`` suffixes and the kinds of field each applies to (None: every filterable kind)
OPS: dict[str, frozenset[str] | None] = {
    "eq": None,
    "ne": None,
    "lt": frozenset({"int", "float", "decimal", "datetime", "date", "time", "str", "uuid"}),
    "le": frozenset({"int", "float", "decimal", "datetime", "date", "time", "str", "uuid"}),
    "gt": frozenset({"int", "float", "decimal", "datetime", "date", "time", "str", "uuid"}),
    "ge": frozenset({"int", "float", "decimal", "datetime", "date", "time", "str", "uuid"}),
    "in": None,
    "contains": frozenset({"str"}),
    "icontains": frozenset({"str"}),
    "startswith": frozenset({"str"}),
    "endswith": frozenset({"str"}),
    "isnull": None,
}
#: kinds a query string can carry (JSON and bytes fields are not filterable)
FILTERABLE = frozenset(
    {"str", "int", "float", "bool", "decimal", "uuid", "datetime", "date", "time"}
    | {"enum", "literal"}
)
#: bookkeeping columns a list may filter and sort by, with their kinds
SYSTEM_KINDS = {
    "id": "id",
    "version": "int",
    "created_at": "datetime",
    "updated_at": "datetime",
    "created_by": "str",
    "updated_by": "str",
}


def filterable_fields(model: type[Model]) -> dict[str, str]:
    """{field name: kind} of the fields a list request may filter and sort by."""
    spec = model.storied_spec()
    id_kind = "int" if spec.options.primary_key == "int" else "uuid"
    out = {n: (id_kind if k == "id" else k) for n, k in SYSTEM_KINDS.items()}
    out.update({n: f.kind for n, f in spec.fields.items() if f.kind in FILTERABLE})
    return out


def conditions(model: type[Model], params: Iterable[tuple[str, str]]) -> list[Any]:
    """The storied conditions of a request's filter parameters (others are ignored here)."""
    fields = filterable_fields(model)
    spec = model.storied_spec()
    out: list[Any] = []
    for key, raw in params:
        if key in RESERVED:
            continue
        name, _, op = key.partition("__")
        op = op or "eq"
        kinds = OPS.get(op, frozenset())
        if name not in fields:
            raise UnknownFieldError(model.__name__, name, sorted(fields))
        if kinds is not None and fields[name] not in kinds:
            raise ValidationError(
                f"{model.__name__}.{name} cannot be filtered with __{op}",
                [{"loc": ("query", key), "msg": "unsupported filter"}],
            )
        kind = fields[name]
        python_type = spec.fields[name].python_type if name in spec.fields else None
        ref = F[name]
        if op == "isnull":
            out.append(ref.is_null() if values.parse(key, "bool", raw) else ref.is_not_null())
        elif op == "in":
            out.append(ref.in_([values.parse(key, kind, v, python_type) for v in raw.split(",")]))
        elif op in ("contains", "icontains", "startswith", "endswith"):
            out.append(getattr(ref, op)(raw))
        else:
            out.append(_COMPARE[op](ref, values.parse(key, kind, raw, python_type)))
    return out


_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def sort_orders(model: type[Model], sort: str | None) -> list[str]:
    """``-price,name`` → ["-price", "name"], each name checked; ``id`` ends every order."""
    fields = filterable_fields(model)
    orders: list[str] = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        name = part.removeprefix("-")
        if name not in fields:
            raise UnknownFieldError(model.__name__, name, sorted(fields))
        orders.append(part)
    if not any(o.removeprefix("-") == "id" for o in orders):
        orders.append("id")
    return orders


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page starts: the sort and the last row's values in that sort."""

    sort: tuple[str, ...]
    values: tuple[Any, ...]

    def encode(self) -> str:
        raw = json.dumps([list(self.sort), list(self.values)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: Sequence[str]) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            order, values = json.loads(raw)
        except (binascii.Error, ValueError, TypeError):
            raise ValidationError(
                "cursor is not one this API issued",
                [{"loc": ("query", "cursor"), "msg": "invalid cursor"}],
            ) from None
        if order != list(sort) or not isinstance(values, list) or len(values) != len(sort):
            raise ValidationError(
                "cursor belongs to another sort order; pass the same sort as the first page",
                [{"loc": ("query", "cursor"), "msg": "cursor does not match sort"}],
            )
        return cls(tuple(sort), tuple(values))

    @classmethod
    def after(cls, row: Model, sort: Sequence[str]) -> Cursor:
        names = [s.removeprefix("-") for s in sort]
        dumped = row.model_dump(mode="json", include=set(names))
        return cls(tuple(sort), tuple(dumped.get(n) for n in names))


def visibility(query: Query[Any], deleted: str) -> Query[Any]:
    if deleted == "include":
        return query.include_deleted()
    if deleted == "only":
        return query.only_deleted()
    return query
