"""SQLite through its online backup API: a consistent copy that includes the WAL's pages,
taken while others keep writing (a file copy would miss the WAL or tear mid-write)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from ...errors import RestoreRefused

HEADER = b"SQLite format 3\x00"


def sniff(head: bytes) -> bool:
    return head.startswith(HEADER)


def copy(source: sqlite3.Connection, path: Path, *, standalone: bool = False) -> None:
    """``source`` into the file at ``path`` through the backup API, in one step.

    ``standalone``: leave a single self-contained file (rollback journal, not WAL), as a
    backup file must be: a WAL file beside it would not travel with it.
    """
    target = sqlite3.connect(path)
    try:
        with target:
            source.backup(target)
        if standalone:
            target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def backup(url: sa.URL, engine: sa.Engine, path: Path) -> None:
    # a pooled connection reaches in-memory databases too; the backup API takes its own lock
    raw = engine.raw_connection()
    try:
        copy(raw.dbapi_connection, path, standalone=True)  # type: ignore[arg-type]
    finally:
        raw.close()


def verify(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database (``PRAGMA integrity_check``)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{path}: not an intact SQLite database ({exc})") from exc
    if found != ["ok"]:
        raise RestoreRefused(
            f"{path}: PRAGMA integrity_check found {len(found)} problem(s), first: {found[0]}"
        )


def restore(source: Path, path: Path) -> None:
    """Copy the SQLite file ``source`` into a new file ``path`` (backup API, never cp)."""
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            copy(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{source}: cannot be read as SQLite ({exc})") from exc
