"""``FileRef``: what a row keeps of a stored file (its key, size, sha256, type and metadata).

A model field typed ``FileRef`` (or ``FileRef | None``) is stored as JSON in the row, in its
audit entries and in its scd2 versions, so history keeps pointing at the bytes it had; the bytes
live in an object store under a content-addressed key (see :class:`~storied.storage.Files`).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..errors import ConfigurationError, StorageError
from ..models.fields import StoreName
from ._reader import AsyncChunkReader, ChunkReader
from .asyncio import AsyncObjectStore
from .store import ObjectStore

CHUNK = 1024 * 1024
_SAFE_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


class FileRef(BaseModel):
    """One stored file as a row records it. Frozen: a new upload makes a new ``FileRef``.

    ``key`` is content-addressed (``<prefix><tenant>/<sha256[:2]>/<sha256>``), so the bytes a
    ref names are never replaced by other bytes. ``etag`` is the store's etag at upload time
    (informational: etags differ by backend). ``metadata`` keys are normalised as the store
    normalises them (lowercase, ``-`` as ``_``).

    A ref read through ``files.repository(repo)`` (or returned by ``files.put``) is *bound* to
    the store its field names, so ``ref.read()``, ``ref.stream(chunk_size)`` and ``ref.open()``
    (``aread``/``astream``/``aopen`` on an async store) need no store; an unbound ref takes
    ``store=``. Binding is not part of the value: a bound and an unbound ref with the same
    fields are equal.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(min_length=1, max_length=1024)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content_type: str = "application/octet-stream"
    etag: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    _store: ObjectStore | AsyncObjectStore | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileRef):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((self.key, self.size, self.sha256, self.content_type, self.etag))

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> FileRef:
        # the binding is a reference to a store, never a copy of one (a memory store's objects)
        return self.model_copy(update={"metadata": dict(self.metadata)})

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        # a pickled ref arrives unbound: stores hold clients and locks
        return (_rebuilt, (self.model_dump(),))

    @property
    def store(self) -> ObjectStore | AsyncObjectStore | None:
        """The store this ref is bound to (None: unbound)."""
        return self._store

    def bind(self, store: ObjectStore | AsyncObjectStore) -> FileRef:
        """A copy of this ref bound to ``store``."""
        if not isinstance(store, ObjectStore | AsyncObjectStore):
            raise ConfigurationError("a FileRef binds to an ObjectStore or an AsyncObjectStore")
        ref = self.model_copy()
        ref._store = store
        return ref

    def read(self, store: ObjectStore | None = None, *, verify: bool = True) -> bytes:
        """The file's bytes, checked against the recorded size and (unless ``verify=False``,
        which saves hashing them again) the recorded sha256."""
        data = self._sync(store).get(self.key)
        self._check(len(data), _digest(data, verify))
        return data

    def stream(
        self, chunk_size: int = CHUNK, *, store: ObjectStore | None = None, verify: bool = True
    ) -> Iterator[bytes]:
        """The file's bytes in chunks; after the last, a size or sha256 mismatch raises
        (``verify=False``: the size alone)."""
        return self._stream(self._sync(store), chunk_size, verify)

    def _stream(self, source: ObjectStore, chunk_size: int, verify: bool) -> Iterator[bytes]:
        digest, size = hashlib.sha256() if verify else None, 0
        for chunk in source.stream(self.key, chunk_size):
            if digest is not None:
                digest.update(chunk)
            size += len(chunk)
            yield chunk
        self._check(size, digest.hexdigest() if digest is not None else None)

    def open(
        self, chunk_size: int = CHUNK, *, store: ObjectStore | None = None, verify: bool = True
    ) -> io.BufferedReader:
        """A binary file reading the bytes as they stream (checked at the end, like stream)."""
        chunks = self.stream(chunk_size, store=store, verify=verify)
        return io.BufferedReader(ChunkReader(chunks), chunk_size)

    async def aread(self, store: AsyncObjectStore | None = None, *, verify: bool = True) -> bytes:
        """:meth:`read` from an :class:`~storied.storage.AsyncObjectStore`."""
        data = await self._async(store).get(self.key)
        self._check(len(data), _digest(data, verify))
        return data

    def astream(
        self, chunk_size: int = CHUNK, *, store: AsyncObjectStore | None = None, verify: bool = True
    ) -> AsyncIterator[bytes]:
        """:meth:`stream` from an :class:`~storied.storage.AsyncObjectStore`."""
        return self._astream(self._async(store), chunk_size, verify)

    async def _astream(
        self, source: AsyncObjectStore, chunk_size: int, verify: bool
    ) -> AsyncIterator[bytes]:
        digest, size = hashlib.sha256() if verify else None, 0
        async for chunk in source.stream(self.key, chunk_size):
            if digest is not None:
                digest.update(chunk)
            size += len(chunk)
            yield chunk
        self._check(size, digest.hexdigest() if digest is not None else None)

    def aopen(
        self, chunk_size: int = CHUNK, *, store: AsyncObjectStore | None = None, verify: bool = True
    ) -> AsyncChunkReader:
        """:meth:`open` on an async store: ``async with ref.aopen() as f: await f.read(n)``."""
        return AsyncChunkReader(self.astream(chunk_size, store=store, verify=verify))

    def _sync(self, store: ObjectStore | None) -> ObjectStore:
        chosen = self._store if store is None else store
        if isinstance(chosen, ObjectStore):
            return chosen
        raise ConfigurationError(self._unbound(chosen, "read", "aread"))

    def _async(self, store: AsyncObjectStore | None) -> AsyncObjectStore:
        chosen = self._store if store is None else store
        if isinstance(chosen, AsyncObjectStore):
            return chosen
        raise ConfigurationError(self._unbound(chosen, "aread", "read"))

    def _unbound(self, chosen: object, this: str, other: str) -> str:
        if chosen is None:
            return (
                f"the FileRef {self.key!r} is bound to no store: read it through "
                "files.repository(…) or pass store="
            )
        return f"the FileRef {self.key!r} is bound to a store of the other kind: use {other}()"

    def _check(self, size: int, sha256: str | None) -> None:
        """``sha256`` None: not verified (``verify=False``), the size alone is checked."""
        differs = sha256 is not None and sha256 != self.sha256
        if size != self.size or differs:
            raise StorageError(
                f"the object {self.key!r} does not hold the bytes its FileRef recorded "
                f"({size} bytes read, {self.size} recorded; sha256 differs: {differs})",
                key=self.key,
            )


