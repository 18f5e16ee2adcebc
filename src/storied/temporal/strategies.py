"""Write-strategy lookup by the model's ``history`` option (its layout's name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import TemporalStrategy
from .copy_on_change import CopyOnChange
from .none import NoHistory
from .scd2 import Scd2

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel

#: one per layout in ``mapping.layouts.LAYOUTS`` (a unit test checks they agree)
STRATEGIES: dict[str, TemporalStrategy] = {
    "none": NoHistory(),
    "copy_on_change": CopyOnChange(),
    "scd2": Scd2(),
}


def for_mapped(mapped: MappedModel) -> TemporalStrategy:
    """The strategy that writes ``mapped``'s tables."""
    return STRATEGIES[mapped.layout.name]
