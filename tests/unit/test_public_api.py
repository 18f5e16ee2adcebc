"""``storied.__all__`` is exactly what the package exports (httpx's check)."""

from __future__ import annotations

import types

import storied
from storied import errors


def _exported() -> set[str]:
    """Public names bound in the package, leaving out its subpackages."""
    return {
        name
        for name, value in vars(storied).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def test_all_equals_the_public_names() -> None:
    assert set(storied.__all__) == _exported()


def test_all_is_sorted_without_duplicates() -> None:
    assert storied.__all__ == sorted(set(storied.__all__))


def test_every_name_in_all_resolves() -> None:
    for name in storied.__all__:
        assert getattr(storied, name) is not None, name


def test_exports_are_storied_objects() -> None:
    for name in storied.__all__:
        value = getattr(storied, name)
        module = getattr(value, "__module__", None) or type(value).__module__
        assert module.startswith("storied."), f"{name} comes from {module}"


def test_every_exception_is_exported() -> None:
    assert set(errors.__all__) <= set(storied.__all__)


def test_version_is_a_string() -> None:
    assert isinstance(storied.__version__, str)
    assert storied.__version__.count(".") >= 1
