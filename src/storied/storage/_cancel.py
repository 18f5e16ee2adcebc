"""A body that a cancelled async upload stops reading: its next read fails.

obstore reads a file-like body on the thread that uploads it; when a read raises, it aborts
the multipart upload (S3's AbortMultipartUpload; Azure's uncommitted blocks are never
committed) and returns. So cancelling the task sets :meth:`Cancellable.cancel`, and the worker
thread stops at its next part.
"""

from __future__ import annotations

import io
import threading
from typing import IO, Any


class UploadCancelled(Exception):
    """Raised inside the upload thread to make obstore abort; never reaches a caller."""


class Cancellable(io.RawIOBase):
    """A read-only view of a buffer or a binary file that refuses reads once cancelled."""

    def __init__(self, data: bytes | bytearray | memoryview | IO[bytes]) -> None:
        self._event = threading.Event()
        if isinstance(data, bytes | bytearray | memoryview):
            self._view: memoryview | None = memoryview(data).cast("B")
            self._file: IO[bytes] | None = None
        else:
            self._view, self._file = None, data
        self._pos = 0

    def cancel(self) -> None:
        self._event.set()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._event.is_set():
            raise UploadCancelled("the upload was cancelled")
        if self._file is not None:
            return self._file.read(-1 if size is None else size)
        view = self._view
        assert view is not None
        end = len(view) if size is None or size < 0 else min(len(view), self._pos + size)
        chunk = bytes(view[self._pos : end])
        self._pos = end
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self._file is not None:
            return self._file.seek(offset, whence)
        assert self._view is not None
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._file.tell() if self._file is not None else self._pos
