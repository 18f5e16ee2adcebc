"""The request and response shapes generated for one model.

Request bodies are validated by storied itself, from the raw bytes, with Pydantic's strict JSON
mode (``false`` is no ``0.0``, ``"1"`` no integer, unknown fields are refused); their JSON
Schemas are inlined in the OpenAPI document so that it describes exactly what is accepted.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo

from storied import Model, ValidationError

from .problems import MALFORMED, ProblemError
from .values import INT64

_STRICT = ConfigDict(strict=True, extra="forbid")


class ListPage(BaseModel):
    """A page of a list: the items, the total matching, and the keyset link to the next page."""

    total: int
    limit: int
    offset: int
    next: str | None = None


@dataclass
class Shapes:
    """The generated models of one storied model."""

    model: type[Model]

    @cached_property
    def spec(self) -> Any:
        return self.model.storied_spec()

    @cached_property
    def name(self) -> str:
        return self.model.__name__

    @cached_property
    def id_type(self) -> type:
        return int if self.spec.options.primary_key == "int" else UUID

    @cached_property
    def versioned(self) -> bool:
        return bool(self.spec.options.history == "scd2")

    @cached_property
    def audited(self) -> bool:
        return bool(self.spec.options.history == "copy_on_change")

    @cached_property
    def tenanted(self) -> bool:
        return bool(self.spec.options.tenant)

    @cached_property
    def soft_delete(self) -> bool:
        return bool(self.spec.options.soft_delete)

    @cached_property
    def id_annotation(self) -> Any:
        if self.id_type is int:
            return whole_int(0)
        return UUID

    def _user_fields(self, optional: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in self.spec.fields.items():
            info = self.model.model_fields[name]
            if optional:
                # not required, no default: a PATCH names only the fields it changes
                info = FieldInfo.merge_field_infos(info, default=None, default_factory=None)
            annotation: Any = info.annotation
            if field.kind == "decimal":
                annotation = decimal_annotation(field, annotation)
            elif field.kind == "int":  # JSON Schema calls 3.0 an integer: so do we
                annotation = Annotated[annotation, BeforeValidator(_whole)]
            out[name] = (annotation, info)
        return out

    @cached_property
    def create_body(self) -> type[BaseModel]:
        fields = self._user_fields(optional=False)
        fields["id"] = (self.id_annotation | None, None)
        if self.tenanted:
            fields["tenant_id"] = (self.spec.options.tenant_type | None, None)
        return create_model(f"{self.name}Create", __config__=_STRICT, **fields)

    @cached_property
    def replace_body(self) -> type[BaseModel]:
        return create_model(
            f"{self.name}Replace", __config__=_STRICT, **self._user_fields(optional=False)
        )

    @cached_property
    def patch_body(self) -> type[BaseModel]:
        return create_model(
            f"{self.name}Patch", __config__=_STRICT, **self._user_fields(optional=True)
        )

    @cached_property
    def page(self) -> type[BaseModel]:
        return create_model(f"{self.name}Page", __base__=ListPage, items=(list[self.model], ...))  # type: ignore[name-defined]

    def parse(self, body_model: type[BaseModel], raw: bytes) -> BaseModel:
        """Validate a request body from its bytes (strict JSON mode)."""
        if not raw.strip():
            raise ProblemError(MALFORMED, "a JSON request body is required")
        try:
            return body_model.model_validate_json(raw)
        except PydanticValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise ProblemError(MALFORMED, "the request body is not valid JSON") from None
            errors = [{"loc": tuple(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
            raise ValidationError(f"invalid {body_model.__name__} body", errors) from None


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def whole_int(low: int) -> Any:
    """An integer from ``low`` up to 2**53 - 1; ``3.0`` counts, as in JSON Schema."""
    return Annotated[int, Field(ge=low, le=INT64[1]), BeforeValidator(_whole)]


_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def _decimal_text(value: Any) -> Any:
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return Decimal(value)
    if value is None:
        return None
    raise ValueError('a decimal is sent as a string of digits, e.g. "9.99"')


def decimal_annotation(field: Any, annotation: Any) -> Any:
    """A Decimal body field: a string of at most the column's digits, as its schema says.

    (JSON numbers are binary floats: a decimal travels as text, as it is sent back.)
    """
    places = field.decimal_places
    whole = (field.max_digits - (places or 0)) if field.max_digits else None
    sign = "" if min((v for v in field.bounds.values()), default=-1) >= 0 else "-?"
    digits = rf"\d{{1,{whole}}}" if whole else r"\d+"
    fraction = (rf"(\.\d{{1,{places}}})?" if places else "") if places != 0 else ""
    if places is None:
        fraction = r"(\.\d+)?"
    schema: dict[str, Any] = {"type": "string", "pattern": f"^{sign}{digits}{fraction}$"}
    if field.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return Annotated[annotation, BeforeValidator(_decimal_text), WithJsonSchema(schema)]


def request_body(body_model: type[BaseModel]) -> dict[str, Any]:
    """An OpenAPI ``requestBody`` with the model's JSON Schema inlined."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(body_model)}},
        }
    }


def inline_schema(model: type[BaseModel] | Any, mode: str = "validation") -> dict[str, Any]:
    """A JSON Schema without ``$defs``: each local reference replaced by its definition."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        schema = model.model_json_schema(mode=mode)  # type: ignore[arg-type]
    else:
        schema = dict(model)
    defs = schema.pop("$defs", {})

    def resolve(node: Any, depth: int) -> Any:
        if depth > 32:  # a recursive type: stop expanding
            return {}
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = copy.deepcopy(defs[ref.removeprefix("#/$defs/")])
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return resolve({**target, **rest}, depth + 1)
            return {k: resolve(v, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v, depth) for v in node]
        return node

    return resolve(schema, 0)  # type: ignore[no-any-return]


def etag(version: int | None) -> str:
    return f'"{version or 0}"'


IF_MATCH = r'^(\*|(W/)?"[0-9]{1,15}"|[0-9]{1,15})$'


def parse_if_match(value: str | None) -> int | None:
    """The version an ``If-Match`` header names; None for ``*`` or no header.

    A value that is no entity tag of this API (several tags, a bare number…) is 422.
    """
    if value is None or value == "*":
        return None
    if not re.fullmatch(IF_MATCH, value):
        raise ValidationError(
            'If-Match takes one ETag of this API ("3") or *',
            [{"loc": ("header", "If-Match"), "msg": "invalid entity tag"}],
        )
    return int(value.removeprefix("W/").strip('"'))  # a bare number is taken too


def aware(moment: dt.datetime) -> dt.datetime:
    """A query parameter's moment, in UTC (a naive one is taken as UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
