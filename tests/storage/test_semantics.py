"""Missing keys and deletes of nothing behave identically on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storied import NotFoundError, ObjectNotFoundError, UnsupportedOperationError
from tests.storage.conftest import Objects


async def test_a_missing_key_is_not_found_everywhere(objects: Objects) -> None:
    for call in (
        objects.get("nope"),
        objects.head("nope"),
        objects.read("nope"),
        objects.copy("nope", "x"),
        objects.rename("nope", "x"),
    ):
        with pytest.raises(ObjectNotFoundError) as caught:
            await call
        assert isinstance(caught.value, NotFoundError)
        assert caught.value.key == "nope"
    assert not await objects.exists("nope")
    assert not await objects.exists("x")


async def test_a_folder_of_keys_is_not_an_object(objects: Objects) -> None:
    await objects.put("dir/inner", b"x")
    with pytest.raises(ObjectNotFoundError):
        await objects.get("dir")
    assert not await objects.exists("dir")
    await objects.delete("dir")  # nothing there: silent, and dir/inner stays
    assert await objects.get("dir/inner") == b"x"


async def test_deleting_a_missing_key_is_silent(objects: Objects) -> None:
    await objects.delete("never-was")
    await objects.put("k", b"x")
    await objects.delete("k")
    await objects.delete("k")
    assert not await objects.exists("k")


async def test_delete_many_with_missing_keys(objects: Objects) -> None:
    for key in ("d/1", "d/2", "d/3"):
        await objects.put(key, b"x")
    await objects.delete_many(["d/1", "missing", "d/3", "also/missing"])
    assert [e.key for e in await objects.listed()] == ["d/2"]
    await objects.delete_many([])
    with pytest.raises(Exception, match="list of keys"):
        await objects.delete_many("d/2")


async def test_last_modified_is_aware_utc_and_recent(objects: Objects) -> None:
    await objects.put("t", b"x")
    stamp = (await objects.head("t")).last_modified
    assert stamp.tzinfo is not None
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)


async def test_rename_moves_bytes_and_metadata(objects: Objects) -> None:
    await objects.put("from/a", b"payload", metadata={"who": "Zoë"}, content_type="text/plain")
    await objects.rename("from/a", "to/b")
    assert not await objects.exists("from/a")
    info = await objects.head("to/b")
    assert (info.metadata, info.content_type) == ({"who": "Zoë"}, "text/plain")
    assert await objects.get("to/b") == b"payload"
    assert [e.key for e in await objects.listed()] == ["to/b"]


async def test_presigning_where_there_is_none(objects: Objects) -> None:
    if objects.kind in ("s3", "azure"):
        pytest.skip("this backend signs; see test_presign.py")
    with pytest.raises(UnsupportedOperationError):
        await objects.presign_get("k")
