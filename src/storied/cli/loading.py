"""What every command needs: the models (from a module path) and the database URL."""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

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

    module_path, _, attr = module_path.partition(":")
    module = _import(module_path, "models module")
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


def load_attribute(path: str, option: str) -> Any:
    """The object ``module:attr`` names (the working directory is importable first)."""
    from ..errors import ConfigurationError

    module_path, _, attr = path.partition(":")
    if not module_path or not attr:
        raise ConfigurationError(f"{option} takes module:attr, not {path!r}")
    module = _import(module_path, f"{option} module")
    if not hasattr(module, attr):
        raise ConfigurationError(f"module {module_path!r} has no attribute {attr!r}")
    return getattr(module, attr)


def _import(module_path: str, what: str) -> ModuleType:
    from ..errors import ConfigurationError

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(module_path)
    except ImportError as exc:
        raise ConfigurationError(f"cannot import {what} {module_path!r}: {exc}") from exc
