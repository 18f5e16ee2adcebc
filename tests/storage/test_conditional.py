"""Create-only writes and replace-if-etag-matches; a failed check writes nothing."""

from __future__ import annotations

import pytest

from storied import ConfigurationError, ConflictError, ObjectExistsError, PreconditionFailedError
from tests.storage.conftest import Objects


async def test_create_only(objects: Objects) -> None:
    first = await objects.put("c", b"one", create_only=True)
    with pytest.raises(ObjectExistsError) as caught:
        await objects.put("c", b"two", create_only=True, metadata={"x": "y"})
    assert isinstance(caught.value, ConflictError)
    assert await objects.get("c") == b"one"
    info = await objects.head("c")
    assert (info.etag, info.metadata) == (first.etag, {})


async def test_replace_only_if_the_etag_matches(objects: Objects) -> None:
    first = await objects.put("c", b"one")
    assert (await objects.head("c")).etag == first.etag
    second = await objects.put("c", b"two", if_match=first.etag)
    assert second.etag != first.etag
    assert await objects.get("c") == b"two"
    with pytest.raises(PreconditionFailedError):
        await objects.put("c", b"three", if_match=first.etag)  # stale
    assert await objects.get("c") == b"two"
    assert (await objects.head("c")).etag == second.etag


async def test_if_match_on_a_missing_key_writes_nothing(objects: Objects) -> None:
    with pytest.raises(PreconditionFailedError):
        await objects.put("missing", b"x", if_match='"whatever"')
    assert not await objects.exists("missing")


async def test_create_only_and_if_match_exclude_each_other(objects: Objects) -> None:
    with pytest.raises(ConfigurationError):
        await objects.put("c", b"x", create_only=True, if_match='"e"')
    assert not await objects.exists("c")


async def test_copy_and_rename_without_overwrite(objects: Objects) -> None:
    await objects.put("a", b"A")
    await objects.put("b", b"B")
    with pytest.raises(ObjectExistsError):
        await objects.copy("a", "b", overwrite=False)
    with pytest.raises(ObjectExistsError):
        await objects.rename("a", "b", overwrite=False)
    assert (await objects.get("a"), await objects.get("b")) == (b"A", b"B")
    await objects.copy("a", "c", overwrite=False)
    await objects.rename("c", "d", overwrite=False)
    assert await objects.get("d") == b"A"
    assert not await objects.exists("c")
