"""``restore(db, path)``: never harms the live database.

1. **Verify the file** before anything else: a portable backup's manifest, schema fingerprint
   (against the models), sha256 and row count per table; a native file's header and whether its
   own tool can read it (SQLite ``PRAGMA integrity_check``, ``pg_restore --list``, the
   ``mariadb-dump`` closing line).
2. **Restore into a new target** — a new SQLite file beside the live one, or a new server
   database — and verify that too: integrity check, the schema plan against the models is
   empty, the row counts match the manifest. Any failure removes the new target; the live
   database was not touched (``RestoreRefused``).
3. ``dry_run=True`` stops here (and removes the new target).
4. **Switch.** SQLite: the live file is first copied (backup API) to
   ``<name>.before-restore-<UTC time>.db``, the Database's engine is disposed, the verified file
   is written over the live one through the backup API (never a file copy: SQLite's locks and
   WAL stay coherent) and the Database reconnects. Servers: the data stays in the new database
   ``into`` and the caller points the application at it (the report gives its URL): renaming
   databases under a running application's connections is not something storied does behind
   its back. A portable backup may instead go straight into the configured database when none
   of the models' tables exist there yet (``into=None``); a failure drops the tables it made.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..dialects import database_file, is_memory
from ..engine.database import Database
from ..errors import ConfigurationError, OperationsError, RestoreRefused
from . import native
from .backup import Format, model_tables, native_kind
from .load import check_target, load_portable
from .native import sqlite as native_sqlite
from .portable import Progress, Reader

if TYPE_CHECKING:
    from ..models.base import Model

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


@dataclass(frozen=True, slots=True)
class RestoreReport:
    format: Format
    dry_run: bool
    #: what was verified, in words
    checks: tuple[str, ...]
    #: rows per table in the verified target
    rows: dict[str, int]
    #: the database now holding the restored data (password hidden); None after a dry run
    target: str | None = None
    #: the copy of the SQLite database that the restore replaced
    previous: Path | None = None


def sniff(path: Path) -> Format:
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError as exc:
        raise RestoreRefused(f"{path}: cannot be read ({exc.strerror})") from exc
    if head.startswith(b"PK\x03\x04"):
        return "portable"
    kind = native.sniff(head)
    if kind is None:
        raise RestoreRefused(
            f"{path}: not a backup storied can read (neither a portable backup nor a SQLite, "
            "pg_dump -Fc or mariadb-dump file)"
        )
    return kind  # type: ignore[return-value]


def restore(
    db: Database,
    path: str | os.PathLike[str],
    *,
    into: str | None = None,
    dry_run: bool = False,
    models: Iterable[type[Model]] | None = None,
    progress: Progress | None = None,
) -> RestoreReport:
    """Verify the backup at ``path``, restore it into a new target, verify that, then switch.

    Args:
        into: for a server, the new database to restore into (created; must not exist).
        dry_run: verify only; nothing is switched and no target is kept.
        models: the models the backup must match (default: every model the registry maps).

    Raises:
        RestoreRefused: the file (or what it restored to) failed verification; the live
            database is unchanged.
    """
    source = Path(path)
    chosen = list(models) if models is not None else list(db.registry)
    if not chosen:
        raise ConfigurationError("restore: no models given (and none mapped in the registry)")
    kind = sniff(source)
    checks: list[str] = []
    expected: dict[str, int] | None = None
    if kind == "portable":
        with Reader(source) as reader:
            reader.check_schema(model_tables(db, chosen))
            expected = {}
            for entry in reader.manifest.tables:
                table = db.registry.metadata.tables[entry.name]
                expected[entry.name] = sum(1 for _ in reader.rows(entry, table))
        checks += ["manifest", "schema fingerprint", "sha256 and row count of every table"]
    else:
        if kind != native_kind(db):
            raise RestoreRefused(f"{source}: a {kind} backup cannot restore into this database")
        native.MODULES[kind].verify(source)
        checks.append(f"{kind} file readable")
    live = database_file(db.url)
    if is_memory(db.url):
        raise ConfigurationError("restore needs a SQLite file database, not an in-memory one")
    job = _Job(db, source, kind, chosen, expected, checks, progress)
    if live is not None:
        return job.into_sqlite(Path(live), dry_run)
    return job.into_server(into, dry_run)


@dataclass
class _Job:
    db: Database
    source: Path
    kind: Format
    models: list[type[Model]]
    expected: dict[str, int] | None
    checks: list[str]
    progress: Progress | None

    def _load(self, url: sa.URL) -> dict[str, int]:
        where = str(self.source)
        if self.kind == "portable":
            with Database(url) as target, Reader(self.source) as reader:
                load_portable(target, reader, self.models, self.progress)
        elif self.kind == "sqlite":
            native_sqlite.restore(self.source, Path(str(url.database)))
        else:
            native.MODULES[self.kind].restore(url, self.db.engine, self.source)
        file = database_file(url)
        if file is not None:
            native_sqlite.verify(Path(file))
            self.checks.append("PRAGMA integrity_check")
        rows = check_target(url, self.models, self.expected, where)
        self.checks += ["schema plan empty", "row counts"]
        return rows

    def into_sqlite(self, live: Path, dry_run: bool) -> RestoreReport:
        scratch = live.with_name(f".{live.name}.restore-{uuid.uuid4().hex[:8]}")
        try:
            rows = self._load(self.db.url.set(database=str(scratch)))
            if dry_run:
                return RestoreReport(self.kind, True, tuple(self.checks), rows)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            previous = live.with_name(f"{live.stem}.before-restore-{stamp}{live.suffix}")
            native_sqlite.backup(self.db.url, self.db.engine, previous)
            self.db.close()
            try:
                native_sqlite.restore(scratch, live)
            finally:
                self.db.connect()
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{scratch}{suffix}").unlink(missing_ok=True)
        target = self.db.url.render_as_string(hide_password=True)
        return RestoreReport(self.kind, False, tuple(self.checks), rows, target, previous)

    def into_server(self, into: str | None, dry_run: bool) -> RestoreReport:
        if dry_run:
            into = f"{self.db.url.database}_verify_{uuid.uuid4().hex[:8]}"[:63]
        if into is None:
            if self.kind != "portable" or not self._configured_empty():
                raise ConfigurationError(
                    "restoring into a server goes into a new database: pass into=NAME (then "
                    "point the application at it); only a portable backup restores into the "
                    "configured database, and only while none of the models' tables exist"
                )
            try:
                rows = self._load(self.db.url)
            except BaseException:
                self.db.drop_all(self.models)
                raise
            target = self.db.url.render_as_string(hide_password=True)
            return RestoreReport(self.kind, False, tuple(self.checks), rows, target)
        url = self._create(into)
        try:
            rows = self._load(url)
        except BaseException:
            self._drop(into)
            raise
        if dry_run:
            self._drop(into)
            return RestoreReport(self.kind, True, tuple(self.checks), rows)
        target = url.render_as_string(hide_password=True)
        return RestoreReport(self.kind, False, tuple(self.checks), rows, target)

    def _configured_empty(self) -> bool:
        names = {t.name for t in model_tables(self.db, self.models)}
        with self.db.engine.connect() as conn:
            found = set(sa.inspect(conn).get_table_names())
        return not (names & found)

    def _quoted(self, name: str) -> str:
        if not _NAME.fullmatch(name):
            raise ConfigurationError(f"restore: {name!r} is not a valid database name")
        return self.db.engine.dialect.identifier_preparer.quote(name)

    def _create(self, name: str) -> sa.URL:
        quoted = self._quoted(name)
        try:
            with self.db.engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        except sa.exc.DBAPIError as exc:
            raise OperationsError(
                f"restore: cannot create database {name!r} (does it exist already?)"
            ) from exc
        return self.db.url.set(database=name)

    def _drop(self, name: str) -> None:
        with self.db.engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self._quoted(name)}")
