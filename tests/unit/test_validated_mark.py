"""The mark of an instance Pydantic validated: who sets it, what clears it, what never has it."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ConfigDict

from storied import Field, Model
from storied.models.validity import is_marked, valid_copy
from tests.models import Product


class Loose(Model, table="mark_loose"):
    model_config = ConfigDict(validate_assignment=False)

    sku: str = Field(max_length=8)
    qty: int = 0


def product() -> Product:
    return Product(sku="A1", name="Anvil", price=Decimal("1.5"))


DATA = {"sku": "A1", "name": "Anvil", "price": "1.5"}

VALIDATING: dict[str, Callable[[], Model]] = {
    "__init__": product,
    "model_validate": lambda: Product.model_validate(DATA),
    "model_validate from attributes": lambda: Product.model_validate(
        SimpleNamespace(**DATA), from_attributes=True
    ),
    "model_validate_json": lambda: Product.model_validate_json(product().model_dump_json()),
    "model_validate_strings": lambda: Product.model_validate_strings(DATA),
}


@pytest.mark.parametrize("build", VALIDATING.values(), ids=VALIDATING.keys())
def test_each_validating_entry_point_marks_the_new_instance(build: Callable[[], Model]) -> None:
    assert is_marked(build())


UNVALIDATED: dict[str, Callable[[Model], Any]] = {
    "model_copy": lambda m: m.model_copy(),
    "model_copy update": lambda m: m.model_copy(update={"sku": "B2"}),
    "model_copy deep": lambda m: m.model_copy(deep=True),
    "copy.copy": copy.copy,
    "copy.deepcopy": copy.deepcopy,
    "pickle": lambda m: pickle.loads(pickle.dumps(m)),
    "model_construct": lambda m: type(m).model_construct(**m.__dict__),
}


@pytest.mark.parametrize("derive", UNVALIDATED.values(), ids=UNVALIDATED.keys())
def test_copies_and_constructs_are_not_marked(derive: Callable[[Model], Any]) -> None:
    original = product()
    assert not is_marked(derive(original))
    assert is_marked(original)


def test_an_instance_passed_through_model_validate_keeps_its_own_state() -> None:
    built = Product.model_construct(sku="A1")
    assert Product.model_validate(built) is built
    assert not is_marked(built)


def test_an_unvalidated_assignment_clears_the_mark() -> None:
    loose = Loose(sku="A1")
    assert is_marked(loose)
    loose.sku = "S" * 20
    assert not is_marked(loose)


def test_a_validated_assignment_keeps_it() -> None:
    p = product()
    p.name = "Renamed"
    assert is_marked(p)
    with pytest.raises(ValueError, match="200 characters"):
        p.name = "Z" * 300
    assert is_marked(p)
    assert p.name == "Renamed"


def test_del_clears_the_mark() -> None:
    p = product()
    del p.name
    assert not is_marked(p)


def test_set_state_clears_the_mark() -> None:
    p = product()
    p.__setstate__(product().__getstate__())
    assert not is_marked(p)


def test_valid_copy_needs_the_unchecked_defaults_set() -> None:
    trust = Loose.storied_spec().trust
    assert trust == (frozenset({"qty"}), ())
    assert valid_copy(Loose(sku="A1"), trust) is None
    given = Loose(sku="A1", qty=2)
    copied = valid_copy(given, trust)
    assert copied is not None
    assert copied is not given
    assert type(copied) is Loose
    assert copied.__dict__ == given.__dict__
    assert copied.__dict__ is not given.__dict__
    assert copied.model_fields_set == {"sku", "qty"}
    assert not is_marked(copied)


def test_no_instance_of_a_model_with_a_json_field_is_taken_as_it_is() -> None:
    from tests.models import Everything

    assert Everything.storied_spec().trust is None
    assert Product.storied_spec().trust == (frozenset({"stock"}), ())


class Defaulted(Model, table="mark_defaulted"):
    model_config = ConfigDict(validate_default=True)

    sku: str
    level: int = 5
    counted: int = Field(default_factory=lambda: 3)
    note: str | None = None


@pytest.mark.parametrize(
    "given",
    [
        Defaulted(sku="a"),
        Defaulted(sku="a", note=None),
        Defaulted(sku="a", level=7, counted=1, note="n"),
        Product(sku="A1", name="Anvil", price=Decimal(1), stock=3),
        Product(sku="A1", name="Anvil", price=Decimal(1), stock=0, id=None),
    ],
)
def test_a_valid_copy_has_the_set_fields_a_new_validation_gives(given: Model) -> None:
    trust = type(given).storied_spec().trust
    assert trust is not None
    explicit = given.model_fields_set
    values = {k: v for k, v in given.__dict__.items() if v is not None or k in explicit}
    again = type(given).model_validate(values)  # what _instance builds when it validates
    copied = valid_copy(given, trust)
    assert copied is not None
    assert copied.model_fields_set == again.model_fields_set
    assert copied.__dict__ == again.__dict__


def test_validated_defaults_need_not_be_set() -> None:
    assert Defaulted.storied_spec().trust == (frozenset(), ("level", "counted"))
