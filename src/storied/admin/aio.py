"""Async backup, restore, CSV export and import: the sync operations, run once, in a thread.

Each works on a sync twin of the :class:`AsyncDatabase` — a :class:`Database` on the same
URL with the sync driver, the same registry, clock and id factory — opened for the call and
closed after, and runs the sync function in a worker thread, so the event loop keeps serving
while rows stream. There is one implementation of each operation; these only carry it across.

An in-memory async SQLite database is visible to its own connection only, so it has no twin:
these refuse it (``ConfigurationError``); use a file.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from ..dialects import is_memory
from ..engine.async_database import AsyncDatabase
from ..engine.database import Database
from ..errors import ConfigurationError
from .backup import BackupResult, backup
from .export import export_csv
from .importer import ImportReport, import_csv
from .restore import RestoreReport, restore

if TYPE_CHECKING:
    from ..models.base import Model
    from .portable import Manifest

T = TypeVar("T")


@asynccontextmanager
async def sync_twin(adb: AsyncDatabase) -> AsyncIterator[Database]:
    """A connected sync :class:`Database` on ``adb``'s database, closed on exit."""
    if is_memory(adb.url):
        raise ConfigurationError(
            "an in-memory async SQLite database is visible to its own connection only; "
            "backup, restore, export and import need a file or a server"
        )
    url = adb.url.set(drivername=adb.url.get_backend_name())  # storied's sync driver
    db = Database(
        url,
        registry=adb.registry,
        clock=adb.clock,
        id_factory=adb.new_id,
        pool_size=1,
        max_overflow=1,
    )
    await asyncio.to_thread(db.connect)
    try:
        yield db
    finally:
        await asyncio.to_thread(db.close)


async def _on_twin(adb: AsyncDatabase, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    async with sync_twin(adb) as db:
        return await asyncio.to_thread(fn, db, *args, **kwargs)


async def abackup(adb: AsyncDatabase, path: str | os.PathLike[str], **options: Any) -> BackupResult:
    """The async :func:`~storied.admin.backup` (same options)."""
    return await _on_twin(adb, backup, path, **options)


async def aexport_csv(
    adb: AsyncDatabase,
    path: str | os.PathLike[str],
    models: Iterable[type[Model]] | None = None,
    **options: Any,
) -> Manifest:
    """The async :func:`~storied.admin.export_csv` (same options)."""
    return await _on_twin(adb, export_csv, path, models, **options)


async def aimport_csv(
    adb: AsyncDatabase,
    path: str | os.PathLike[str],
    models: list[type[Model]] | None = None,
    **options: Any,
) -> ImportReport:
    """The async :func:`~storied.admin.import_csv` (same options; history as an import)."""
    return await _on_twin(adb, import_csv, path, models, **options)


async def arestore(
    adb: AsyncDatabase, path: str | os.PathLike[str], **options: Any
) -> RestoreReport:
    """The async :func:`~storied.admin.restore` (same options and guarantees).

    A SQLite switch writes the verified file over the live one through the backup API, which
    keeps every other connection coherent: ``adb``'s pooled connections read the restored
    rows on their next statement.
    """
    return await _on_twin(adb, restore, path, **options)
