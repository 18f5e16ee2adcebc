"""Metadata: keys normalised, any text value round-trips, bad keys refused before writing."""

from __future__ import annotations

import pytest

from storied import ValidationError
from tests.storage.conftest import Objects

VALUES = {
    "plain": "hello world",
    "accents": "Zoë Ångström",
    "snowman": "☃ and 日本語",
    "empty": "",
    "edges": "  padded  ",
    "newline": "two\nlines",
    "looks_encoded": "=?utf-8?b?aGk=?=",
    "emoji": "🦀",
    "quotes": 'a "quoted" ; value, with=signs',
}


async def test_any_text_value_round_trips(objects: Objects) -> None:
    await objects.put("m", b"x", metadata=VALUES)
    assert (await objects.head("m")).metadata == VALUES
    assert await objects.get("m") == b"x"  # the object stays readable (non-ASCII broke S3)


async def test_keys_are_normalised_the_same_everywhere(objects: Objects) -> None:
    await objects.put("m", b"x", metadata={"Author-Name": "a", "UPPER": "b", "_x9": "c"})
    assert (await objects.head("m")).metadata == {"author_name": "a", "upper": "b", "_x9": "c"}


async def test_content_type_round_trips(objects: Objects) -> None:
    await objects.put("page.html", b"<p>", content_type="text/html; charset=utf-8")
    assert (await objects.head("page.html")).content_type == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    "metadata",
    [
        {"9lives": "x"},
        {"with space": "x"},
        {"ünï": "x"},
        {"storied_sha256": "x"},
        {"": "x"},
        {"a-b": "1", "A_B": "2"},
        {"ok": 5},
    ],
    ids=["digit", "space", "non-ascii", "reserved", "empty", "collide", "not-str"],
)
async def test_bad_metadata_is_refused_before_writing(objects: Objects, metadata: dict) -> None:
    with pytest.raises(ValidationError) as caught:
        await objects.put("m", b"x", metadata=metadata)
    assert caught.value.errors
    assert not await objects.exists("m")


async def test_copy_keeps_metadata(objects: Objects) -> None:
    await objects.put("src", b"data", metadata=VALUES, content_type="text/csv")
    await objects.copy("src", "dst")
    info = await objects.head("dst")
    assert info.metadata == VALUES
    assert info.content_type == "text/csv"
    assert info.sha256 == (await objects.head("src")).sha256