def _digest(data: bytes, verify: bool) -> str | None:
    return hashlib.sha256(data).hexdigest() if verify else None


def _rebuilt(fields: dict[str, Any]) -> FileRef:
    """An unpickled ref (unbound)."""
    return FileRef(**fields)


def tenant_segment(tenant: Any) -> str:
    """The key segment of a tenant: its id when it is key-safe, else a digest of it."""
    if tenant is None:
        return "shared"
    text = str(tenant)
    if _SAFE_TENANT.match(text) and text != "shared":
        return text
    return "h-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def content_key(prefix: str, tenant: Any, sha256: str) -> str:
    """Where the bytes with this sha256 live for this tenant."""
    return f"{prefix}{tenant_segment(tenant)}/{sha256[:2]}/{sha256}"


def is_file_type(annotation: Any) -> bool:
    """``FileRef`` or ``FileRef | None`` (what a file field is declared as)."""
    if annotation is FileRef:
        return True
    args: tuple[Any, ...] = getattr(annotation, "__args__", None) or ()
    return FileRef in args and all(a in (FileRef, type(None)) for a in args)


def file_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of a model's file fields."""
    return tuple(n for n, f in model.model_fields.items() if is_file_type(f.annotation))


def field_stores(model: type[BaseModel]) -> dict[str, str | None]:
    """Each file field's store name (``Field(store=…)``; None: the default store)."""
    named: dict[str, str | None] = {}
    for name, info in model.model_fields.items():
        store = next((m.name for m in info.metadata if isinstance(m, StoreName)), None)
        if is_file_type(info.annotation):
            named[name] = store
        elif store is not None:
            raise ConfigurationError(f"{model.__name__}.{name}: store= is for FileRef fields only")
    return named
