"""The request and response shapes generated for one model.

Request bodies are validated by storied itself, from the raw bytes, with Pydantic's strict JSON
mode (``false`` is no ``0.0``, ``"1"`` no integer, unknown fields are refused); their JSON
Schemas are inlined in the OpenAPI document so that it describes exactly what is accepted.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, create_model
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo

from storied import Model, ValidationError

from .problems import MALFORMED, ProblemError

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

    def _user_fields(self, optional: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.spec.fields:
            info = self.model.model_fields[name]
            if optional:
                # not required, no default: a PATCH names only the fields it changes
                info = FieldInfo.merge_field_infos(info, default=None, default_factory=None)
            out[name] = (info.annotation, info)
        return out

    @cached_property
    def create_body(self) -> type[BaseModel]:
        fields = self._user_fields(optional=False)
        fields["id"] = (self.id_type | None, None)
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


def parse_if_match(value: str | None) -> int | None:
    """The version an ``If-Match`` header names; None for ``*``.

    A value naming no version (or several) can never match: -1, which no row has.
    """
    if value is None:
        return None
    value = value.strip()
    if value == "*":
        return None
    if value.startswith("W/"):
        value = value[2:]
    if len(value) >= 2 and value[0] == value[-1] == '"' and value[1:-1].isdigit():
        return int(value[1:-1])
    return -1


def aware(moment: dt.datetime) -> dt.datetime:
    """A query parameter's moment, in UTC (a naive one is taken as UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
