"""storied's own local-disk store (obstore's has no metadata and follows symlinks out).

Writes go to a temporary file, are fsynced and renamed into place atomically together with a
sidecar holding the metadata (see ``_localfs``); keys that would escape the root (``..``,
absolute paths, symlinks leading outside) are refused; writers of one key never tear a file.
Each operation is written once, as a sans-I/O generator; async runs the same steps in worker
threads.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

from ..errors import (
    ObjectExistsError,
    PreconditionFailedError,
    StorageError,
    UnsupportedOperationError,
)
from ._cancel import UploadCancelled
from ._drive import PULL, Call, Emit, Op
from ._info import ObjectInfo, PutResult
from ._localfs import Layout, etag_of, modified
from ._locallist import walk
from ._metadata import CONTENT_TYPE, SHA256_KEY, encode_value, from_attributes
from ._verify import source_changed
from ._writer import Writer

_COPY_CHUNK = 1024 * 1024


class LocalBackend:
    """Objects as files under ``root`` (made on the first write)."""

    signs = False
    wants_prepared = False

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.layout = Layout(os.fspath(root))
        self.name = f"file://{self.layout.root}"
        self._executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="storied-flush")
        return self._executor

    def translate(self, exc: BaseException, call: Call | None) -> BaseException:
        if isinstance(exc, OSError) and not isinstance(exc, StorageError):
            about = f"{call.action} {call.key!r}" if call is not None else "request"
            reason = exc.strerror or type(exc).__name__
            key = call.key if call is not None else None
            return StorageError(f"{self.name}: {about} failed: {reason}", key=key)
        return exc

    def _call(self, fn: Any, action: str, key: str | None, *args: Any) -> Call:
        return Call(fn, args, {}, None, action, key)

    # writing

    def put(
        self,
        key: str,
        body: Any,
        attributes: dict[str, str],
        mode: str,
        if_match: str | None,
        sha256: str | None = None,
        fixed: bool = False,
    ) -> Op[PutResult]:
        """``body``: the caller's whole buffer when it gave one (else the chunks are pulled),
        written in steps of ``_COPY_CHUNK`` (a cancelled async put stops between two).
        ``sha256``: the body's, as the caller measured it: not hashed again if ``fixed``,
        else what is written is hashed and compared with it before the rename."""
        self.layout.data(key)  # refuse an escaping key before reading any of the body
        hashing = sha256 is None or not fixed
        writer = yield self._call(Writer, "put", key, self.layout, self.executor, hashing)
        write = Call(writer.write, (), {}, None, "put", key, cancel=writer.cancel)
        try:
            if body is not None:
                view = memoryview(body).cast("B")
                for start in range(0, len(view), _COPY_CHUNK):
                    yield replace(write, args=(view[start : start + _COPY_CHUNK],))
            else:
                while (chunk := (yield PULL)) is not None:
                    yield replace(write, args=(chunk,))
            result = yield replace(
                write,
                fn=self._commit,
                args=(key, writer, attributes, mode, if_match, sha256, sha256 is not None),
            )
        except BaseException:
            writer.abort()
            raise
        return result  # type: ignore[no-any-return]

    def _commit(
        self,
        key: str,
        writer: Writer,
        attributes: dict[str, str],
        mode: str,
        if_match: str | None,
        sha256: str | None = None,
        verify: bool = False,
    ) -> PutResult:
        """Place the written file under ``key``; ``verify``: only if what was written hashes
        to ``sha256`` (checked first: other bytes never replace what the key holds)."""
        digest, info = writer.finish()
        if verify and digest is not None and digest != sha256:
            raise source_changed(key)
        digest = digest or sha256  # what was written: hashed here, else known to the caller
        if digest is None:
            raise StorageError("local store: a write that was not hashed needs its sha256")
        attributes = {**attributes, SHA256_KEY: sha256 or digest}
        final = self.layout.data(key)
        sidecar = None
        if writer.set_attributes(attributes):
            writer.sync()  # bytes and attribute: one file, one fsync, renamed as one
        else:
            writer.sync()  # the bytes; the metadata goes to a sidecar, synced on its own
            sidecar = self.layout.write_sidecar(key, attributes, info)
        try:
            with self.layout.locked(key):
                if writer.cancelled.is_set():
                    raise UploadCancelled("the write was cancelled")
                self._check_mode(key, final, mode, if_match)
                if sidecar is not None:
                    self.layout.place(sidecar, self.layout.sidecar(key))
                self.layout.place(writer.path, final)
                if sidecar is None:  # the old object's sidecar, if it had one (after the
                    # rename: a crash before this leaves it stale, and the attribute wins)
                    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                        os.unlink(self.layout.sidecar(key))
        except BaseException:
            if sidecar is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(sidecar)
            raise
        return PutResult(key, etag_of(info), info.st_size, digest)

    def _check_mode(self, key: str, final: str, mode: str, if_match: str | None) -> None:
        if mode == "create" and os.path.lexists(final):
            raise ObjectExistsError(key)
        if if_match is not None:
            try:
                current = etag_of(os.stat(final, follow_symlinks=False))
            except FileNotFoundError:
                raise PreconditionFailedError(key) from None
            if current != if_match:
                raise PreconditionFailedError(key)

    # reading

    def _open(self, key: str) -> tuple[int, ObjectInfo]:
        with self.layout.locked(key, shared=True):
            fd = self.layout.open_data(key)
            try:
                info = os.fstat(fd)
                attributes = self.layout.read_attributes(key, fd, info)
            except BaseException:
                os.close(fd)
                raise
        content_type, sha256, metadata = from_attributes(attributes)
        return fd, ObjectInfo(
            key, info.st_size, etag_of(info), modified(info), content_type, sha256, metadata
        )

    def head(self, key: str) -> Op[ObjectInfo]:
        fd, info = yield self._call(self._open, "head", key, key)
        os.close(fd)
        return info  # type: ignore[no-any-return]

    def get(self, key: str) -> Op[bytes]:
        data = yield self._call(self._read_bytes, "get", key, key)
        return data  # type: ignore[no-any-return]

    def _read_bytes(self, key: str) -> bytes:
        """The bytes alone, in one step: no lock and no metadata, which only ``head`` needs
        (an object is renamed into place whole and never written in place, so the open
        descriptor reads one write's bytes whatever happens to the key meanwhile)."""
        fd = self.layout.open_data(key)
        try:
            return _read_all(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)

    def read(self, key: str, chunk_size: int) -> Op[None]:
        fd = yield self._call(self.layout.open_data, "get", key, key)  # bytes only: no lock
        try:
            while chunk := (yield self._call(os.read, "read", key, fd, chunk_size)):
                yield Emit(chunk)
        finally:
            os.close(fd)

    def list(self, prefix: str) -> Op[None]:
        yield from walk(self.layout, prefix)

    # the rest

    def delete(self, keys: Sequence[str]) -> Op[None]:
        for key in keys:
            yield self._call(self._delete_one, "delete", key, key)

    def _delete_one(self, key: str) -> None:
        final = self.layout.data(key)
        with self.layout.locked(key):
            for path, stop in (
                (final, self.layout.root),
                (self.layout.sidecar(key), self.layout.meta),
            ):
                try:
                    os.unlink(path)
                except (FileNotFoundError, NotADirectoryError):
                    continue
                except IsADirectoryError:
                    return  # a folder of other keys: there is no object under this one
                self.layout.prune(path, stop)

    def copy(self, source: str, target: str, overwrite: bool) -> Op[None]:
        self.layout.data(target)
        fd, info = yield self._call(self._open, "copy", source, source)
        try:
            writer = yield self._call(Writer, "copy", target, self.layout, self.executor)
            try:
                while chunk := (yield self._call(os.read, "copy", source, fd, _COPY_CHUNK)):
                    yield self._call(writer.write, "copy", target, chunk)
                yield self._call(
                    self._commit,
                    "copy",
                    target,
                    target,
                    writer,
                    _attributes_of(info),
                    "overwrite" if overwrite else "create",
                    None,
                    info.sha256,
                )
            except BaseException:
                writer.abort()
                raise
        finally:
            os.close(fd)

    def rename(self, source: str, target: str, overwrite: bool) -> Op[None]:
        yield self._call(self._rename, "rename", source, source, target, overwrite)

    def _rename(self, source: str, target: str, overwrite: bool) -> None:
        old, new = self.layout.data(source), self.layout.data(target)
        with self.layout.locked(source, target):
            fd = self.layout.open_data(source)
            os.close(fd)
            if not overwrite and os.path.lexists(new):
                raise ObjectExistsError(target)
            old_meta, new_meta = self.layout.sidecar(source), self.layout.sidecar(target)
            if os.path.lexists(old_meta):
                self.layout.place(old_meta, new_meta)
            else:  # metadata travels in the file's own attribute; drop the target's old sidecar
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                    os.unlink(new_meta)
            self.layout.place(old, new)
            self.layout.prune(old, self.layout.root)
            self.layout.prune(self.layout.sidecar(source), self.layout.meta)

    def sign(self, method: str, key: str, expires: timedelta) -> Op[str]:
        raise UnsupportedOperationError("the local store has no presigned URLs")
        yield  # pragma: no cover

    def __repr__(self) -> str:
        return f"LocalBackend({self.name!r})"


def _attributes_of(info: ObjectInfo) -> dict[str, str]:
    attributes = {name: encode_value(value) for name, value in info.metadata.items()}
    if info.content_type is not None:
        attributes[CONTENT_TYPE] = info.content_type
    return attributes


def _read_all(fd: int, size: int) -> bytes:
    """``size`` bytes in one read where it can (the usual case), without a read to find the
    end: that one allocated another buffer of the size, and freeing it let malloc hand pages
    back that the next get faulted in again (1 MB: 397 µs of CPU per get, 130 without)."""
    data = os.read(fd, size)
    if len(data) == size:
        return data
    parts = [data]
    while chunk := os.read(fd, max(size - len(data), _COPY_CHUNK)):
        parts.append(chunk)
    return b"".join(parts)
