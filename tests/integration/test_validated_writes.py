"""Writes take a model instance Pydantic validated as it is, and validate every other one.

An instance changed since its validation (unvalidated assignment, ``del``, in-place mutation of
a JSON field), built without validation (``model_copy(update=…)``, ``model_construct``), of a
subclass, or leaving an unvalidated default unset is validated again: a bad value is refused
with storied's ValidationError and nothing is written. See ``storied/models/validity.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from pydantic import ConfigDict

from storied import Field, Model, ValidationError
from tests.integration.conftest import Repo, Store


class VwItem(Model, table="vw_items"):
    model_config = ConfigDict(validate_assignment=False)

    sku: str = Field(max_length=8)
    qty: int = Field(ge=0, le=100)
    price: Decimal = Field(ge=0, max_digits=8, decimal_places=2)


class VwLongSku(VwItem):
    """A subclass whose own rule is looser than the table's model."""

    sku: str = Field(max_length=100)


class VwDefaults(Model, table="vw_defaults"):
    sku: str = Field(max_length=8)
    level: int = Field(default=500, le=100)  # not validated on construction
    code: str = Field(default_factory=lambda: "C" * 20, max_length=8)


class VwDoc(Model, table="vw_docs"):
    meta: dict[str, int]
    tags: list[int] = Field(default_factory=list)


class VwAudited(Model, table="vw_audited", history="copy_on_change"):
    sku: str = Field(max_length=8)
    price: Decimal = Field(ge=0, max_digits=8, decimal_places=2)


MODELS = (VwItem, VwDefaults, VwDoc, VwAudited)


@pytest.fixture
async def repos(store: Store, tenant: UUID) -> dict[str, Repo]:
    await store.create_all(*MODELS)
    return {m.__name__: store.repository(m, tenant_id=tenant, actor="alice") for m in MODELS}


@pytest.fixture
def items(repos: dict[str, Repo]) -> Repo:
    return repos["VwItem"]


def item(**overrides: Any) -> VwItem:
    return VwItem(**({"sku": "A1", "qty": 1, "price": Decimal("1.50")} | overrides))


