"""``backup(db, path)``: a consistent snapshot, native to the backend or portable.

Native: SQLite's online backup API, ``pg_dump -Fc``, ``mariadb-dump --single-transaction``.
Portable (``portable=True``): storied's own zip (see portable.py), which restores onto any
backend. Either way the file appears under its name only once complete (written beside it,
then renamed), so a failed backup never leaves a half-written file that looks like a backup.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from ..dialects import capabilities
from ..errors import ConfigurationError, OperationsError
from . import native, portable
from .portable import Manifest, Progress

if TYPE_CHECKING:
    from ..engine.database import Database
    from ..models.base import Model

Format = Literal["portable", "sqlite", "pg_dump", "mariadb-dump"]


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    format: Format
    size: int
    seconds: float
    #: the portable backup's manifest (None for native backups)
    manifest: Manifest | None = None


def model_tables(db: Database, models: Iterable[type[Model]] | None) -> list[sa.Table]:
    """The models' tables (history tables included) in foreign-key order."""
    wanted = set(db.registry.tables(models))
    return [t for t in db.registry.metadata.sorted_tables if t in wanted]


def model_names(db: Database, models: Iterable[type[Model]] | None) -> list[str]:
    return [m.__name__ for m in (list(models) if models is not None else list(db.registry))]


def native_kind(db: Database) -> Format:
    """The backend's native backup format (a capability of its dialect)."""
    kind = capabilities(db.engine.dialect).native_backup
    if kind is None:
        raise ConfigurationError(
            f"no native backup for {db.engine.dialect.name}; use portable=True"
        )
    return kind


def backup(
    db: Database,
    path: str | os.PathLike[str],
    *,
    portable: bool = False,
    models: Iterable[type[Model]] | None = None,
    progress: Progress | None = None,
) -> BackupResult:
    """Write a consistent backup of ``db`` to ``path``.

    Args:
        portable: storied's own format (restores onto another backend) instead of the
            backend's native one.
        models: the models whose tables a portable backup holds (default: all mapped).
        progress: called with (table, rows so far) during a portable backup.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    start = time.perf_counter()
    manifest = None
    try:
        if portable:
            kind: Format = "portable"
            manifest = _portable(db, models, partial, progress)
        else:
            kind = native_kind(db)
            native.MODULES[kind].backup(db.url, db.engine, partial)
        os.replace(partial, target)
    except sa.exc.SQLAlchemyError as exc:
        raise OperationsError(f"backup of {_where(db)} failed: {type(exc).__name__}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, kind, target.stat().st_size, time.perf_counter() - start, manifest)


def _portable(
    db: Database, models: Iterable[type[Model]] | None, out: Path, progress: Progress | None
) -> Manifest:
    chosen = list(models) if models is not None else None
    tables = model_tables(db, chosen)
    with db.engine.connect() as conn:
        portable.open_snapshot(conn)
        try:
            return portable.write(conn, tables, model_names(db, chosen), out, progress)
        finally:
            conn.exec_driver_sql("ROLLBACK")  # read only: nothing to keep


def _where(db: Database) -> str:
    return db.url.render_as_string(hide_password=True)
