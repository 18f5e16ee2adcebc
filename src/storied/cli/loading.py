"""What every command needs: the models (from a module path) and the database URL."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models.base import Model

#: the database used when neither --database-url nor STORIED_DATABASE_URL says otherwise
DEFAULT_URL = "sqlite:///storied.db"


def database_url(option: str | None) -> str:
    return option or os.environ.get("STORIED_DATABASE_URL") or DEFAULT_URL


def load_models(module_path: str) -> list[type[Model]]:
    """Every storied model with a table found in the module (the working directory first).

    ``module:attr`` names one attribute instead: a model, a list/tuple of models or a Registry.
    """
    from ..errors import ConfigurationError
    from ..models.base import Model

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    module_path, _, attr = module_path.partition(":")
    try:
        module = importlib.import_module(module_path)
    except ImportError as exc:
        raise ConfigurationError(f"cannot import models module {module_path!r}: {exc}") from exc
    values = list(vars(module).values())
    if attr:
        if not hasattr(module, attr):
            raise ConfigurationError(f"module {module_path!r} has no attribute {attr!r}")
        chosen = getattr(module, attr)
        values = list(chosen) if not isinstance(chosen, type) else [chosen]
    found: list[type[Model]] = []
    for value in values:
        if (
            isinstance(value, type)
            and issubclass(value, Model)
            and value.__dict__.get("__storied_spec__") is not None
            and value not in found
        ):
            found.append(value)
    if not found:
        raise ConfigurationError(f"module {module_path!r} defines no storied models")
    return found
