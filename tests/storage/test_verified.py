"""A store never records a sha256 that its bytes do not have, even if the caller's file changes.

S3 and Azure read a caller's file above the spool limit twice (hashed first: the metadata
travels before the bytes); if it changes in between, the put fails and the key keeps what it
held. Local disk and memory read it once and record the hash of what they wrote.
"""

from __future__ import annotations

import hashlib
import io

import pytest

from storied.errors import StorageError
from storied.storage._verify import SourceChanged, Verified
from tests.files.test_changing_source import LARGE, ChangesAfterFirstRead
from tests.storage.conftest import Objects

TWO_PASSES = ("s3", "azure")


@pytest.mark.parametrize("condition", ["none", "create_only", "if_match"])
async def test_a_recorded_sha256_is_always_the_stored_bytes(
    objects: Objects, condition: str
) -> None:
    old = await objects.put("k", b"old bytes")
    key = "fresh" if condition == "create_only" else "k"
    options = {"create_only": True} if condition == "create_only" else {}
    if condition == "if_match":
        options = {"if_match": old.etag}
    changing = ChangesAfterFirstRead(LARGE, b"other")
    if objects.kind in TWO_PASSES:
        with pytest.raises(StorageError, match="changed while it was uploaded"):
            await objects.put(key, changing, **options)
        assert changing.then is None
        if condition == "create_only":
            assert not await objects.exists(key)
        assert await objects.get("k") == b"old bytes"
    else:
        await objects.put(key, changing, **options)
        assert await objects.get(key) == LARGE  # read once, before it changed
    stored = await objects.get("k")
    assert (await objects.head("k")).sha256 == hashlib.sha256(stored).hexdigest()


def _read_all(body: Verified, step: int) -> bytes:
    out = b""
    while chunk := body.read(step):
        out += chunk
    return out


@pytest.mark.parametrize("make", [bytes, bytearray, io.BytesIO])
def test_a_verified_body_gives_exactly_its_bytes(make: type) -> None:
    data = bytes(range(256)) * 40
    body = Verified(make(data), len(data), hashlib.sha256(data).hexdigest())
    assert body.seek(0, io.SEEK_END) == len(data)  # how obstore measures a body
    assert body.seek(0) == 0
    assert _read_all(body, 1000) == data
    assert not body.changed
    assert body.read() == b""


@pytest.mark.parametrize(
    "now", [b"abcdeX", b"abcd", b"abcdef+", b""], ids=["other", "shorter", "longer", "empty"]
)
def test_a_verified_body_refuses_its_last_bytes_if_they_changed(now: bytes) -> None:
    body = Verified(io.BytesIO(now), 6, hashlib.sha256(b"abcdef").hexdigest())
    with pytest.raises(SourceChanged):
        _read_all(body, 4)
    assert body.changed


def test_a_verified_body_is_read_in_order() -> None:
    body = Verified(b"abcdef", 6, hashlib.sha256(b"abcdef").hexdigest())
    assert body.read(2) == b"ab"
    body.seek(0)
    with pytest.raises(ValueError, match="in order"):
        body.read(2)


class _SeeksFromStartOnly(io.BytesIO):
    """A file whose seek knows no ``whence``: storied cannot measure it, so reads it twice."""

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence:
            raise io.UnsupportedOperation("seek from the start only")
        return super().seek(pos)


async def test_a_file_that_cannot_seek_to_its_end_is_stored(objects: Objects) -> None:
    await objects.put("k", _SeeksFromStartOnly(b"abc"))
    assert await objects.get("k") == b"abc"
    assert (await objects.head("k")).sha256 == hashlib.sha256(b"abc").hexdigest()
