"""``Files`` / ``AsyncFiles``: a store that model rows keep files in, content-addressed.

>>> from storied.storage import Files, ObjectStore
>>> files = Files(ObjectStore("memory://"))
>>> ref = files.put(b"hello")
>>> ref.key.endswith(ref.sha256), files.read(ref)
(True, b'hello')

Every upload is hashed first and written under ``<prefix><tenant>/<sha256[:2]>/<sha256>``:
bytes are never replaced by other bytes, so history rows keep pointing at what they had. The
same bytes uploaded again are written again (refreshing the object's time, which keeps it out
of reach of :func:`~storied.storage.collect_garbage` until its row has committed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ConfigurationError
from ._body import AsyncSource, Prepared, Source, aiter_chunks, aprepare, iter_chunks, prepare
from ._drive import arun, run
from ._facade import SPOOL_LIMIT
from ._filerepo import AsyncFileRepository, FileRepository
from ._info import PutResult
from ._upload import DEFAULT_TYPE, Check, Plan, Upload, check_owner, checked, key_for, made_ref
from .asyncio import AsyncObjectStore
from .fileref import CHUNK, FileRef
from .store import ObjectStore

if TYPE_CHECKING:
    from ..repository.asyncio import AsyncRepository
    from ..repository.sync import Repository

M = TypeVar("M")


def _prefix(prefix: str) -> str:
    if not isinstance(prefix, str) or (prefix and not prefix.endswith("/")):
        raise ConfigurationError("a files prefix is '' or a folder ending in '/'")
    return prefix


class _FilesBase:
    def __init__(self, store: Any, prefix: str) -> None:
        self.store = store
        self.prefix = _prefix(prefix)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.store!r}, prefix={self.prefix!r})"

    def _args(self, upload: Upload, tenant: Any, body: Prepared) -> tuple[str, dict[str, str], str]:
        key = key_for(self.prefix, tenant, body)
        content_type = upload.content_type or DEFAULT_TYPE
        return self.store._put_args(key, upload.metadata, content_type, False, None)  # type: ignore[no-any-return]


class Files(_FilesBase):
    """Files of model rows in one :class:`ObjectStore`, under ``prefix`` (default ``files/``).

    ``files.repository(repo)`` wraps a repository so that its writes take file values
    (``attachment=b"…"``, a binary file, an iterator of chunks, or an :class:`Upload`) and
    upload them before the row is written.
    """

    store: ObjectStore

    def __init__(self, store: ObjectStore, *, prefix: str = "files/") -> None:
        if not isinstance(store, ObjectStore):
            raise ConfigurationError("Files takes an ObjectStore (AsyncFiles an AsyncObjectStore)")
        super().__init__(store, prefix)

    def put(
        self,
        data: Source,
        *,
        tenant_id: Any = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> FileRef:
        """Upload ``data`` for ``tenant_id`` (None: a model without tenants) → its FileRef."""
        return self._put(Upload(data, content_type, metadata or {}), tenant_id)

    def _put(self, upload: Upload, tenant: Any) -> FileRef:
        body = prepare(upload.data, SPOOL_LIMIT)  # type: ignore[arg-type]
        try:
            key, attributes, mode = self._args(upload, tenant, body)
            backend = self.store.backend
            result: PutResult
            if backend.wants_prepared:
                result = run(backend.put(key, body, attributes, mode, None), backend.translate)
            else:
                result = run(backend.put(key, None, attributes, mode, None), backend.translate,
                             iter_chunks(body.data))
        finally:
            body.close()
        return made_ref(upload, body, result)

    def check(self, ref: FileRef, *, tenant_id: Any = None) -> FileRef:
        """``ref`` if it names this tenant's object and the object holds what it claims."""
        check_owner(self.prefix, ref, tenant_id)
        return checked(ref, self.store.head(ref.key))

    def read(self, ref: FileRef) -> bytes:
        return ref.read(self.store)

    def stream(self, ref: FileRef, chunk_size: int = CHUNK) -> Iterator[bytes]:
        return ref.stream(self.store, chunk_size)

    def run(self, plan: Plan) -> dict[str, Any]:
        """Drive a plan of uploads and checks (see ``_upload.resolve``)."""
        value: Any = None
        while True:
            try:
                step = plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if isinstance(step, Check):
                value = self.check(step.ref, tenant_id=step.tenant)
            else:
                value = self._put(step.upload, step.tenant)

    def repository(self, repo: Repository[M]) -> FileRepository[M]:
        """``repo`` whose writes take file values for the model's ``FileRef`` fields."""
        return FileRepository(self, repo)


class AsyncFiles(_FilesBase):
    """:class:`Files` on an :class:`AsyncObjectStore`, every call awaited."""

    store: AsyncObjectStore

    def __init__(self, store: AsyncObjectStore, *, prefix: str = "files/") -> None:
        if not isinstance(store, AsyncObjectStore):
            raise ConfigurationError("AsyncFiles takes an AsyncObjectStore")
        super().__init__(store, prefix)

    async def put(
        self,
        data: AsyncSource,
        *,
        tenant_id: Any = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> FileRef:
        """See :meth:`Files.put` (``data`` may also be an async iterator of chunks)."""
        return await self._put(Upload(data, content_type, metadata or {}), tenant_id)

    async def _put(self, upload: Upload, tenant: Any) -> FileRef:
        body = await aprepare(upload.data, SPOOL_LIMIT)
        try:
            key, attributes, mode = self._args(upload, tenant, body)
            backend = self.store.backend
            result: PutResult
            if backend.wants_prepared:
                result = await arun(backend.put(key, body, attributes, mode, None),
                                    backend.translate)
            else:
                result = await arun(backend.put(key, None, attributes, mode, None),
                                    backend.translate, aiter_chunks(body.data))
        finally:
            body.close()
        return made_ref(upload, body, result)

    async def check(self, ref: FileRef, *, tenant_id: Any = None) -> FileRef:
        check_owner(self.prefix, ref, tenant_id)
        return checked(ref, await self.store.head(ref.key))

    async def read(self, ref: FileRef) -> bytes:
        return await ref.aread(self.store)

    def stream(self, ref: FileRef, chunk_size: int = CHUNK) -> AsyncIterator[bytes]:
        return ref.astream(self.store, chunk_size)

    async def run(self, plan: Plan) -> dict[str, Any]:
        value: Any = None
        while True:
            try:
                step = plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if isinstance(step, Check):
                value = await self.check(step.ref, tenant_id=step.tenant)
            else:
                value = await self._put(step.upload, step.tenant)

    def repository(self, repo: AsyncRepository[M]) -> AsyncFileRepository[M]:
        return AsyncFileRepository(self, repo)
