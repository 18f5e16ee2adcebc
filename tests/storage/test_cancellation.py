"""Cancelling an async put of a large object mid-stream leaves nothing behind.

On local disk, S3 (moto) and Azure (Azurite): after ``task.cancel()`` and the awaited
``CancelledError``, the key holds nothing, no worker thread is still in an upload, the body is
read no further, no temporary file is left on disk and no S3 multipart upload is open.

On local disk two gated tests pin down where the cancel lands: in the middle of the body (the
stream waits at a gate after some chunks are written: the temporary file is removed), and in a
worker thread's step (the key's lock is held by another holder, so the commit waits in its
thread: the task waits for that thread, and the commit then refuses to put the write in place).
"""

from __future__ import annotations

import asyncio
import io
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from storied.storage import AsyncObjectStore
from tests.storage.conftest import BUCKET, store_args

SIZE = 60 * 1024 * 1024  # twelve 5 MiB parts on S3 and Azure
KINDS = [
    pytest.param("local"),
    pytest.param("s3", marks=pytest.mark.s3),
    pytest.param("azure", marks=pytest.mark.azure),
]


class Body(io.BytesIO):
    """A seekable body that counts reads after its first rewind (the hash pass, on S3 and
    Azure) and says when the upload has really begun."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.lock = threading.Lock()
        self.reads = 0
        self.started = threading.Event()

    def read(self, size: int | None = -1) -> bytes:
        with self.lock:
            self.reads += 1
            if self.reads >= 3:
                self.started.set()
        return super().read(size)


def uploading_threads() -> list[str]:
    """Threads other than this one whose stack is inside storied's storage code or obstore."""
    me = threading.get_ident()
    found = []
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        stack: Any = frame
        while stack is not None:
            name = stack.f_code.co_filename
            if "/storied/storage/" in name and "test" not in name:
                found.append(f"{ident}: {stack.f_code.co_name} in {name}")
                break
            stack = stack.f_back
    return found


def open_uploads(kind: str, request: pytest.FixtureRequest) -> list[Any]:
    if kind != "s3":
        return []
    import boto3

    server = request.getfixturevalue("moto")
    client = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test-secret",
    )
    return client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS)
async def test_cancelling_a_large_put_leaves_nothing(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url, options = store_args(kind, request, tmp_path)
    store = AsyncObjectStore(url, **options)
    body = Body(bytes(range(256)) * (SIZE // 256))
    before = len(open_uploads(kind, request))
    task = asyncio.ensure_future(store.put("big/cancelled.bin", body))
    while not body.started.is_set() and not task.done():
        await asyncio.sleep(0.005)
    assert not task.done(), "the upload finished before it could be cancelled"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    reads = body.reads
    assert uploading_threads() == []
    assert not await store.exists("big/cancelled.bin")
    assert [e.key async for e in store.list("")] == []
    assert len(open_uploads(kind, request)) == before
    await asyncio.sleep(0.3)
    assert body.reads == reads  # nothing reads the body any more
    if kind == "local":
        root = tmp_path / "store"
        leftovers = [p for p in root.rglob("*") if p.is_file() and "locks" not in p.parts]
        assert leftovers == []  # no temporary file, no sidecar (lock files stay, by design)
    # the store still works: the same key uploads whole afterwards
    await store.put("big/cancelled.bin", b"after")
    assert await store.get("big/cancelled.bin") == b"after"


def temp_files(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in (root / ".storied" / "tmp").glob("*")}


def objects(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and ".storied" not in p.parts]


async def test_a_local_put_cancelled_mid_stream_removes_its_temporary_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    store = AsyncObjectStore(f"file://{root}")
    chunk = bytes(range(256)) * 4096  # 1 MiB
    reached, gate = asyncio.Event(), asyncio.Event()
    pulled = 0

    async def body():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for _ in range(8):
            pulled += 1
            yield chunk
        reached.set()
        await gate.wait()  # never opened: the cancel comes while the stream waits here
        yield chunk

    task = asyncio.ensure_future(store.put("big/gated.bin", body()))
    await asyncio.wait_for(reached.wait(), 60)
    assert list(temp_files(root).values()) == [8 * len(chunk)]  # mid-write: 8 MiB written
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert temp_files(root) == {}
    assert objects(root) == []
    assert uploading_threads() == []
    assert not await store.exists("big/gated.bin")
    assert pulled == 8
    await store.put("big/gated.bin", b"after")  # the store still works
    assert await store.get("big/gated.bin") == b"after"


async def test_a_local_put_cancelled_in_a_worker_step_waits_for_it_then_stores_nothing(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    store = AsyncObjectStore(f"file://{root}")
    key = "big/held.bin"
    await store.put("warm-up", b"x")  # the store's folders exist
    layout = store.backend.layout  # type: ignore[attr-defined]
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # another holder of the key's lock (a writer or a reader of it)
        with layout.locked(key):
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        task = asyncio.ensure_future(store.put(key, b"y" * (4 * 1024 * 1024)))
        while not any(" locked in " in t for t in uploading_threads()):
            assert not task.done(), task
            await asyncio.sleep(0.005)  # until the commit waits for the lock in its thread
        assert list(temp_files(root).values()) == [4 * 1024 * 1024]
        task.cancel()
        await asyncio.sleep(0.2)
        assert not task.done()  # a thread cannot be stopped: the task waits for its step
    finally:
        release.set()
        holder.join()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert uploading_threads() == []
    assert not await store.exists(key)  # the commit saw the cancel and renamed nothing
    assert temp_files(root) == {}
    assert [p.name for p in objects(root)] == ["warm-up"]
