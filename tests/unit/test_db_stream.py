"""The streamed body of /db/export.zip: written in a thread, sent as written, never whole."""

from __future__ import annotations

from typing import BinaryIO

import pytest

from storied.api.db_stream import CHUNK, DEPTH, stream_from_thread


async def test_bytes_arrive_in_order_and_the_queue_bounds_memory() -> None:
    written: list[int] = []

    def write(out: BinaryIO) -> None:
        for i in range(40):
            out.write(bytes([i]) * CHUNK)
            written.append(i)

    stream = stream_from_thread(write)
    first = await anext(stream)
    assert first == b"\x00" * CHUNK
    # the writer is at most the queue's depth (and one buffer) ahead of the reader
    assert len(written) <= DEPTH + 2
    rest = b"".join([chunk async for chunk in stream])
    assert rest == b"".join(bytes([i]) * CHUNK for i in range(1, 40))


async def test_a_client_that_goes_away_stops_the_writer() -> None:
    written: list[int] = []

    def write(out: BinaryIO) -> None:
        for i in range(1000):
            out.write(b"x" * CHUNK)
            written.append(i)

    stream = stream_from_thread(write)
    await anext(stream)
    await stream.aclose()  # returns once the writer has stopped
    assert len(written) < 2 * DEPTH


async def test_an_error_in_the_writer_ends_the_body_with_it() -> None:
    def write(out: BinaryIO) -> None:
        out.write(b"partial")
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        _ = [chunk async for chunk in stream_from_thread(write)]
