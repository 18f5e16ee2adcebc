"""Listing: string prefixes, key order, laziness and pagination, the same on every backend."""

from __future__ import annotations

import asyncio

import pytest

from tests.storage.conftest import Objects

KEYS = ["a-b", "a/1", "a/2", "a/sub/3", "ab", "b/1", "zz"]


async def test_prefixes_match_strings_not_path_segments(objects: Objects) -> None:
    for key in KEYS:
        await objects.put(key, key.encode())
    # byte order, the one S3 and Azure list in: "-" (0x2d) < "/" (0x2f) < "b"
    assert [e.key for e in await objects.listed()] == KEYS
    assert [e.key for e in await objects.listed("a")] == ["a-b", "a/1", "a/2", "a/sub/3", "ab"]
    assert [e.key for e in await objects.listed("a/")] == ["a/1", "a/2", "a/sub/3"]
    assert [e.key for e in await objects.listed("a/s")] == ["a/sub/3"]
    assert [e.key for e in await objects.listed("a/sub/3")] == ["a/sub/3"]
    assert await objects.listed("nothing") == []
    entry = (await objects.listed("zz"))[0]
    assert (entry.size, entry.etag) == (2, (await objects.head("zz")).etag)


async def test_many_pages(objects: Objects) -> None:
    # more than one server page on S3 (1,000 keys a page)
    keys = [f"p/{i:05d}" for i in range(1050)]
    if objects.is_async:
        for start in range(0, len(keys), 50):
            await asyncio.gather(*(objects.put(k, b"") for k in keys[start : start + 50]))
    else:
        for key in keys:
            await objects.put(key, b"")
    listed = [e.key for e in await objects.listed("p/")]
    assert listed == keys


async def test_listing_is_lazy(objects: Objects) -> None:
    for key in ("l/1", "l/2", "l/3"):
        await objects.put(key, b"x")
    found = objects.inner.list("l/")
    if objects.is_async:
        first = await anext(found)  # type: ignore[call-overload]
        await found.aclose()  # type: ignore[union-attr]
    else:
        first = next(found)  # type: ignore[call-overload]
        found.close()  # type: ignore[union-attr]
    assert first.key == "l/1"


async def test_bad_prefix_is_refused(objects: Objects) -> None:
    from storied import InvalidKeyError

    with pytest.raises(InvalidKeyError):
        await objects.listed("../")
