"""``files``: a Database (sync or async, on each backend) with a store for its file fields.

The database side is ``tests/integration``'s ``store`` fixture (SQLite, PostgreSQL, MariaDB;
sync and async); the store side is ``tests/storage``'s backends. ``files`` runs on memory and
local disk; ``files_everywhere`` also on S3 (moto) and Azure (Azurite), for the tests where the
store's own behaviour matters (streams, etags, listings for garbage collection).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storied import AsyncDatabase, Model
from storied.storage import (
    AsyncFiles,
    AsyncObjectStore,
    FileRef,
    Files,
    GarbageReport,
    ObjectStore,
    acollect_garbage,
    collect_garbage,
)
from tests.integration.conftest import Repo, Store, _stores, settle, store, tenant
from tests.storage.conftest import BACKENDS, azurite, moto, store_args

__all__ = ["_stores", "azurite", "moto", "store", "tenant"]


class FileDb:
    """A connected Database and a Files of the same flavour (sync or async), awaitable."""

    def __init__(self, db: Store, files: Files | AsyncFiles, kind: str) -> None:
        self.db = db
        self.files = files
        self.kind = kind

    @property
    def is_async(self) -> bool:
        return self.db.is_async

    @property
    def objects(self) -> ObjectStore | AsyncObjectStore:
        return self.files.store

    async def create_all(self, *models: type[Model]) -> None:
        await self.db.create_all(*models)

    def repository(self, model: type[Model], **scope: Any) -> Repo:
        inner = self.db.db.repository(model, **scope)
        return Repo(self.files.repository(inner))  # type: ignore[arg-type]

    def plain(self, model: type[Model], **scope: Any) -> Repo:
        """The repository without the files wrapper (reads, history)."""
        return Repo(self.db.db.repository(model, **scope))

    async def put(self, data: Any, **kwargs: Any) -> FileRef:
        return await settle(self.files.put(data, **kwargs))  # type: ignore[no-any-return]

    async def read(self, ref: FileRef) -> bytes:
        return await settle(self.files.read(ref))  # type: ignore[no-any-return]

    async def streamed(self, ref: FileRef, chunk_size: int = 1024 * 1024) -> list[bytes]:
        chunks = self.files.stream(ref, chunk_size)
        if isinstance(chunks, AsyncIterator):
            return [c async for c in chunks]
        return list(chunks)

    async def keys(self) -> list[str]:
        found = self.objects.list(self.files.prefix)
        if isinstance(found, AsyncIterator):
            return [e.key async for e in found]
        return [e.key for e in found]

    async def head(self, key: str) -> Any:
        return await settle(self.objects.head(key))

    async def exists(self, key: str) -> bool:
        return await settle(self.objects.exists(key))  # type: ignore[no-any-return]

    async def gc(self, **kwargs: Any) -> GarbageReport:
        if isinstance(self.db.db, AsyncDatabase):
            return await acollect_garbage(self.objects, self.db.db, **kwargs)  # type: ignore[arg-type]
        return collect_garbage(self.objects, self.db.db, **kwargs)  # type: ignore[arg-type]


def _file_db(store: Store, kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> FileDb:
    url, options = store_args(kind, request, tmp_path)
    files: Files | AsyncFiles
    if store.is_async:
        files = AsyncFiles(AsyncObjectStore(url, **options))
    else:
        files = Files(ObjectStore(url, **options))
    return FileDb(store, files, kind)


@pytest.fixture(params=BACKENDS[:2])
def files(store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> FileDb:
    return _file_db(store, request.param, request, tmp_path)


@pytest.fixture(params=BACKENDS)
def files_everywhere(store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> FileDb:
    return _file_db(store, request.param, request, tmp_path)
