"""The ``Model`` base class: a Pydantic model that knows its table."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from .._compat import base_init
from ..errors import ModelDefinitionError
from . import validity
from .options import ModelOptions
from .relations import Relationship
from .reserved import check_names
from .spec import ModelSpec, build_spec


class Model(BaseModel):
    """Base of every stored model.

    Class keywords set the table options (see :class:`ModelOptions`)::

        class Product(Model, table="products", history="copy_on_change"):
            sku: str = Field(max_length=64, unique=True)

    The bookkeeping fields below are filled by storied on every write; values a caller puts
    there are ignored (``id`` excepted: a caller may choose the id of a new row).

    An instance Pydantic validated carries a mark that writes trust instead of validating it
    again; copies and unvalidated changes do not carry it (see ``models/validity.py``).
    """

    __slots__ = ("__storied_valid__",)

    model_config = ConfigDict(
        extra="forbid",
        validate_default=False,
        validate_assignment=True,
        ignored_types=(Relationship,),
    )

    __storied_options__: ClassVar[ModelOptions | None] = None
    __storied_spec__: ClassVar[ModelSpec | None] = None

    id: UUID | int | None = None
    tenant_id: UUID | str | int | None = None
    version: int | None = None
    created_at: dt.datetime | None = None
    created_by: str | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None

    @base_init
    def __init__(self, /, **data: Any) -> None:
        __tracebackhide__ = True
        super().__init__(**data)
        validity.mark(self)

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        __tracebackhide__ = True
        model = super().model_validate(obj, **options)
        if model is not obj and isinstance(model, Model):  # an instance passed through is not
            validity.mark(model)
        return model

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        __tracebackhide__ = True
        model = super().model_validate_json(json_data, **options)
        if isinstance(model, Model):
            validity.mark(model)
        return model

    @classmethod
    def model_validate_strings(cls, obj: Any, **options: Any) -> Self:
        __tracebackhide__ = True
        model = super().model_validate_strings(obj, **options)
        if isinstance(model, Model):
            validity.mark(model)
        return model

    def __setattr__(self, name: str, value: Any) -> None:
        cls = type(self)
        if not (cls.model_config.get("validate_assignment") and name in cls.model_fields):
            validity.clear(self)  # Pydantic stores it unchecked
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        validity.clear(self)
        super().__delattr__(name)

    def __setstate__(self, state: dict[Any, Any]) -> None:
        validity.clear(self)
        super().__setstate__(state)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Pydantic hands the class keywords to __pydantic_init_subclass__ once fields exist.
        super().__init_subclass__()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__()
        parent = next(
            (
                b.__storied_options__
                for b in cls.__mro__[1:]
                if isinstance(b, type) and issubclass(b, Model) and b.__storied_options__
            ),
            None,
        )
        options = ModelOptions.from_class_kwargs(cls.__name__, kwargs, parent)
        cls.__storied_options__ = options
        cls.__storied_spec__ = None
        if not options.abstract and cls.__pydantic_complete__:
            cls.__storied_spec__ = _spec(cls, options)  # mapping errors surface at once

    @classmethod
    def storied_spec(cls) -> ModelSpec:
        """The mapped shape of this model (raises for abstract models).

        Built when the class is defined, or on first use if the class had forward references
        that Pydantic could only resolve later (``model_rebuild``).
        """
        spec = cls.__dict__.get("__storied_spec__")
        if spec is not None:
            return spec  # type: ignore[no-any-return]
        options = cls.__dict__.get("__storied_options__")
        if options is None or options.abstract:
            raise ModelDefinitionError(f"{cls.__name__} is abstract or not a storied model")
        if not cls.__pydantic_complete__:
            cls.model_rebuild(raise_errors=False)
        if not cls.__pydantic_complete__:
            raise ModelDefinitionError(
                f"{cls.__name__} has unresolved forward references; define the referenced "
                f"types, then call {cls.__name__}.model_rebuild()"
            )
        spec = _spec(cls, options)
        cls.__storied_spec__ = spec
        return spec


def _spec(model: type[Model], options: ModelOptions) -> ModelSpec:
    spec = build_spec(model, options)
    pairs = [(name, f.column) for name, f in spec.fields.items()]
    check_names(model, Model, pairs, options.tenant_column)
    return spec