async def refused(repo: Repo, value: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await repo.create(value)
    assert caught.value.errors[0]["loc"][0] == field
    assert await repo.count(include_deleted=True) == 0


async def test_a_valid_instance_is_written_and_left_as_it_was(items: Repo) -> None:
    given = item()
    before = given.model_dump()
    created = await items.create(given)
    assert created is not given
    assert given.model_dump() == before
    assert given.id is None
    assert (created.sku, created.qty, created.price) == ("A1", 1, Decimal("1.50"))
    assert type(created) is VwItem
    assert created.version == 1
    assert await items.get(created.id) == created


async def test_the_callers_decimal_keeps_its_scale(items: Repo) -> None:
    given = item(price=Decimal("1.5"))
    created = await items.create(given)
    assert str(created.price) == "1.50"  # the column's scale, as stored
    assert str(given.price) == "1.5"
    assert str((await items.get(created.id)).price) == "1.50"


@pytest.mark.parametrize(
    ("field", "value"), [("sku", "S" * 9), ("qty", 101), ("qty", -1), ("price", Decimal("-1"))]
)
async def test_an_unvalidated_assignment_is_validated_on_write(
    items: Repo, field: str, value: Any
) -> None:
    changed = item()
    setattr(changed, field, value)  # validate_assignment is off: Pydantic takes it as given
    await refused(items, changed, field)


async def test_a_validated_assignment_is_written(repos: dict[str, Repo]) -> None:
    audited = repos["VwAudited"]
    given = VwAudited(sku="A1", price=Decimal(1))
    given.sku = "B2"  # validate_assignment is on for storied's models
    assert (await audited.create(given)).sku == "B2"
    with pytest.raises(ValueError, match="8 characters"):
        given.sku = "S" * 9


async def test_model_copy_with_a_bad_update_is_refused(items: Repo) -> None:
    await refused(items, item().model_copy(update={"qty": 500}), "qty")
    await refused(items, item().model_copy(update={"sku": "S" * 9}), "sku")


async def test_model_construct_is_validated(items: Repo) -> None:
    await refused(items, VwItem.model_construct(sku="A1", qty=1000, price=Decimal(1)), "qty")
    built = VwItem.model_construct(sku="A1", qty="7", price="2")  # lax values: validated
    created = await items.create(built)
    assert created.qty == 7
    assert created.price == Decimal("2.00")


async def test_a_deleted_field_is_missing(items: Repo) -> None:
    changed = item()
    del changed.qty
    await refused(items, changed, "qty")


async def test_a_subclass_instance_is_validated_by_the_repositorys_model(items: Repo) -> None:
    await refused(items, VwLongSku(sku="S" * 20, qty=1, price=Decimal(1)), "sku")


async def test_a_json_field_changed_in_place_is_validated(repos: dict[str, Repo]) -> None:
    docs = repos["VwDoc"]
    doc = VwDoc(meta={"a": 1}, tags=[])
    doc.meta["b"] = "many"  # type: ignore[assignment]
    await refused(docs, doc, "meta")
    doc = VwDoc(meta={"a": 1}, tags=[])
    doc.tags.append("x")  # type: ignore[arg-type]
    await refused(docs, doc, "tags")
    doc = VwDoc(meta={"a": 1}, tags=[1])
    doc.tags.append(2)
    assert (await docs.create(doc)).tags == [1, 2]


async def test_an_unvalidated_default_left_unset_is_validated(repos: dict[str, Repo]) -> None:
    defaults = repos["VwDefaults"]
    await refused(defaults, VwDefaults(sku="A1", code="ok"), "level")
    await refused(defaults, VwDefaults(sku="A1", level=5), "code")
    created = await defaults.create(VwDefaults(sku="A1", level=5, code="ok"))
    assert (created.level, created.code) == (5, "ok")


async def test_create_many_of_a_mixed_batch(items: Repo) -> None:
    bad = item(sku="B2")
    bad.qty = 1000
    with pytest.raises(ValidationError):
        await items.create_many([item(), bad, item(sku="C3")])
    assert await items.count(include_deleted=True) == 0
    given: list[Any] = [
        item(),
        {"sku": "B2", "qty": 2, "price": "2.5"},
        VwItem.model_construct(sku="C3", qty=3, price=Decimal(3)),
        item(sku="D4").model_copy(update={"qty": 4}),
        item(sku="E5", price=Decimal("5.5")),
    ]
    created = await items.create_many(given)
    assert [(m.sku, m.qty, str(m.price)) for m in created] == [
        ("A1", 1, "1.50"),
        ("B2", 2, "2.50"),
        ("C3", 3, "3.00"),
        ("D4", 4, "1.50"),
        ("E5", 1, "5.50"),
    ]
    assert all(type(m) is VwItem and m.id is not None for m in created)
    assert str(given[4].price) == "5.5"
    assert given[4].id is None
    assert sorted(m.sku for m in await items.list()) == ["A1", "B2", "C3", "D4", "E5"]


async def test_history_is_the_same_as_for_a_validated_mapping(repos: dict[str, Repo]) -> None:
    audited = repos["VwAudited"]
    trusted = await audited.create(VwAudited(sku="A1", price=Decimal("1.5")))
    checked = await audited.create({"sku": "B2", "price": Decimal("1.5")})

    def shape(history: Any) -> list[Any]:
        return [(c.operation, c.actor, dict(c.changes)) for c in history]

    mine, theirs = (
        shape(await audited.history(trusted.id)),
        shape(await audited.history(checked.id)),
    )
    assert mine == [("create", "alice", {"sku": (None, "A1"), "price": (None, Decimal("1.50"))})]
    assert theirs == [("create", "alice", {"sku": (None, "B2"), "price": (None, Decimal("1.50"))})]
    assert trusted.model_fields_set == checked.model_fields_set
