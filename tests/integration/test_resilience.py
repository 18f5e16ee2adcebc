"""Retries and the circuit breaker, against real servers behind a proxy the test controls.

The proxy (``tests/integration/proxy.py``) refuses, drops or cuts connections on command, so
the shared servers are never stopped. Each test first makes the connection storied holds idle
useless (``cut``) and pings idle connections before use (``pool_pre_ping_after=0``), so the
next operation must open a new connection: that is where retries and the breaker act.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy as sa
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from storied import (
    CircuitBreaker,
    CircuitOpenError,
    ConflictError,
    Database,
    OperationalError,
    Retries,
    StatementEvent,
)
from storied.admin import ahealth, health
from storied.otel import instrument
from tests.integration.conftest import settle
from tests.integration.conn_support import connected, mode
from tests.integration.proxy import Proxy
from tests.models import Product

__all__ = ["mode"]

FAST = {"initial": 0.01, "maximum": 0.05, "jitter": 0.01}


@pytest.fixture
def proxy(db_url: str) -> Iterator[Proxy]:
    url = sa.make_url(db_url)
    if url.host is None:
        pytest.skip("no server connection to fail: this backend opens a file")
    made = Proxy(url.host, url.port or {"postgresql": 5432}.get(url.get_backend_name(), 3306))
    try:
        yield made
    finally:
        made.close()


def product(sku: str) -> Product:
    return Product(sku=sku, name="anvil", price=Decimal("9.99"))


async def test_a_refused_connection_is_tried_again_until_the_server_is_back(
    mode: str, db_url: str, async_url: str, proxy: Proxy
) -> None:
    retries = Retries(attempts=50, initial=0.02, maximum=0.1, jitter=0.02)
    urls = proxy.url(db_url), proxy.url(async_url)
    async with connected(mode, *urls, Product, retries=retries, pool_pre_ping_after=0) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        made = await repo.create(product("A1"))
        proxy.refuse()
        proxy.cut()
        before = proxy.connects
        back = threading.Timer(0.3, proxy.accept)  # the server is back a little later
        back.start()
        try:
            assert (await repo.get(made.id)).sku == "A1"  # the caller saw no error
        finally:
            back.join()
        assert proxy.connects > before  # on a new connection, after refused attempts


@pytest.mark.parametrize("attempts", [3, 2])
async def test_failed_attempts_are_retried_up_to_the_bound(
    mode: str, db_url: str, async_url: str, proxy: Proxy, attempts: int
) -> None:
    retries = Retries(attempts=attempts, **FAST)
    urls = proxy.url(db_url), proxy.url(async_url)
    async with connected(mode, *urls, Product, retries=retries, pool_pre_ping_after=0) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        made = await repo.create(product("A1"))
        proxy.cut()
        proxy.drop(2)  # the next two connection attempts fail before reaching the server
        if attempts > 2:
            assert (await repo.get(made.id)).sku == "A1"
        else:
            with pytest.raises(OperationalError) as caught:
                await repo.get(made.id)
            assert not isinstance(caught.value, CircuitOpenError)
        assert proxy.dropped == 2


async def test_without_retries_the_first_failed_attempt_is_the_callers(
    mode: str, db_url: str, async_url: str, proxy: Proxy
) -> None:
    urls = proxy.url(db_url), proxy.url(async_url)
    async with connected(mode, *urls, Product, pool_pre_ping_after=0) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        made = await repo.create(product("A1"))
        proxy.cut()
        proxy.drop(1)
        with pytest.raises(OperationalError):
            await repo.get(made.id)
        assert proxy.dropped == 1
        assert (await repo.get(made.id)).sku == "A1"  # the next call connects again


async def test_a_unique_violation_is_not_retried(mode: str, db_url: str, async_url: str) -> None:
    retries = Retries(attempts=5, **FAST)
    async with connected(mode, db_url, async_url, Product, retries=retries) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        await repo.create(product("A1"))
        sent: list[StatementEvent] = []
        store.db.events.on_statement(sent.append)
        with pytest.raises(ConflictError):
            await repo.create(product("A1"))
        inserts = [e for e in sent if e.sql.startswith("INSERT")]
        assert len(inserts) == 1
        assert inserts[0].error == "ConflictError"


def _breaker_points(reader: InMemoryMetricReader) -> dict[str, Any]:
    data = reader.get_metrics_data()
    assert data is not None
    out: dict[str, Any] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == "storied.circuit_breaker.state":
                    for point in metric.data.data_points:
                        state = dict(point.attributes or {})["storied.circuit_breaker.state"]
                        out[state] = point.value
                if metric.name == "storied.circuit_breaker.opened":
                    out["opened"] = metric.data.data_points[0].value
    return out


async def test_the_breaker_opens_fails_fast_probes_and_closes(
    mode: str, db_url: str, async_url: str, proxy: Proxy
) -> None:
    breaker = CircuitBreaker(failures=3, cool_down=0.3)
    urls = proxy.url(db_url), proxy.url(async_url)
    async with connected(
        mode, *urls, Product, circuit_breaker=breaker, pool_pre_ping_after=0
    ) as store:
        db = store.db
        reader = InMemoryMetricReader()
        instrument(db, meter_provider=MeterProvider(metric_readers=[reader]))
        repo = store.repository(Product, tenant_id=uuid4())
        made = await repo.create(product("A1"))
        status = db.health().breaker
        assert status is not None
        assert status.state == "closed"
        assert _breaker_points(reader) == {"closed": 1, "open": 0, "half_open": 0, "opened": 0}

        proxy.cut()
        proxy.drop()  # every connection attempt fails from now on
        for _ in range(3):
            with pytest.raises(OperationalError) as caught:
                await repo.get(made.id)
            assert not isinstance(caught.value, CircuitOpenError)
        status = db.health().breaker
        assert status is not None
        assert (status.state, status.failures) == ("open", 3)
        assert _breaker_points(reader)["open"] == 1

        report = health(db) if isinstance(db, Database) else await ahealth(db)
        assert report.check("circuit_breaker").status == "unhealthy"
        tried = proxy.connects
        with pytest.raises(CircuitOpenError):
            await repo.get(made.id)
        assert proxy.connects == tried  # failed fast: the server was not tried

        time.sleep(0.35)  # the cool-down passes; the probe fails: open again
        with pytest.raises(OperationalError) as caught:
            await repo.get(made.id)
        assert not isinstance(caught.value, CircuitOpenError)
        assert proxy.connects == tried + 1  # exactly one probe went
        status = db.health().breaker
        assert status is not None
        assert (status.state, status.opened) == ("open", 2)
        with pytest.raises(CircuitOpenError):
            await repo.get(made.id)

        proxy.accept()
        time.sleep(0.35)
        assert (await repo.get(made.id)).sku == "A1"  # the probe succeeds
        status = db.health().breaker
        assert status is not None
        assert (status.state, status.failures) == ("closed", 0)
        report = health(db) if isinstance(db, Database) else await ahealth(db)
        assert report.check("circuit_breaker").status == "healthy"
        assert _breaker_points(reader) == {"closed": 1, "open": 0, "half_open": 0, "opened": 2}
        assert await settle(repo.query().count()) == 1
