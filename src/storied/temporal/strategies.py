"""Strategy lookup by the model's ``history`` option."""

from __future__ import annotations

from ..errors import ModelDefinitionError
from ..models.spec import ModelSpec
from .base import TemporalStrategy
from .copy_on_change import CopyOnChange
from .none import NoHistory
from .scd2 import Scd2

_STRATEGIES: dict[str, TemporalStrategy] = {
    "none": NoHistory(),
    "copy_on_change": CopyOnChange(),
    "scd2": Scd2(),
}


def for_spec(spec: ModelSpec) -> TemporalStrategy:
    strategy = _STRATEGIES.get(spec.options.history)
    if strategy is None:
        raise ModelDefinitionError(
            f"{spec.name}: history={spec.options.history!r} is not available in this version"
        )
    return strategy
