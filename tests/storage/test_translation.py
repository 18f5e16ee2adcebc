"""Every obstore exception maps to a storied one, and messages lose URL query strings."""

from __future__ import annotations

import inspect

from obstore import exceptions as obx

from storied import errors
from storied.storage._drive import Call
from storied.storage._translate import TABLE, summary, translate


def _obstore_errors() -> list[type[BaseException]]:
    return [
        cls for _, cls in inspect.getmembers(obx, inspect.isclass) if issubclass(cls, obx.BaseError)
    ]


def test_the_table_covers_every_obstore_exception() -> None:
    mapped = {source for source, _ in TABLE}
    assert set(_obstore_errors()) <= mapped


def test_each_translation_is_a_storied_error() -> None:
    call = Call(print, action="get", key="k")
    for cls in [*_obstore_errors(), FileNotFoundError, ValueError, NotImplementedError]:
        result = translate(cls("boom"), call, "s3://b")
        assert isinstance(result, errors.StoriedError), cls


def test_a_rust_panic_becomes_a_storage_error() -> None:
    class PanicException(BaseException):  # what pyo3 raises; not importable publicly
        pass

    result = translate(
        PanicException("unwrap on Err"), Call(print, action="put", key="k"), "az://c"
    )
    assert isinstance(result, errors.StorageError)


def test_programming_errors_are_left_alone() -> None:
    exc = AttributeError("x")
    assert translate(exc, None, "s3://b") is exc


def test_signatures_are_cut_from_messages() -> None:
    text = summary(
        obx.GenericError("Error performing GET http://h/b/k?sig=SECRET&se=2026 in 3ms\nmore")
    )
    assert "SECRET" not in text
    assert "http://h/b/k?…" in text
