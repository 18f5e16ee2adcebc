"""An in-process store for tests and examples, with the same semantics as the others.

Objects live in a dict guarded by a lock; attributes are kept in their stored (encoded) form,
so metadata takes the same path through storied as it does on S3 and Azure.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import (
    ObjectExistsError,
    ObjectNotFoundError,
    PreconditionFailedError,
    UnsupportedOperationError,
)
from ._drive import PULL, Call, Emit, Op
from ._info import ObjectEntry, ObjectInfo, PutResult
from ._metadata import SHA256_KEY, from_attributes
from ._verify import source_changed


@dataclass(frozen=True, slots=True)
class _Object:
    data: bytes
    attributes: dict[str, str]
    etag: str
    modified: datetime


class MemoryBackend:
    """Objects in a dict; every instance is a separate, empty store."""

    signs = False
    wants_prepared = False
    name = "memory://"

    def __init__(self) -> None:
        self._objects: dict[str, _Object] = {}
        self._lock = threading.Lock()
        self._versions = itertools.count(1)

    def translate(self, exc: BaseException, call: Call | None) -> BaseException:
        return exc

    def _call(self, fn: Any, *args: Any) -> Call:
        return Call(fn, args, blocking=False)

    def _find(self, key: str) -> _Object:
        found = self._objects.get(key)
        if found is None:
            raise ObjectNotFoundError(key)
        return found

    def put(
        self,
        key: str,
        body: Any,
        attributes: dict[str, str],
        mode: str,
        if_match: str | None,
        sha256: str | None = None,
        fixed: bool = False,  # hashing a copy in memory costs little; it is redone
    ) -> Op[PutResult]:
        parts = []
        digest = hashlib.sha256()
        while (chunk := (yield PULL)) is not None:
            digest.update(chunk)
            parts.append(bytes(chunk))
        data = b"".join(parts)
        if sha256 is not None and digest.hexdigest() != sha256:
            raise source_changed(key)  # before anything is stored: the key keeps its object
        attributes = {**attributes, SHA256_KEY: digest.hexdigest()}
        etag = yield self._call(self._store, key, data, attributes, mode, if_match)
        return PutResult(key, etag, len(data), digest.hexdigest())

    def _store(
        self, key: str, data: bytes, attributes: dict[str, str], mode: str, if_match: str | None
    ) -> str:
        with self._lock:
            current = self._objects.get(key)
            if mode == "create" and current is not None:
                raise ObjectExistsError(key)
            if if_match is not None and (current is None or current.etag != if_match):
                raise PreconditionFailedError(key)
            etag = f'"{next(self._versions)}"'
            self._objects[key] = _Object(data, attributes, etag, datetime.now(UTC))
            return etag

    def head(self, key: str) -> Op[ObjectInfo]:
        found = yield self._call(self._find, key)
        content_type, sha256, metadata = from_attributes(found.attributes)
        return ObjectInfo(
            key, len(found.data), found.etag, found.modified, content_type, sha256, metadata
        )

    def get(self, key: str) -> Op[bytes]:
        found = yield self._call(self._find, key)
        return found.data  # type: ignore[no-any-return]

    def read(self, key: str, chunk_size: int) -> Op[None]:
        found = yield self._call(self._find, key)
        view = memoryview(found.data)
        for start in range(0, len(view), chunk_size):
            yield Emit(bytes(view[start : start + chunk_size]))

    def list(self, prefix: str) -> Op[None]:
        with self._lock:
            snapshot = sorted(
                (k for k in self._objects if k.startswith(prefix)), key=lambda k: k.encode()
            )
        for key in snapshot:
            found = self._objects.get(key)
            if found is not None:
                yield Emit(ObjectEntry(key, len(found.data), found.etag, found.modified))

    def delete(self, keys: Sequence[str]) -> Op[None]:
        with self._lock:
            for key in keys:
                self._objects.pop(key, None)
        return
        yield  # pragma: no cover

    def copy(self, source: str, target: str, overwrite: bool) -> Op[None]:
        yield self._call(self._copy, source, target, overwrite, False)

    def rename(self, source: str, target: str, overwrite: bool) -> Op[None]:
        yield self._call(self._copy, source, target, overwrite, True)

    def _copy(self, source: str, target: str, overwrite: bool, move: bool) -> None:
        with self._lock:
            found = self._find(source)
            if not overwrite and target in self._objects:
                raise ObjectExistsError(target)
            etag = f'"{next(self._versions)}"'
            self._objects[target] = _Object(found.data, found.attributes, etag, datetime.now(UTC))
            if move and source != target:
                del self._objects[source]

    def sign(self, method: str, key: str, expires: timedelta) -> Op[str]:
        raise UnsupportedOperationError("the memory store has no presigned URLs")
        yield  # pragma: no cover

    def __repr__(self) -> str:
        return "MemoryBackend()"
