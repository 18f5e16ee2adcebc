"""Bytes that must hash to what was measured before: a caller's file may change in between.

``Files`` hashes an upload first (its key names the sha256) and writes it in a second pass.
A caller's file object (or buffer) can change between the two passes, and bytes that differ
from the key's hash must never be placed under the key: an object already there, which rows
and history versions name, would be replaced by other bytes. Local disk and memory hash what
they write anyway and compare before the rename (or the store); S3 and Azure read the body
through :class:`Verified`, which hashes it as obstore reads it and fails the read that would
hand over the last bytes if they differ. obstore then sends nothing (a single-request put
reads the whole body before its request) or aborts the multipart upload (it completes one
only after a read has returned the end), so nothing is placed and nothing needs restoring.
"""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any

from ..errors import StorageError


def source_changed(key: str) -> StorageError:
    """The error of an upload whose source changed after it was hashed for ``key``."""
    return StorageError(
        f"the file changed while it was uploaded to {key!r}: upload it again", key=key
    )


class SourceChanged(Exception):
    """Raised inside obstore's read to make it abort; the backend raises ``source_changed``."""


class Verified(io.RawIOBase):
    """The ``size`` bytes of a buffer or a file (from its position), hashed as they are read.

    The read that reaches ``size`` checks the sha256 (and that the file has nothing more) and
    raises :class:`SourceChanged` instead of returning those bytes if anything differs; so
    does a file that ends early. ``changed`` tells afterwards that this is why a put failed.
    Reads must be sequential; ``seek`` moves only within the ``size`` bytes (obstore measures
    a body by seeking to its end and back before reading it).
    """

    def __init__(self, data: bytes | bytearray | memoryview | IO[bytes], size: int, sha256: str):
        if isinstance(data, bytes | bytearray | memoryview):
            self._view: memoryview | None = memoryview(data).cast("B")
            self._file: IO[bytes] | None = None
        else:
            self._view, self._file = None, data
        self.size = size
        self.sha256 = sha256
        self.changed = False
        self._hash = hashlib.sha256()
        self._read = 0  # bytes read (and hashed) so far
        self._pos = 0  # where the reader stands (seek), in 0..size
        self._done = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _fail(self) -> SourceChanged:
        self.changed = True
        return SourceChanged("the body changed after it was hashed")

    def _take(self, n: int) -> bytes:
        if self._view is not None:
            return bytes(self._view[self._read : self._read + n])
        assert self._file is not None
        return self._file.read(n)

    def _longer(self) -> bool:
        if self._view is not None:
            return len(self._view) > self.size
        assert self._file is not None
        return bool(self._file.read(1))

    def read(self, size: int | None = -1) -> bytes:
        if self._done:
            return b""
        if self._pos != self._read:
            raise ValueError("a verified body is read in order")
        left = self.size - self._read
        want = left if size is None or size < 0 else min(size, left)
        chunk = self._take(want) if want else b""
        if want and not chunk:
            raise self._fail()  # the file ended early
        self._hash.update(chunk)
        self._read += len(chunk)
        self._pos = self._read
        if self._read == self.size:
            self._done = True
            if self._longer() or self._hash.hexdigest() != self.sha256:
                raise self._fail()
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = min(max(0, base + offset), self.size)
        return self._pos

    def tell(self) -> int:
        return self._pos
