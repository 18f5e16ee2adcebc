"""A writer process for the change-feed tests: ``python -m tests.integration.feed.writer``.

``steady URL NAME N``: N records, each created and then updated twice, every write its own
transaction. ``hold URL NAME DIR``: takes its "now" first, then (on a server) opens a
transaction and writes one record, says so (DIR/open), waits for DIR/go, and commits last; on
SQLite, whose writers hold the database's write lock, it writes only after DIR/go, still
stamped with the early "now".
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from pathlib import Path

from storied import Database, Field, Model

TENANT = uuid.UUID("00000000-0000-7000-8000-00000000feed")


class FcAudited(Model, table="fc_audited", history="copy_on_change"):
    name: str = Field(max_length=40)
    count: int = 0


class FcVersioned(Model, table="fc_versioned", history="scd2"):
    name: str = Field(max_length=40)
    count: int = 0


class EarlyClock:
    """The moment the process started, for every write: a transaction that took its now first."""

    def __init__(self) -> None:
        self.at = dt.datetime.now(dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


def _wait(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{path} never appeared")
        time.sleep(0.01)


def steady(url: str, name: str, n: int) -> None:
    with Database(url) as db:
        audited = db.repository(FcAudited, tenant_id=TENANT, actor=name)
        versioned = db.repository(FcVersioned, tenant_id=TENANT, actor=name)
        for i in range(n):
            repo = audited if i % 2 else versioned
            # concurrent scd2 writes to different rows can deadlock on MariaDB's index gap
            # locks: db.atomic runs a transaction the database rolled back once more
            row = db.atomic(lambda r=repo, i=i: r.create(r.model(name=f"{name}-{i}")))
            for n in (1, 2):
                db.atomic(lambda r=repo, row=row, n=n: r.update(row.id, count=n))


def hold(url: str, name: str, folder: Path) -> None:
    clock = EarlyClock()
    with Database(url, clock=clock) as db:
        audited = db.repository(FcAudited, tenant_id=TENANT, actor=name)
        versioned = db.repository(FcVersioned, tenant_id=TENANT, actor=name)
        if db.engine.dialect.name == "sqlite":
            (folder / "open").touch()
            _wait(folder / "go")
        with db.transaction():
            audited.create(FcAudited(name=f"{name}-a"))
            versioned.create(FcVersioned(name=f"{name}-v"))
            if not (folder / "open").exists():
                (folder / "open").touch()
                _wait(folder / "go")
                time.sleep(0.5)  # the reader runs now: it must not pass this transaction


if __name__ == "__main__":
    mode, url, name, arg = sys.argv[1:5]
    if mode == "steady":
        steady(url, name, int(arg))
    else:
        hold(url, name, Path(arg))
