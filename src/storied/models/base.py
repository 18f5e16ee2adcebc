"""The ``Model`` base class: a Pydantic model that knows its table."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from ..errors import ModelDefinitionError
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
    """

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
