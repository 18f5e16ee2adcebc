"""A response body written by blocking code in a worker thread, sent as it is written.

``stream_from_thread(write)`` runs ``write(out)`` in a thread; what it writes to ``out``
reaches the client in chunks of ``CHUNK`` bytes through a queue of ``DEPTH`` chunks, so the
body is never held whole in memory and a slow client slows the writer down. A client that goes
away stops the writer (its next write raises); an error in the writer ends the body early —
the status line has gone out by then, so a cut-off zip (no central directory, no manifest) is
what the client sees, and no zip reader accepts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import queue
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, BinaryIO

#: bytes per chunk sent, and chunks buffered between the writer and the socket
CHUNK = 256 * 1024
DEPTH = 8
_END = object()


class _Gone(Exception):
    """The client went away: the writer stops."""


class _Pipe(io.RawIOBase):
    def __init__(self, chunks: queue.Queue[Any], gone: threading.Event) -> None:
        self.chunks = chunks
        self.gone = gone

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        while True:
            if self.gone.is_set():
                raise _Gone
            try:
                self.chunks.put(chunk, timeout=0.1)
                return len(chunk)
            except queue.Full:
                continue


async def stream_from_thread(write: Callable[[BinaryIO], Any]) -> AsyncIterator[bytes]:
    """The bytes ``write`` writes to its stream, as they are written (see the module)."""
    chunks: queue.Queue[Any] = queue.Queue(DEPTH)
    gone = threading.Event()

    def work() -> None:
        try:
            with io.BufferedWriter(_Pipe(chunks, gone), CHUNK) as out:
                write(out)
        except _Gone:
            return
        except BaseException as exc:  # handed to the reader, which re-raises it
            _put(chunks, gone, exc)
            return
        _put(chunks, gone, _END)

    worker = asyncio.ensure_future(asyncio.to_thread(work))
    try:
        while True:
            item = await asyncio.to_thread(chunks.get)
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        gone.set()
        with contextlib.suppress(queue.Full):  # wake a reader thread still waiting
            chunks.put_nowait(_END)
        await worker


def _put(chunks: queue.Queue[Any], gone: threading.Event, item: object) -> None:
    while not gone.is_set():
        try:
            chunks.put(item, timeout=0.1)
            return
        except queue.Full:
            continue
