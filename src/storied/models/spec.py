"""ModelSpec: what storied reads from a model class, through Pydantic's public API only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from ..errors import UnknownFieldError, ValidationError
from . import validity
from . import values as checks
from .field_spec import FieldSpec as FieldSpec
from .field_spec import Kind as Kind
from .field_spec import field_spec
from .options import ModelOptions
from .reserved import SYSTEM_FIELDS as SYSTEM_FIELDS

_INT64_MIN: int = checks.INT64[0]
_INT64_MAX: int = checks.INT64[1]

if TYPE_CHECKING:
    from .base import Model


@dataclass(eq=False)
class ModelSpec:
    """The mapped shape of one model class."""

    model: type[Model]
    options: ModelOptions
    fields: dict[str, FieldSpec]

    @property
    def name(self) -> str:
        return self.model.__name__

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(self.fields)

    @cached_property
    def readable_names(self) -> frozenset[str]:
        """Names a caller may filter or order by: user fields and bookkeeping columns."""
        system = set(SYSTEM_FIELDS)
        if not self.options.tenant:
            system.discard("tenant_id")
        if not self.options.soft_delete:
            system -= {"deleted_at", "deleted_by"}
        return frozenset(self.fields) | system

    def check_readable(self, name: str) -> None:
        if name not in self.readable_names:
            raise UnknownFieldError(self.name, name, sorted(self.readable_names))

    def check_writable(self, name: str) -> FieldSpec:
        spec = self.fields.get(name)
        if spec is None:
            if name in SYSTEM_FIELDS:
                raise ValidationError(
                    f"{self.name}.{name} is maintained by storied and cannot be set",
                    [{"loc": (name,), "msg": "read-only field"}],
                )
            raise UnknownFieldError(self.name, name, list(self.fields))
        return spec

    @cached_property
    def _adapters(self) -> dict[str, TypeAdapter[Any]]:
        return {
            name: TypeAdapter(Annotated[f.info.annotation, f.info])  # type: ignore[arg-type]
            for name, f in self.fields.items()
        }

    @cached_property
    def tenant_adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.options.tenant_type)

    @cached_property
    def _plain_adapters(self) -> dict[str, TypeAdapter[Any]]:
        """Type-only adapters (no bounds) for values compared against a field in a filter."""
        out: dict[str, TypeAdapter[Any]] = {}
        for name, info in self.model.model_fields.items():
            annotation: Any = info.annotation
            if name == "tenant_id":
                annotation = self.options.tenant_type | None
            out[name] = TypeAdapter(annotation)
        return out

    def coerce(self, name: str, value: Any) -> Any:
        """Validate a filter value against the field's type, without its bounds, and against
        what its column can hold (text, integer range)."""
        self.check_readable(name)
        try:
            result = self._plain_adapters[name].validate_python(value)
        except PydanticValidationError as exc:
            raise validation_error(self.name, exc, (name,)) from None
        problem = self._filter_checks[name](result) if result is not None else None
        if problem is not None:
            raise _invalid(self.name, [{"loc": (name,), "msg": problem}])
        return result

    def check_text(self, name: str, text: str) -> None:
        """A LIKE operand is text as any other filter value is."""
        problem = checks.text_problem(text)
        if problem is not None:
            raise _invalid(self.name, [{"loc": (name,), "msg": problem}])

    @cached_property
    def _filter_checks(self) -> dict[str, checks.Check]:
        """Per readable name: the field's own check, else text and 64-bit integer checks."""
        plain = checks.first_problem((checks.check_text, checks.int_check(*checks.INT64)))
        out = dict.fromkeys(self.readable_names, plain)
        for name, f in self.fields.items():
            out[name] = f.check or plain
        return out

    @cached_property
    def _checks(self) -> tuple[tuple[str, checks.Check], ...]:
        return tuple((n, f.check) for n, f in self.fields.items() if f.check is not None)

    def check_values(self, values: dict[str, Any]) -> None:
        """Refuse values no backend stores as given (see :mod:`.values`), naming their fields."""
        errors: list[dict[str, Any]] = []
        for name, check in self._checks:
            value = values.get(name)
            if value is not None:
                problem = check(value)
                if problem is not None:
                    errors.append({"loc": (name,), "msg": problem})
        if errors:
            raise _invalid(self.name, errors)

    @cached_property
    def _id_type(self) -> type:
        return int if self.options.primary_key == "int" else uuid.UUID

    @cached_property
    def id_adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self._id_type)

    def coerce_id(self, value: Any) -> Any:
        kind: Any = self._id_type
        if type(value) is kind and (kind is uuid.UUID or _INT64_MIN <= value <= _INT64_MAX):
            return value  # the id as storied returns it: nothing to convert
        try:
            id = self.id_adapter.validate_python(value)
        except PydanticValidationError:
            id = None
        if id is None or (isinstance(id, int) and not checks.INT64[0] <= id <= checks.INT64[1]):
            raise ValidationError(
                f"{self.name}: {type(value).__name__} is not a valid id",
                [{"loc": ("id",), "msg": "invalid id"}],
            ) from None
        return id

    @cached_property
    def server_default_fields(self) -> tuple[str, ...]:
        """Fields the database fills when a new row leaves them None."""
        return tuple(n for n, f in self.fields.items() if f.column_info.server_default is not None)

    @cached_property
    def trust(self) -> validity.Trust | None:
        """What a write checks on a marked instance before taking it as it is, or None when
        writes validate every instance again (see :mod:`.validity`)."""
        has_json = any(f.kind == "json" for f in self.fields.values())
        return validity.trust(self.model, has_json)

    @cached_property
    def json_adapters(self) -> dict[str, TypeAdapter[Any]]:
        return {n: TypeAdapter(f.python_type) for n, f in self.fields.items() if f.kind == "json"}

    def storage_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """JSON fields as plain JSON data (nested models dumped); other values as they are."""
        for name, adapter in self.json_adapters.items():
            if name in values and values[name] is not None:
                values[name] = adapter.dump_python(values[name], mode="json")
        return values

    def validate_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Validate a partial update field by field, with the model's own rules."""
        out: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for name, value in changes.items():
            self.check_writable(name)
            try:
                out[name] = self._adapters[name].validate_python(value)
            except PydanticValidationError as exc:
                errors.extend({"loc": (name, *e["loc"]), "msg": e["msg"]} for e in exc.errors())
        if errors:
            raise _invalid(self.name, errors)
        return out


def _describe(model: str, errors: list[dict[str, Any]]) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors]
    return f"invalid {model}: " + "; ".join(parts)


def _invalid(model: str, errors: list[dict[str, Any]]) -> ValidationError:
    return ValidationError(_describe(model, errors), errors)


def validation_error(
    model: str, exc: PydanticValidationError, loc: tuple[str, ...] = ()
) -> ValidationError:
    """Turn Pydantic's error into storied's, keeping the per-field details (never the input).

    ``loc`` prefixes each location: the field a value was validated for on its own.
    """
    errors = [{"loc": (*loc, *e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    return _invalid(model, errors)


def build_spec(model: type[Model], options: ModelOptions) -> ModelSpec:
    fields: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        if name in SYSTEM_FIELDS:
            continue
        fields[name] = field_spec(model.__name__, name, info)
    return ModelSpec(model=model, options=options, fields=fields)
