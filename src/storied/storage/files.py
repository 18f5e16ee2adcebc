"""``Files`` / ``AsyncFiles``: a store that model rows keep files in, content-addressed.

>>> from storied.storage import Files, ObjectStore
>>> files = Files(ObjectStore("memory://"))
>>> ref = files.put(b"hello")
>>> ref.key.endswith(ref.sha256), files.read(ref)
(True, b'hello')

Every upload is hashed first and written under ``<prefix><tenant>/<sha256[:2]>/<sha256>``:
bytes are never replaced by other bytes, so history rows keep pointing at what they had.
A ``Files`` holds a default store, named stores (``Files(stores={"docs": …})``, for fields
declared ``Field(store="docs")``), or both. The
same bytes uploaded again are written again (refreshing the object's time, which keeps it out
of reach of :func:`~storied.storage.collect_garbage` until its row has committed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..errors import ConfigurationError
from ._bind import bound
from ._body import (
    AsyncSource,
    Prepared,
    Source,
    aiter_chunks,
    aprepare,
    buffer_of,
    iter_chunks,
    prepare,
)
from ._drive import arun, run
from ._facade import SPOOL_LIMIT
from ._filerepo import AsyncFileRepository, FileRepository
from ._info import PutResult
from ._upload import (
    DEFAULT_TYPE,
    Check,
    Plan,
    Put,
    Upload,
    check_owner,
    checked,
    key_for,
    made_ref,
)
from .asyncio import AsyncObjectStore
from .fileref import CHUNK, FileRef, field_stores
from .store import ObjectStore

if TYPE_CHECKING:
    from ..repository.asyncio import AsyncRepository
    from ..repository.sync import Repository

M = TypeVar("M")
S = TypeVar("S", ObjectStore, AsyncObjectStore)


def _prefix(prefix: str) -> str:
    if not isinstance(prefix, str) or (prefix and not prefix.endswith("/")):
        raise ConfigurationError("a files prefix is '' or a folder ending in '/'")
    return prefix


class _FilesBase(Generic[S]):
    kind: type[S]

    def __init__(self, store: S | None, stores: Mapping[str, S] | None, prefix: str) -> None:
        named: dict[str, S] = dict(stores or {})
        given: list[tuple[str | None, S | None]] = [(None, store)]
        for name, each in [*given, *named.items()]:
            if name is not None and (not isinstance(name, str) or not name):
                raise ConfigurationError(f"a store's name is a non-empty str, got {name!r}")
            if (each is not None or name is not None) and not isinstance(each, self.kind):
                raise ConfigurationError("Files takes ObjectStores (AsyncFiles AsyncObjectStores)")
        if store is None and not named:
            raise ConfigurationError("Files needs a default store, stores={name: store}, or both")
        self.store: S | None = store
        self.stores: dict[str, S] = named
        self.prefix = _prefix(prefix)

    def __repr__(self) -> str:
        named = f", stores={self.stores!r}" if self.stores else ""
        return f"{type(self).__name__}({self.store!r}{named}, prefix={self.prefix!r})"

    def store_named(self, name: str | None) -> S:
        """The store called ``name`` (None: the default store)."""
        found: S | None = self.store if name is None else self.stores.get(name)
        if found is None:
            wanted = "default store" if name is None else f"store named {name!r}"
            have = ", ".join(repr(n) for n in sorted(self.stores)) or "none"
            raise ConfigurationError(
                f"this {type(self).__name__} has no {wanted} (its named stores: {have}); "
                "give it as Files(store, stores={name: store})"
            )
        return found

    def stores_for(self, model: type[Any]) -> dict[str, S]:
        """Each file field of ``model`` → the store its ``Field(store=…)`` names."""
        return {field: self.store_named(name) for field, name in field_stores(model).items()}

    def _target(self, step: Put | Check, stores: Mapping[str, S] | None) -> S:
        if stores is not None and step.field in stores:
            return stores[step.field]  # type: ignore[index]
        return self.store_named(None)

    def _reader(self, ref: FileRef) -> S:
        return ref.store if isinstance(ref.store, self.kind) else self.store_named(None)

    def _args(
        self, store: S, upload: Upload, tenant: Any, body: Prepared
    ) -> tuple[str, dict[str, str], str]:
        key = key_for(self.prefix, tenant, body)
        content_type = upload.content_type or DEFAULT_TYPE
        return store._put_args(key, upload.metadata, content_type, False, None)


class Files(_FilesBase[ObjectStore]):
    """Files of model rows in :class:`ObjectStore` s, under ``prefix`` (default ``files/``).

    ``Files(store)`` keeps every file field's bytes in ``store``; ``Files(stores={"docs": a,
    "media": b})`` (with or without a default ``store``) keeps a field declared
    ``Field(store="docs")`` in ``a``. ``files.repository(repo)`` wraps a repository so that its
    writes take file values (``attachment=b"…"``, a binary file, an iterator of chunks, or an
    :class:`Upload`) and upload them to their field's store before the row is written, and so
    that the ``FileRef`` values it returns are bound to those stores (``ref.read()``).
    """

    kind = ObjectStore

    def __init__(
        self,
        store: ObjectStore | None = None,
        *,
        stores: Mapping[str, ObjectStore] | None = None,
        prefix: str = "files/",
    ) -> None:
        super().__init__(store, stores, prefix)

    def put(
        self,
        data: Source,
        *,
        tenant_id: Any = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        store: str | None = None,
    ) -> FileRef:
        """Upload ``data`` for ``tenant_id`` (None: a model without tenants) to the store named
        ``store`` (None: the default) → its FileRef, bound to that store."""
        return self._put(
            Upload(data, content_type, metadata or {}), tenant_id, self.store_named(store)
        )

    def _put(self, upload: Upload, tenant: Any, store: ObjectStore) -> FileRef:
        body = prepare(upload.data, SPOOL_LIMIT)  # type: ignore[arg-type]
        try:
            key, attributes, mode = self._args(store, upload, tenant, body)
            backend = store.backend
            result: PutResult
            if backend.wants_prepared:
                result = run(backend.put(key, body, attributes, mode, None), backend.translate)
            else:
                result = run(
                    backend.put(
                        key, buffer_of(body.data), attributes, mode, None, body.sha256, body.fixed
                    ),
                    backend.translate,
                    iter_chunks(body.data),
                )
        finally:
            body.close()
        return bound(made_ref(upload, body, result), store)

    def check(self, ref: FileRef, *, tenant_id: Any = None, store: str | None = None) -> FileRef:
        """``ref`` (bound) if it names this tenant's object and the object holds what it claims."""
        return self._check(ref, tenant_id, self.store_named(store))

    def _check(self, ref: FileRef, tenant: Any, store: ObjectStore) -> FileRef:
        check_owner(self.prefix, ref, tenant)
        return bound(checked(ref, store.head(ref.key)), store)

    def read(self, ref: FileRef, *, verify: bool = True) -> bytes:
        """The bytes of ``ref`` from the store it is bound to (unbound: the default store),
        checked against its size and sha256 (``verify=False``: its size alone)."""
        return ref.read(self._reader(ref), verify=verify)

    def stream(
        self, ref: FileRef, chunk_size: int = CHUNK, *, verify: bool = True
    ) -> Iterator[bytes]:
        return ref.stream(chunk_size, store=self._reader(ref), verify=verify)

    def run(self, plan: Plan, stores: Mapping[str, ObjectStore] | None = None) -> dict[str, Any]:
        """Drive a plan of uploads and checks (see ``_upload.resolve``); ``stores``: each
        field's store (a field not in it: the default store)."""
        value: Any = None
        while True:
            try:
                step = plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            target = self._target(step, stores)
            if isinstance(step, Check):
                value = self._check(step.ref, step.tenant, target)
            else:
                value = self._put(step.upload, step.tenant, target)

    def repository(self, repo: Repository[M]) -> FileRepository[M]:
        """``repo`` whose writes take file values for the model's ``FileRef`` fields."""
        return FileRepository(self, repo)


