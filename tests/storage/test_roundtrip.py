"""Bytes go in and come back out unchanged, whatever their size and however they are given."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.storage.conftest import Objects

MiB = 1024 * 1024
SIZES = [0, 1, 5 * MiB + 1, 50 * MiB]
_PAYLOAD = os.urandom(50 * MiB)


def _sized(size: int) -> bytes:
    return _PAYLOAD[:size]


@pytest.mark.parametrize("size", SIZES, ids=["empty", "1-byte", "5MiB+1", "50MiB"])
async def test_bytes_round_trip(objects: Objects, size: int) -> None:
    data = _sized(size)
    result = await objects.put("blob.bin", data)
    assert (result.size, result.sha256) == (size, hashlib.sha256(data).hexdigest())
    info = await objects.head("blob.bin")
    assert info.size == size
    assert info.sha256 == hashlib.sha256(data).hexdigest()  # storied's, not the etag
    assert info.etag == result.etag
    assert info.content_type == "application/octet-stream"
    assert await objects.get("blob.bin") == data
    chunks = await objects.read("blob.bin", chunk_size=3 * MiB)
    assert b"".join(chunks) == data
    assert all(len(c) == 3 * MiB for c in chunks[:-1])
    assert len(chunks) == -(-size // (3 * MiB))


async def test_iterator_of_chunks_streams_up(objects: Objects) -> None:
    data = _sized(5 * MiB + 1)

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(data), 777_777):
            yield data[start : start + 777_777]

    result = await objects.put("chunks.bin", pieces())
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert await objects.get("chunks.bin") == data
    assert (await objects.head("chunks.bin")).sha256 == result.sha256


async def test_async_iterator_of_chunks(objects: Objects) -> None:
    if not objects.is_async:
        pytest.skip("async iterators are for the async store")
    data = _sized(2 * MiB + 3)

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(data), MiB):
            yield data[start : start + MiB]

    result = await objects.put("achunks.bin", pieces())
    assert result.size == len(data)
    assert await objects.get("achunks.bin") == data


async def test_file_object_from_its_position(objects: Objects) -> None:
    data = _sized(MiB)
    file = io.BytesIO(b"skip" + data)
    file.seek(4)
    result = await objects.put("file.bin", file)
    assert result.size == len(data)
    assert await objects.get("file.bin") == data


async def test_overwrite_replaces_bytes_and_metadata(objects: Objects) -> None:
    await objects.put("k", b"first", metadata={"v": "1"}, content_type="text/plain")
    await objects.put("k", b"second", metadata={"w": "2"})
    info = await objects.head("k")
    assert await objects.get("k") == b"second"
    assert info.metadata == {"w": "2"}
    assert info.content_type == "application/octet-stream"
    assert info.sha256 == hashlib.sha256(b"second").hexdigest()


async def test_not_bytes_is_refused_and_nothing_written(objects: Objects) -> None:
    from storied import ValidationError

    for bad in ("text", 12, [b"ok", "text"], io.StringIO("x")):
        with pytest.raises(ValidationError):
            await objects.put("bad", bad)
    assert not await objects.exists("bad")
