"""The polyfactory side: a ModelFactory per storied model, seeded, with storied's rules.

polyfactory generates every value from the model's types and Pydantic constraints. The mixin
below changes only what storied needs: bookkeeping fields stay unset, datetimes are aware UTC
within a fixed window (never relative to today, so a seed means the same values tomorrow),
JSON ``object`` values are JSON data, and fields with a name rule take their value from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from random import Random
from typing import Any, ClassVar

from faker import Faker
from polyfactory.factories.pydantic_factory import ModelFactory
from polyfactory.field_meta import FieldMeta
from polyfactory.value_generators.constrained_numbers import handle_constrained_decimal

from ..models.base import Model

#: the fields storied stamps on every write (id, tenant, version, created/updated/deleted)
BOOKKEEPING = frozenset(Model.model_fields)

#: generated datetimes fall in this window, whatever day the tests run
_START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_SPAN_US = int((dt.datetime(2030, 1, 1, tzinfo=dt.UTC) - _START).total_seconds()) * 10**6


def _datetime(rnd: Random) -> dt.datetime:
    return _START + dt.timedelta(microseconds=rnd.randrange(_SPAN_US))


def _time(rnd: Random) -> dt.time:
    return _datetime(rnd).time()


class StoriedValues:
    """Mixed in front of polyfactory's ModelFactory for one storied model."""

    __random__: ClassVar[Random]
    __faker__: ClassVar[Faker]
    #: field name → generator of its value (name rules, extensions, default decimals)
    __storied_values__: ClassVar[Mapping[str, Callable[[], Any]]] = {}

    @classmethod
    def get_provider_map(cls) -> dict[Any, Callable[[], Any]]:
        # polyfactory rebuilds this map for every field of every object; the providers are
        # bound to this class's Random and Faker, so one map serves all its builds
        cached: dict[Any, Callable[[], Any]] | None = cls.__dict__.get("_storied_providers")
        if cached is None:
            cached = cls._storied_provider_map()
            cls._storied_providers = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def _storied_provider_map(cls) -> dict[Any, Callable[[], Any]]:
        rnd = cls.__random__
        providers: dict[Any, Callable[[], Any]] = super().get_provider_map()  # type: ignore[misc]
        providers.update(
            {
                dt.datetime: lambda: _datetime(rnd),
                dt.date: lambda: _datetime(rnd).date(),
                dt.time: lambda: _time(rnd),
                # dict[str, object] and friends: JSON data, not object() instances
                object: lambda: cls.__faker__.pystr(min_chars=1, max_chars=12),
            }
        )
        return providers

    @classmethod
    def should_set_field_value(cls, field_meta: FieldMeta, **kwargs: Any) -> bool:
        if field_meta.name in BOOKKEEPING and field_meta.name not in kwargs:
            return False
        return super().should_set_field_value(field_meta, **kwargs)  # type: ignore[misc, no-any-return]

    @classmethod
    def get_field_value(
        cls,
        field_meta: FieldMeta,
        field_build_parameters: Any | None = None,
        build_context: Any | None = None,
    ) -> Any:
        make = cls.__storied_values__.get(field_meta.name)
        if make is not None:
            if field_build_parameters is None and cls.should_set_none_value(field_meta):  # type: ignore[attr-defined]
                return None
            return make()
        return super().get_field_value(  # type: ignore[misc]
            field_meta, field_build_parameters, build_context
        )


def polyfactory_for(
    model: type[Model],
    faker: Faker,
    rnd: Random,
    values: Mapping[str, Callable[[], Any]],
    allow_none: bool,
) -> type[ModelFactory[Any]]:
    """A fresh ModelFactory subclass for ``model`` with its own Faker and Random."""
    attrs = {
        "__model__": model,
        "__faker__": faker,
        "__random__": rnd,
        "__storied_values__": values,
        "__allow_none_optionals__": allow_none,
        "__check_model__": False,
    }
    return type(f"{model.__name__}Factory", (StoriedValues, ModelFactory), attrs)


def decimal_within(rnd: Random, max_digits: int, places: int, bounds: Mapping[str, Any]) -> Decimal:
    """A Decimal that fits NUMERIC(max_digits, places) and the field's bounds."""
    value: Decimal = handle_constrained_decimal(
        random=rnd,
        max_digits=max_digits,
        decimal_places=places,
        **{k: Decimal(str(v)) for k, v in bounds.items()},
    )
    return value
