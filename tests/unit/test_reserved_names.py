"""A model field cannot take a column name storied keeps for itself: a clear error at once."""

from __future__ import annotations

import datetime as dt

import pytest

from storied import Field, Model, ModelDefinitionError, Registry
from storied.models.reserved import RESERVED, STRATEGY_COLUMNS, SYSTEM_FIELDS


@pytest.mark.parametrize("name", sorted(STRATEGY_COLUMNS))
def test_a_field_named_like_a_storied_column_is_refused(name: str) -> None:
    with pytest.raises(ModelDefinitionError, match=rf"Clash\.{name}: '{name}' is a column"):
        type(
            "Clash",
            (Model,),
            {"__annotations__": {name: dt.datetime | None}, name: None},
            table="clash",
        )


@pytest.mark.parametrize("name", sorted(SYSTEM_FIELDS))
def test_a_bookkeeping_field_declared_again_is_refused(name: str) -> None:
    annotation = dt.datetime | None if name.endswith("_at") else str | None
    with pytest.raises(ModelDefinitionError, match=rf"Again\.{name}: a bookkeeping field"):
        type("Again", (Model,), {"__annotations__": {name: annotation}, name: None}, table="again")


def test_a_column_option_cannot_take_a_reserved_name_either() -> None:
    with pytest.raises(ModelDefinitionError, match=r"Stay\.start: 'valid_from' is a column"):

        class Stay(Model, table="stays"):
            start: dt.datetime = Field(column="valid_from")


def test_the_models_own_tenant_column_is_reserved() -> None:
    with pytest.raises(ModelDefinitionError, match=r"Shop\.org: 'org' is a column"):

        class Shop(Model, table="shops", tenant_column="org"):
            org: str


def test_a_reserved_name_is_fine_as_another_column() -> None:
    class Stay(Model, table="stays_ok", history="scd2", primary_key="uuid"):
        valid_from_date: dt.date
        starts: dt.datetime = Field(column="starts_at")

    assert Stay.storied_spec().fields["starts"].column == "starts_at"


class _Every(Model, table="res_every", history="copy_on_change"):
    code: str = Field(max_length=5, unique=True)


class _Versioned(Model, table="res_versioned", history="scd2", primary_key="uuid"):
    code: str = Field(max_length=5, unique=True)


class _Plain(Model, table="res_plain", tenant=False, soft_delete=False, primary_key="int"):
    code: str = Field(max_length=5, unique=True)


@pytest.mark.parametrize("model", [_Every, _Versioned, _Plain])
def test_every_column_the_mapping_adds_is_reserved(model: type[Model]) -> None:
    registry = Registry()
    registry.add(model)
    table = registry.mapped(model).table
    fields = {f.column for f in model.storied_spec().fields.values()}
    added = {c.name for c in table.c} - fields
    assert added, "the mapping adds bookkeeping columns"
    assert added <= RESERVED, added - RESERVED
