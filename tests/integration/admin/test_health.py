"""health(db): real round trip, pool usage, schema drift, disk; the worst check wins."""

from __future__ import annotations

import socket
import time

import sqlalchemy as sa

from storied import AsyncDatabase, Database
from storied.admin import Thresholds, ahealth, health
from tests.conftest import ASYNC_DRIVERS
from tests.models import Drifted, Product


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_healthy_database_reports_every_check(db: Database, backend: str) -> None:
    db.create_all([Product])
    report = health(db)
    assert report.status == "healthy", report
    assert report.exit_code == 0
    trip = report.check("round_trip")
    assert trip.value is not None
    assert trip.value >= 0
    pool = report.check("pool")
    assert pool.value == 0.0  # an idle pool is 0%, not 100%
    assert report.check("schema").status == "healthy"
    names = {c.name for c in report.checks}
    assert ("disk" in names) == (backend == "sqlite")


def test_pool_usage_counts_only_busy_connections(db_url: str) -> None:
    with Database(db_url, pool_size=2) as db:
        db.repository(Product, unscoped=True)  # maps the model
        db.create_all([Product])
        db.repository(Product, unscoped=True).query().count()  # leaves an idle connection
        assert db.pool_status().in_use == 0
        assert db.pool_status().idle >= 1
        assert health(db).check("pool").status == "healthy"
        held = db.engine.connect()
        try:
            report = health(db)
            assert report.check("pool").value == 0.5
            assert report.check("pool").status == "healthy"
            second = db.engine.connect()
            try:
                report = health(db)
                assert report.check("pool").value == 1.0
                assert report.check("pool").status == "unhealthy"
                assert report.status == "unhealthy"
            finally:
                second.close()
        finally:
            held.close()
        assert health(db).check("pool").value == 0.0


def test_schema_drift_degrades(db: Database) -> None:
    db.create_all([Product])
    db.registry.add(Drifted)  # mapped but its table was never created
    report = health(db)
    assert report.check("schema").status == "degraded"
    assert report.status == "degraded"
    assert report.exit_code == 1
    assert health(db, [Product]).status == "healthy"
    strict = health(db, thresholds=Thresholds(drift="unhealthy"))
    assert strict.status == "unhealthy"


def test_thresholds_are_configurable(db: Database, backend: str) -> None:
    db.create_all([Product])
    slow = health(db, thresholds=Thresholds(latency_degraded=0.0))
    assert slow.check("round_trip").status == "degraded"
    assert slow.status == "degraded"
    if backend == "sqlite":
        full = health(db, thresholds=Thresholds(disk_free_degraded=1.0, disk_free_unhealthy=1.0))
        assert full.check("disk").status == "unhealthy"


def test_not_connected_database_is_probed_and_left_alone(db_url: str) -> None:
    db = Database(db_url)
    assert health(db).status == "healthy"
    assert "not connected" in repr(db)


def test_unreachable_server_is_unhealthy_fast(backend: str) -> None:
    urls = {
        "sqlite": "sqlite:////nonexistent-dir/x/y.db",
        "postgresql": f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test",
        "mysql": f"mysql+pymysql://root@127.0.0.1:{closed_port()}/test",
    }
    start = time.monotonic()
    report = health(Database(urls[backend]), thresholds=Thresholds(timeout=3))
    elapsed = time.monotonic() - start
    assert report.status == "unhealthy"
    assert report.exit_code == 2
    assert report.check("round_trip").detail.startswith("database unreachable")
    assert elapsed < 3


async def test_async_health(adb: AsyncDatabase, backend: str) -> None:
    await adb.create_all([Product])
    report = await ahealth(adb)
    assert report.status == "healthy", report
    assert report.check("pool").value == 0.0
    adb.registry.add(Drifted)
    assert (await ahealth(adb)).status == "degraded"


async def test_async_unreachable(backend: str) -> None:
    if backend == "sqlite":
        url = "sqlite+aiosqlite:////nonexistent-dir/x/y.db"
    else:
        base = {"postgresql": "postgres@127.0.0.1", "mysql": "root@127.0.0.1"}[backend]
        url = f"{ASYNC_DRIVERS[backend]}://{base}:{closed_port()}/test"
    report = await ahealth(AsyncDatabase(url), thresholds=Thresholds(timeout=3))
    assert report.status == "unhealthy"
    assert sa  # sqlalchemy imported for the URL helpers above
