"""Odd keys round-trip; hostile keys are refused on every operation, and nothing is written."""

from __future__ import annotations

import pytest

from storied import InvalidKeyError
from tests.storage.conftest import Objects

ODD = [
    "sp ace/ü/#?%&+.txt",
    "日本/語.txt",
    "a/b/c/d/e.txt",
    "percent%2Fslash",
    "plus+and=equals",
    "~tilde",
    "dots...end.",
    "quote'\"",
]
HOSTILE = [
    "",
    "../x",
    "a/../../x",
    "/etc/passwd",
    "a//b",
    "a/./b",
    "trailing/",
    "a\\b",
    "nul\x00",
    "tab\tkey",
    ".storied/meta/x",
    "..",
]


async def test_odd_keys_round_trip_and_list(objects: Objects) -> None:
    for index, key in enumerate(ODD):
        await objects.put(key, str(index).encode())
    for index, key in enumerate(ODD):
        assert await objects.get(key) == str(index).encode()
        assert (await objects.head(key)).key == key
    assert sorted(e.key for e in await objects.listed()) == sorted(ODD)
    assert [e.key for e in await objects.listed("sp ")] == ["sp ace/ü/#?%&+.txt"]


@pytest.mark.parametrize("key", HOSTILE)
async def test_hostile_keys_are_refused(objects: Objects, key: str) -> None:
    for call in (
        objects.put(key, b"x"),
        objects.get(key),
        objects.head(key),
        objects.exists(key),
        objects.delete(key),
        objects.copy("x", key) if key else objects.copy(key, "x"),
    ):
        with pytest.raises(InvalidKeyError):
            await call
    assert await objects.listed() == []


async def test_a_key_that_is_not_a_str(objects: Objects) -> None:
    with pytest.raises(InvalidKeyError):
        await objects.put(b"bytes-key", b"x")  # type: ignore[arg-type]
