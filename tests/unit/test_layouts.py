"""Each history option has a table layout (mapping) and a write strategy (temporal)."""

from __future__ import annotations

import pytest

from storied import Model
from storied.errors import ModelDefinitionError
from storied.mapping.layouts import LAYOUTS, layout_for
from storied.mapping.registry import Registry
from storied.temporal.strategies import STRATEGIES, for_mapped


def test_every_layout_has_a_strategy_of_its_name() -> None:
    assert set(LAYOUTS) == set(STRATEGIES)
    assert all(s.name == n for n, s in STRATEGIES.items())
    assert all(layout.name == n for n, layout in LAYOUTS.items())


@pytest.mark.parametrize("history", sorted(LAYOUTS))
def test_a_model_gets_its_options_layout_and_strategy(history: str) -> None:
    class Thing(Model, table=f"layout_{history}", history=history, soft_delete=True):  # type: ignore[call-arg]
        name: str

    mapped = Registry().mapped(Thing)
    assert mapped.layout is LAYOUTS[history]
    assert for_mapped(mapped) is STRATEGIES[history]
    assert (mapped.audit_table is not None) == (history == "copy_on_change")
    assert (mapped.identity_table is not None) == (history == "scd2")


def test_an_unknown_history_is_a_definition_error() -> None:
    class Odd(Model, table="layout_odd"):
        name: str

    spec = Odd.storied_spec()
    object.__setattr__(spec.options, "history", "bitemporal")
    with pytest.raises(ModelDefinitionError, match="bitemporal"):
        layout_for(spec)
