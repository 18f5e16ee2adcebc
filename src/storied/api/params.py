"""The OpenAPI side of list and get requests: filter parameters, ``as_of``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from starlette.requests import Request

from storied import Model, ValidationError

from .listing import OPS, filterable_fields
from .schemas import Shapes, aware, inline_schema

_MOMENT = TypeAdapter(dt.datetime)


def moment_param(request: Request, shapes: Shapes) -> dt.datetime | None:
    """The ``as_of`` query parameter of an scd2 model (ignored elsewhere: not in its schema)."""
    raw = request.query_params.get("as_of")
    if raw is None or not shapes.versioned:
        return None
    try:
        return aware(_MOMENT.validate_strings(raw))
    except PydanticValidationError:
        raise ValidationError(
            "as_of must be an RFC 3339 date-time",
            [{"loc": ("query", "as_of"), "msg": "invalid date-time"}],
        ) from None


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
    "int": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
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