class AsyncFiles(_FilesBase[AsyncObjectStore]):
    """:class:`Files` on :class:`AsyncObjectStore` s, every call awaited."""

    kind = AsyncObjectStore

    def __init__(
        self,
        store: AsyncObjectStore | None = None,
        *,
        stores: Mapping[str, AsyncObjectStore] | None = None,
        prefix: str = "files/",
    ) -> None:
        super().__init__(store, stores, prefix)

    async def put(
        self,
        data: AsyncSource,
        *,
        tenant_id: Any = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        store: str | None = None,
    ) -> FileRef:
        """See :meth:`Files.put` (``data`` may also be an async iterator of chunks)."""
        return await self._put(
            Upload(data, content_type, metadata or {}), tenant_id, self.store_named(store)
        )

    async def _put(self, upload: Upload, tenant: Any, store: AsyncObjectStore) -> FileRef:
        body = await aprepare(upload.data, SPOOL_LIMIT)
        try:
            key, attributes, mode = self._args(store, upload, tenant, body)
            backend = store.backend
            result: PutResult
            if backend.wants_prepared:
                result = await arun(
                    backend.put(key, body, attributes, mode, None), backend.translate
                )
            else:
                result = await arun(
                    backend.put(
                        key, buffer_of(body.data), attributes, mode, None, body.sha256, body.fixed
                    ),
                    backend.translate,
                    aiter_chunks(body.data),
                )
        finally:
            body.close()
        return bound(made_ref(upload, body, result), store)

    async def check(
        self, ref: FileRef, *, tenant_id: Any = None, store: str | None = None
    ) -> FileRef:
        return await self._check(ref, tenant_id, self.store_named(store))

    async def _check(self, ref: FileRef, tenant: Any, store: AsyncObjectStore) -> FileRef:
        check_owner(self.prefix, ref, tenant)
        return bound(checked(ref, await store.head(ref.key)), store)

    async def read(self, ref: FileRef, *, verify: bool = True) -> bytes:
        return await ref.aread(self._reader(ref), verify=verify)

    def stream(
        self, ref: FileRef, chunk_size: int = CHUNK, *, verify: bool = True
    ) -> AsyncIterator[bytes]:
        return ref.astream(chunk_size, store=self._reader(ref), verify=verify)

    async def run(
        self, plan: Plan, stores: Mapping[str, AsyncObjectStore] | None = None
    ) -> dict[str, Any]:
        value: Any = None
        while True:
            try:
                step = plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            target = self._target(step, stores)
            if isinstance(step, Check):
                value = await self._check(step.ref, step.tenant, target)
            else:
                value = await self._put(step.upload, step.tenant, target)

    def repository(self, repo: AsyncRepository[M]) -> AsyncFileRepository[M]:
        return AsyncFileRepository(self, repo)
