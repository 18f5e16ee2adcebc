"""storied's portable backup: a zip of JSON lines per table, a manifest, a schema fingerprint.

It restores onto any backend (a SQLite backup into PostgreSQL, history tables included),
because values are written by kind (see codec.py), not in a backend's own format. Tables are
read in one snapshot transaction, so writers running meanwhile do not tear the backup.

Layout::

    manifest.json          format, fingerprint, models, per table: file, columns, rows, sha256
    data/<table>.jsonl     one JSON array per row, columns in manifest order
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from ..dialects import capabilities
from ..errors import RestoreRefused
from .codec import json_decoders, json_encoders
from .fingerprint import fingerprint

FORMAT = "storied-portable"
VERSION = 1
BATCH = 5000

#: called with (table name, rows done so far) as a long operation goes
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class TableEntry:
    name: str
    file: str
    columns: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    fingerprint: str
    models: tuple[str, ...]
    tables: tuple[TableEntry, ...]
    source: str
    created_at: str
    format: str = FORMAT
    version: int = VERSION

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> str:
        data = {
            "format": self.format,
            "version": self.version,
            "created_at": self.created_at,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "models": list(self.models),
            "tables": [
                {
                    "name": t.name,
                    "file": t.file,
                    "columns": list(t.columns),
                    "rows": t.rows,
                    "sha256": t.sha256,
                }
                for t in self.tables
            ],
        }
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, where: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise RestoreRefused(
                    f"{where}: not a storied portable backup (format {data.get('format')!r}, "
                    f"version {data.get('version')!r})"
                )
            tables = tuple(
                TableEntry(t["name"], t["file"], tuple(t["columns"]), int(t["rows"]), t["sha256"])
                for t in data["tables"]
            )
            return cls(
                data["fingerprint"],
                tuple(data["models"]),
                tables,
                data["source"],
                data["created_at"],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RestoreRefused(f"{where}: the manifest is unreadable ({exc})") from exc


def stored_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns that hold data (generated ones, such as ``live_key``, are derived)."""
    return [c for c in table.columns if c.computed is None]


def snapshot_rows(
    conn: sa.Connection, table: sa.Table, batch: int = BATCH
) -> Iterator[sa.Row[Any]]:
    """Every row of ``table`` (stored columns) in primary-key order, ``batch`` at a time."""
    query = sa.select(*stored_columns(table)).order_by(*table.primary_key.columns)
    # yield_per on the statement: a server-side cursor for this query only
    yield from conn.execute(query.execution_options(yield_per=batch))


def open_snapshot(conn: sa.Connection) -> None:
    """Start the read-only snapshot transaction (connections are autocommit in storied)."""
    for statement in capabilities(conn.dialect).begin_snapshot:
        conn.exec_driver_sql(statement)


def write(
    conn: sa.Connection,
    tables: list[sa.Table],
    models: list[str],
    out: IO[bytes] | Path,
    progress: Progress | None = None,
) -> Manifest:
    """Write the portable backup of ``tables`` (inside a snapshot the caller opened)."""
    entries = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for table in tables:
            columns = stored_columns(table)
            encode = json_encoders(columns)
            name = f"data/{table.fullname}.jsonl"
            digest, count = hashlib.sha256(), 0
            with zf.open(name, "w", force_zip64=True) as member:
                for row in snapshot_rows(conn, table):
                    values = [None if v is None else f(v) for f, v in zip(encode, row, strict=True)]
                    line = json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"
                    data = line.encode()
                    digest.update(data)
                    member.write(data)
                    count += 1
                    if progress is not None and count % BATCH == 0:
                        progress(table.fullname, count)
            if progress is not None:
                progress(table.fullname, count)
            entries.append(
                TableEntry(
                    table.fullname, name, tuple(c.name for c in columns), count, digest.hexdigest()
                )
            )
        manifest = Manifest(
            fingerprint(tables),
            tuple(models),
            tuple(entries),
            conn.dialect.name,
            dt.datetime.now(dt.UTC).isoformat(),
        )
        zf.writestr("manifest.json", manifest.to_json())
    return manifest


class Reader:
    """A portable backup opened for verification and reading; refuses what is not one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
            self.manifest = Manifest.from_json(self._zip.read("manifest.json"), str(path))
        except (zipfile.BadZipFile, KeyError, OSError, zlib.error, EOFError) as exc:
            raise RestoreRefused(
                f"{path}: not a readable storied backup (corrupt or truncated: {exc})"
            ) from exc

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_schema(self, tables: list[sa.Table]) -> None:
        expected = fingerprint(tables)
        if self.manifest.fingerprint != expected:
            raise RestoreRefused(
                f"{self.path}: its schema fingerprint {self.manifest.fingerprint[:19]}… differs "
                f"from the models' {expected[:19]}…: a backup of other models (or of another "
                "version of them); migrate the models or restore with the models it was made with"
            )

    def rows(self, entry: TableEntry, table: sa.Table) -> Iterator[dict[str, Any]]:
        """The rows of one table, decoded; the file's checksum and row count are checked as
        it is read (RestoreRefused at the end when they do not match the manifest)."""
        columns = [table.columns[name] for name in entry.columns]
        decode = json_decoders(columns)
        names = entry.columns
        digest, count = hashlib.sha256(), 0
        try:
            with self._zip.open(entry.file) as member:
                for raw in member:
                    digest.update(raw)
                    values = json.loads(raw)
                    count += 1
                    yield {
                        n: None if v is None else f(v)
                        for n, f, v in zip(names, decode, values, strict=True)
                    }
        except (zipfile.BadZipFile, KeyError, OSError, zlib.error, EOFError) as exc:
            raise RestoreRefused(f"{self.path}: {entry.file} is corrupt ({exc})") from exc
        except (ValueError, TypeError) as exc:
            raise RestoreRefused(
                f"{self.path}: {entry.file} line {count + 1} does not decode ({exc})"
            ) from exc
        if digest.hexdigest() != entry.sha256:
            raise RestoreRefused(f"{self.path}: {entry.file} fails its sha256 checksum")
        if count != entry.rows:
            raise RestoreRefused(
                f"{self.path}: {entry.file} holds {count} rows, the manifest says {entry.rows}"
            )
