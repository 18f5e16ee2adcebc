"""The exception tree: one module, drawn in its docstring, each under the fitting builtin."""

from __future__ import annotations

import inspect
import re

import pytest

from storied import errors


def _classes() -> dict[str, type[BaseException]]:
    return {
        name: cls
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, errors.StoriedError)
    }


def test_all_lists_every_exception_class() -> None:
    assert set(errors.__all__) == set(_classes())


def test_the_docstring_draws_every_class() -> None:
    tree = (errors.__doc__ or "").split("::", 1)[1]
    for name in _classes():
        assert re.search(rf"\b{name}\b", tree), name


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (errors.UsageError, (errors.StoriedError,)),
        (errors.ModelDefinitionError, (errors.UsageError, TypeError)),
        (errors.ConfigurationError, (errors.UsageError, ValueError)),
        (errors.MissingTenantScope, (errors.UsageError,)),
        (errors.NotConnectedError, (errors.UsageError,)),
        (errors.DataError, (errors.StoriedError,)),
        (errors.ValidationError, (errors.DataError, ValueError)),
        (errors.UnknownFieldError, (errors.ValidationError,)),
        (errors.NotFoundError, (errors.DataError, LookupError)),
        (errors.TenantViolation, (errors.DataError, PermissionError)),
        (errors.ConflictError, (errors.DataError,)),
        (errors.IntegrityError, (errors.DataError,)),
        (errors.DatabaseError, (errors.DataError,)),
        (errors.OperationalError, (errors.DatabaseError,)),
        (errors.DatabaseTimeout, (errors.DatabaseError, TimeoutError)),
    ],
)
def test_each_error_subclasses_the_fitting_builtin(
    cls: type[BaseException], bases: tuple[type[BaseException], ...]
) -> None:
    for base in bases:
        assert issubclass(cls, base), f"{cls.__name__} is not a {base.__name__}"


def test_usage_errors_and_data_errors_are_apart() -> None:
    for cls in _classes().values():
        assert not (issubclass(cls, errors.UsageError) and issubclass(cls, errors.DataError))


def test_structured_fields() -> None:
    unknown = errors.UnknownFieldError("Product", "colour", ["sku", "name"])
    assert (unknown.model, unknown.field) == ("Product", "colour")
    assert unknown.errors == [{"loc": ("colour",), "msg": "unknown field"}]
    assert "name, sku" in str(unknown)
    missing = errors.NotFoundError("Product", 7)
    assert (missing.model, missing.id, str(missing)) == ("Product", 7, "Product 7 not found")
    conflict = errors.ConflictError("taken", model="Product", fields=["sku"])
    assert conflict.fields == ("sku",)
