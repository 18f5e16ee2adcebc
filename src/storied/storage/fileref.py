"""``FileRef``: what a row keeps of a stored file (its key, size, sha256, type and metadata).

A model field typed ``FileRef`` (or ``FileRef | None``) is stored as JSON in the row, in its
audit entries and in its scd2 versions, so history keeps pointing at the bytes it had; the bytes
live in an object store under a content-addressed key (see :class:`~storied.storage.Files`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import StorageError

if TYPE_CHECKING:
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
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(min_length=1, max_length=1024)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content_type: str = "application/octet-stream"
    etag: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)

    def read(self, store: ObjectStore) -> bytes:
        """The file's bytes from ``store``, checked against the recorded size and sha256."""
        data = store.get(self.key)
        self._check(len(data), hashlib.sha256(data).hexdigest())
        return data

    def stream(self, store: ObjectStore, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The file's bytes in chunks; after the last, a size or sha256 mismatch raises."""
        digest, size = hashlib.sha256(), 0
        for chunk in store.stream(self.key, chunk_size):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        self._check(size, digest.hexdigest())

    async def aread(self, store: AsyncObjectStore) -> bytes:
        """:meth:`read` from an :class:`~storied.storage.AsyncObjectStore`."""
        data = await store.get(self.key)
        self._check(len(data), hashlib.sha256(data).hexdigest())
        return data

    async def astream(
        self, store: AsyncObjectStore, chunk_size: int = CHUNK
    ) -> AsyncIterator[bytes]:
        """:meth:`stream` from an :class:`~storied.storage.AsyncObjectStore`."""
        digest, size = hashlib.sha256(), 0
        async for chunk in store.stream(self.key, chunk_size):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        self._check(size, digest.hexdigest())

    def _check(self, size: int, sha256: str) -> None:
        if size != self.size or sha256 != self.sha256:
            raise StorageError(
                f"the object {self.key!r} does not hold the bytes its FileRef recorded "
                f"({size} bytes read, {self.size} recorded; sha256 differs: "
                f"{sha256 != self.sha256})",
                key=self.key,
            )


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
