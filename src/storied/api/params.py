"""The OpenAPI side of list and get requests: filter parameters, ``as_of``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import TypeAdapter
from starlette.requests import Request

from storied import Model

from . import values
from .listing import OPS, filterable_fields
from .schemas import Shapes, inline_schema

SORT = "comma-separated fields, each with `-` for descending (`-price,name`)"


def sort_pattern(model: type[Model]) -> str:
    """A regular expression matching exactly the ``sort`` values the model accepts."""
    names = "|".join(re.escape(n) for n in sorted(filterable_fields(model), key=len, reverse=True))
    return rf"^(-?({names})(,-?({names}))*)?$"


def moment_param(request: Request, shapes: Shapes) -> dt.datetime | None:
    """The ``as_of`` query parameter of an scd2 model (ignored elsewhere: not in its schema)."""
    if not shapes.versioned:
        return None
    return values.moment("as_of", request.query_params.get("as_of"))


def as_of_parameter(shapes: Shapes) -> list[dict[str, Any]]:
    if not shapes.versioned:
        return []
    schema = {"type": "string", "format": "date-time"}
    about = "read the version valid at this moment"
    return [{"name": "as_of", "in": "query", "schema": schema, "description": about}]


def filter_parameters(model: type[Model]) -> list[dict[str, Any]]:
    """The OpenAPI query parameters of the list filters: ``field`` and ``field__op``."""
    out: list[dict[str, Any]] = []
    spec = model.storied_spec()
    for field, kind in filterable_fields(model).items():
        value = value_schema(spec.fields[field].python_type if field in spec.fields else None, kind)
        for op, kinds in OPS.items():
            if kinds is not None and kind not in kinds:
                continue
            key = field if op == "eq" else f"{field}__{op}"
            param: dict[str, Any] = {"name": key, "in": "query"}
            if op == "isnull":
                param["schema"] = {"type": "boolean"}
            elif op == "in":
                param.update(schema={"type": "array", "items": value}, style="form", explode=False)
            elif op in ("contains", "icontains", "startswith", "endswith"):
                param["schema"] = {"type": "string"}
            else:
                param["schema"] = value
            out.append(param)
    return out


_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer", "minimum": values.INT64[0], "maximum": values.INT64[1]},
    "float": {"type": "number"},
    "decimal": {"type": "number"},
    "bool": {"type": "boolean"},
    "uuid": {"type": "string", "format": "uuid"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
}


def value_schema(python_type: Any, kind: str) -> dict[str, Any]:
    """The JSON Schema of one filter value of a field."""
    if kind in ("enum", "literal") and python_type is not None:
        return inline_schema(TypeAdapter(python_type).json_schema())
    return dict(_KIND_SCHEMAS.get(kind, {"type": "string"}))
