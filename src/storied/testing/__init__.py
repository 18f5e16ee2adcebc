"""storied's testing kit: model factories, a pytest plugin, and a recording database.

The factories need the ``testing`` extra (polyfactory and Faker) and are imported on first
use, so the pytest plugin (:mod:`storied.testing.plugin`, registered as an entry point and
loaded by every pytest run) costs nothing and breaks nothing where the extra is absent.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dry import DryDatabase as DryDatabase
    from .dry import Statement as Statement
    from .dry import assert_statement_count as assert_statement_count
    from .dry import assert_statements as assert_statements
    from .extensions import Extension as Extension
    from .extensions import Extensions as Extensions
    from .factories import Factory as Factory
    from .factories import factory as factory
    from .names import NAME_RULES as NAME_RULES

_LAZY = {
    "Extension": ".extensions",
    "Extensions": ".extensions",
    "Factory": ".factories",
    "factory": ".factories",
    "NAME_RULES": ".names",
    "DryDatabase": ".dry",
    "Statement": ".dry",
    "assert_statements": ".dry",
    "assert_statement_count": ".dry",
}

__all__ = [
    "NAME_RULES",
    "DryDatabase",
    "Extension",
    "Extensions",
    "Factory",
    "Statement",
    "assert_statement_count",
    "assert_statements",
    "factory",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'storied.testing' has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
