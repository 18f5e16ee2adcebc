"""The change feed under concurrency, with real OS processes writing: two steady writers and
one whose transaction takes its "now" (and, on a server, its ids) first and commits last,
while this process reads with cursors. Every committed change is seen exactly once, each
record's changes in commit order, none missed. PostgreSQL, MariaDB and SQLite (file)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from storied import Database
from tests.integration.feed.writer import TENANT, FcAudited, FcVersioned

ROOT = Path(__file__).resolve().parents[2]
MODELS = [FcAudited, FcVersioned]


def _writer(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    cmd = [sys.executable, "-m", "tests.integration.feed.writer", *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


def _wait(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_concurrent_writers_each_change_once_in_commit_order(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url).connect()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        db.drop_all(MODELS)
        db.create_all(MODELS)
        seen: list[tuple[str, object, str, dict[str, object]]] = []
        cursor: str | None = None

        def drain() -> int:
            nonlocal cursor
            page = db.changes.read(cursor, tenant_id=TENANT, limit=7)
            for e in page.changes:
                seen.append((e.model.__name__, e.id, e.operation, dict(e.changes or {})))
            cursor = page.cursor
            return len(page.changes)

        holder = _writer("hold", db_url, "late", str(tmp_path))
        procs.append(holder)
        _wait(tmp_path / "open")  # its now is taken (on a server: its rows written, open)
        steady = [_writer("steady", db_url, name, "12") for name in ("w1", "w2")]
        procs.extend(steady)
        while any(p.poll() is None for p in steady):
            drain()  # reads interleave with the writers' commits
        assert [p.wait() for p in steady] == [0, 0]
        drain()  # what is final so far; the late writer is still open
        (tmp_path / "go").touch()
        drain()  # a reader keyed on (time, id) alone would pass the late writer here
        assert holder.wait(timeout=120) == 0
        total = 2 * 12 * 3 + 2
        deadline = time.monotonic() + 60  # a page may wait for other clients' transactions
        while len(seen) < total and time.monotonic() < deadline:
            if not drain():
                time.sleep(0.02)
        drain()

        # every committed change, as the history itself lists it, seen exactly once
        expected: list[tuple[str, object, str, dict[str, object]]] = []
        for model in MODELS:
            repo = db.repository(model, tenant_id=TENANT)
            for row in repo.query().all():
                for cs in repo.history(row.id):
                    changes = dict(cs.changes.items())
                    expected.append((model.__name__, row.id, cs.operation, changes))
        assert len(expected) == total
        late = [s for s in seen if str(s[3].get("name", (None, ""))[1]).startswith("late")]
        assert len(late) == 2, "the transaction that took its now first and committed last"
        assert Counter(_key(s) for s in seen) == Counter(_key(e) for e in expected)
        assert len(seen) == len(expected)  # nothing twice
        # each record's changes in the order they were committed
        for model in MODELS:
            name = model.__name__
            for rid in {e[1] for e in expected if e[0] == name}:
                mine = [s for s in seen if s[0] == name and s[1] == rid]
                ops = [s[2] for s in mine]
                if len(ops) == 3:
                    assert ops == ["create", "update", "update"]
                    counts = [_count(s[3]) for s in mine[1:]]
                    assert counts == [(0, 1), (1, 2)]
                else:
                    assert ops == ["create"]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        db.drop_all(MODELS)
        db.close()


def _count(changes: dict[str, object]) -> object:
    return changes["count"]


def _key(change: tuple[str, object, str, dict[str, object]]) -> str:
    model, rid, operation, changes = change
    return f"{model} {rid} {operation} {sorted((k, repr(v)) for k, v in changes.items())}"


def test_a_stale_listing_of_open_writers_holds_the_feed_back(db_url: str) -> None:
    """MariaDB lists open transactions from a cache that a client polling it keeps stale: a
    writer that began after the cache was filled is missing from it. The feed then waits (it
    sees that the listing lacks its own transaction) instead of passing the writer's ids."""
    from storied.dialects import backend_for

    db = Database(db_url).connect()
    if backend_for(db.engine.dialect).capabilities.feed_horizon != "listed":
        db.close()
        pytest.skip("needs a backend whose open writers are listed from a cache")
    db.drop_all(MODELS)
    db.create_all(MODELS)
    stop, opened, release = threading.Event(), threading.Event(), threading.Event()
    other = Database(db_url).connect()

    def poll() -> None:  # another client reading INNODB_TRX every 20 ms
        while not stop.is_set():
            other.fetch_all("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX")
            time.sleep(0.02)

    def hold() -> None:
        with Database(db_url) as writer, writer.transaction():
            writer.repository(FcAudited, tenant_id=TENANT).create(FcAudited(name="held"))
            opened.set()
            release.wait(30)

    threads = [threading.Thread(target=poll), threading.Thread(target=hold)]
    try:
        threads[0].start()
        time.sleep(0.3)  # the cache is now kept stale
        threads[1].start()
        assert opened.wait(30)
        repo = db.repository(FcAudited, tenant_id=TENANT)
        repo.create(FcAudited(name="after"))  # committed, with an id above the held one's
        page = db.changes.read(None, tenant_id=TENANT, models=[FcAudited])
        page = db.changes.read(page.cursor, tenant_id=TENANT, models=[FcAudited])
        assert page.changes == ()  # it cannot know the held writer: it waits
        assert page.pending or page.changes == ()
        release.set()
        threads[1].join()
        stop.set()
        threads[0].join()
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while len(seen) < 2 and time.monotonic() < deadline:
            page = db.changes.read(page.cursor, tenant_id=TENANT, models=[FcAudited])
            seen += [str(e.changes["name"][1]) for e in page.changes if e.changes]
        assert sorted(seen) == ["after", "held"]
    finally:
        release.set()
        stop.set()
        for t in threads:
            if t.is_alive():
                t.join()
        other.close()
        db.drop_all(MODELS)
        db.close()
