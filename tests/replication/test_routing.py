"""Read replicas on a real primary + streaming replica: where each call runs, read-your-writes,
failover from a stopped replica, rerouting when replay lags."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from storied import AsyncDatabase, Database, Field, Model, NotFoundError
from storied.admin import health

from .clusters import Pair, free_port
from .support import (
    CREATE_PROBE,
    Note,
    arun,
    in_recovery,
    read_then_write,
    read_transaction_then_write,
    run,
    write_in_recovery,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]
TENANT = uuid4()


def _database(pair: Pair, **options: Any) -> Database:
    return Database(pair.primary.url(), replicas=[pair.replica.url()], **options)


@pytest.fixture
def tables(pair: Pair) -> Iterator[None]:
    """The tables, made on the primary and replayed on the replica; dropped afterwards."""
    with Database(pair.primary.url()) as db:
        db.create_all([Note])
        db.execute(CREATE_PROBE)
    pair.wait_replayed()
    yield
    with Database(pair.primary.url()) as db:
        db.drop_all([Note])
        db.execute("DROP TABLE IF EXISTS repl_probe")


def test_reads_run_on_the_replica_and_writes_on_the_primary(pair: Pair, tables: None) -> None:
    with _database(pair, read_your_writes=0) as db:
        assert run(db, in_recovery()) is True
        assert run(db, in_recovery(begin=True)) is True  # a read-only transaction may go too
        assert run(db, write_in_recovery(1)) is False
        assert run(db, read_then_write(2)) == (True, False)
        assert db.fetch_value("SELECT count(*) FROM repl_probe WHERE n = 2") == 1  # it wrote
        notes = db.repository(Note, tenant_id=TENANT, actor="t")
        note = notes.create(Note(text="a"))  # the replica would refuse every one of these
        notes.update(note.id, text="b")
        notes.delete(note.id)
        notes.restore(note.id)
        db.execute("UPDATE repl_notes SET text = 'c'")  # raw SQL: always the primary
        pair.wait_replayed()
        assert notes.get(note.id).text == "c"
        assert [n.text for n in notes.query().all()] == ["c"]
        with db.transaction():  # everything inside a transaction: the primary
            assert run(db, in_recovery()) is False
            assert notes.get(note.id).text == "c"
        health = db.health()
    assert health.healthy == 1
    (replica,) = health.replicas
    assert replica.reads == 4  # the two probes, get, query (read_then_write counts as a write)
    assert replica.lag is not None
    assert replica.lag < 5
    assert health.primary_reads == 0
    assert health.failovers == 0


def test_a_replica_read_sees_only_what_the_replica_replayed(
    replica_restored: Pair, tables: None
) -> None:
    pair = replica_restored
    with _database(pair, read_your_writes=0, max_replica_lag=3600) as db:
        notes = db.repository(Note, tenant_id=TENANT, actor="t")
        assert notes.query().count() == 0  # checks the replica's lag: it is healthy
        pair.pause_replay()
        note = notes.create(Note(text="unseen"))
        with pytest.raises(NotFoundError):
            notes.get(note.id)  # served by the replica, which has not replayed the insert
        pair.resume_replay()
        pair.wait_replayed()
        assert notes.get(note.id).text == "unseen"


def test_read_your_writes_keeps_the_writing_context_on_the_primary(
    replica_restored: Pair, tables: None
) -> None:
    pair = replica_restored
    with _database(pair, read_your_writes=1.0, max_replica_lag=3600) as db:
        notes = db.repository(Note, tenant_id=TENANT, actor="t")
        assert notes.query().count() == 0
        pair.pause_replay()
        note = notes.create(Note(text="mine"))
        assert notes.get(note.id).text == "mine"  # the writer reads its write (primary)
        assert run(db, in_recovery()) is False
        # another context (another request, thread or task) reads the replica
        other = contextvars.Context()
        assert other.run(run, db, in_recovery()) is True
        with pytest.raises(NotFoundError):
            other.run(notes.get, note.id)
        time.sleep(1.1)  # the window is over: back to the replica
        assert run(db, in_recovery()) is True
        with db.transaction():  # a transaction pins too, from its COMMIT
            notes.update(note.id, text="again")
        assert run(db, in_recovery()) is False
        assert db.health().primary_reads == 3


def test_a_stopped_replica_fails_over_to_the_primary(replica_restored: Pair, tables: None) -> None:
    pair = replica_restored
    with _database(pair, read_your_writes=0, replica_check_interval=3600) as db:
        notes = db.repository(Note, tenant_id=TENANT, actor="t")
        note = notes.create(Note(text="n"))
        pair.wait_replayed()
        assert run(db, in_recovery()) is True
        pair.replica.stop()  # only the cluster this session made
        assert notes.get(note.id).text == "n"  # no error: the primary answered
        assert run(db, in_recovery()) is False
        health = db.health()
        assert health.failovers == 1
        (replica,) = health.replicas
        assert not replica.healthy
        assert "could not connect" in (replica.reason or "")
        pair.replica.start()
        pair.wait_streaming()
        db.replicas.check_interval = 0  # the next read checks it again, and finds it healthy
        assert run(db, in_recovery()) is True
        assert db.health().healthy == 1


def test_lag_over_the_bound_reroutes_to_the_primary(replica_restored: Pair, tables: None) -> None:
    pair = replica_restored
    with _database(pair, read_your_writes=0, max_replica_lag=0.5, replica_check_interval=0) as db:
        assert run(db, in_recovery()) is True
        pair.pause_replay()
        time.sleep(0.6)  # the last transaction the replica replays is older than the bound
        with pair.primary.connect() as conn:  # a write it receives but does not replay
            conn.execute("INSERT INTO repl_probe VALUES (1)")
        deadline = time.monotonic() + 10
        while run(db, in_recovery()) is True:
            assert time.monotonic() < deadline, "the lag was never seen"
            time.sleep(0.05)
        (replica,) = db.health().replicas
        assert not replica.healthy
        assert replica.lag is not None
        assert replica.lag > 0.5
        assert "replay lag" in (replica.reason or "")
        pair.resume_replay()
        pair.wait_replayed()
        # caught up: healthy again (a background WAL record, received but not yet replayed at
        # the instant of a check, may make one check of this idle pair see the old commit's age)
        deadline = time.monotonic() + 10
        while run(db, in_recovery()) is not True:
            assert time.monotonic() < deadline, db.health()
            time.sleep(0.05)


async def test_async_routing_and_failover(replica_restored: Pair, tables: None) -> None:
    pair = replica_restored
    db = AsyncDatabase(
        pair.primary.url("postgresql+asyncpg"),
        replicas=[pair.replica.url("postgresql+asyncpg")],
        read_your_writes=0,
        replica_check_interval=3600,
    )
    async with db:
        notes = db.repository(Note, tenant_id=TENANT, actor="t")
        note = await notes.create(Note(text="a"))
        assert await arun(db, write_in_recovery(1)) is False
        pair.wait_replayed()
        assert await arun(db, in_recovery()) is True
        assert (await notes.get(note.id)).text == "a"
        pair.replica.stop()
        assert (await notes.get(note.id)).text == "a"  # failed over, no error
        assert await arun(db, in_recovery()) is False
        health = db.health()
    assert health.failovers == 1
    assert health.replicas[0].reads == 2


def test_reads_take_turns_and_an_unreachable_replica_is_skipped(pair: Pair, tables: None) -> None:
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/storied"  # nobody listens
    replicas = [pair.replica.url(), closed, pair.replica.url()]
    with Database(pair.primary.url(), replicas=replicas, read_your_writes=0) as db:
        for _ in range(6):
            assert run(db, in_recovery()) is True  # never an error, never the primary
        health = db.health()
    good, bad, other = health.replicas
    assert (good.reads, bad.reads, other.reads) == (3, 0, 3)  # round robin among the healthy
    assert not bad.healthy
    assert "could not connect" in (bad.reason or "")
    assert health.primary_reads == 0
    assert health.failovers == 0  # found by its check, before any read was sent there


def test_the_health_check_degrades_while_a_replica_is_skipped(pair: Pair, tables: None) -> None:
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/storied"
    with Database(pair.primary.url(), replicas=[pair.replica.url(), closed]) as db:
        assert health(db).check("replicas").status == "healthy"  # nothing checked yet
        for _ in range(2):
            run(db, in_recovery())
        check = health(db).check("replicas")
    assert check.status == "degraded"
    assert check.detail.startswith("1 of 2 replicas in use; skipped: ")
    assert "could not connect" in check.detail


def test_a_read_transaction_that_writes_moves_to_the_primary(pair: Pair, tables: None) -> None:
    with _database(pair, read_your_writes=0) as db:
        assert run(db, read_transaction_then_write(7)) == (True, False)
        assert db.fetch_value("SELECT count(*) FROM repl_probe WHERE n = 7") == 1


def test_a_table_the_replica_has_not_replayed_is_read_on_the_primary(
    replica_restored: Pair, tables: None
) -> None:
    pair = replica_restored

    class Late(Model, table="repl_late"):
        text: str = Field(max_length=10)

    with _database(pair, read_your_writes=0, max_replica_lag=3600) as db:
        assert run(db, in_recovery()) is True
        pair.pause_replay()
        db.create_all([Late])
        try:
            late = db.repository(Late, tenant_id=TENANT, actor="t")
            assert late.query().count() == 0  # the replica has no such table yet: no error
            health = db.health()
            assert health.failovers == 1
            assert health.replicas[0].healthy  # behind, not down
        finally:
            db.drop_all([Late])
