"""storied.otel's metrics (pool, wait time, errors by type), its opt-in tenant and actor
attributes, and the Prometheus exposition scraped over a real loopback port; on every
backend, through the sync Database and the AsyncDatabase."""

from __future__ import annotations

import urllib.request
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry, start_http_server

from storied import ConflictError, Database
from storied.otel import instrument
from tests.integration.conn_support import connected, mode
from tests.models import Product

__all__ = ["mode"]

Points = dict[str, list[tuple[dict[str, Any], Any]]]


def points(reader: InMemoryMetricReader) -> Points:
    """Each metric's data points: (attributes, value, or the histogram's count)."""
    data = reader.get_metrics_data()
    assert data is not None
    out: Points = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "value", None)
                    if value is None:
                        value = point.count  # type: ignore[union-attr]
                    out.setdefault(metric.name, []).append((dict(point.attributes or {}), value))
    return out


def product(sku: str) -> Product:
    return Product(sku=sku, name="anvil", price=Decimal("9.99"))


async def test_pool_wait_and_error_metrics(mode: str, db_url: str, async_url: str) -> None:
    async with connected(mode, db_url, async_url, Product, pool_size=3, max_overflow=2) as store:
        reader = InMemoryMetricReader()
        done = instrument(store.db, meter_provider=MeterProvider(metric_readers=[reader]))
        repo = store.repository(Product, tenant_id=uuid4())
        await repo.create(product("A1"))  # the pool had no idle connection: it opened one
        with pytest.raises(ConflictError):
            await repo.create(product("A1"))
        seen = points(reader)

        status = store.db.pool_status()
        connections = {
            a["db.client.connection.state"]: v for a, v in seen["db.client.connection.count"]
        }
        assert connections == {"used": status.in_use, "idle": status.idle}
        assert connections["idle"] >= 1
        [(attributes, limit)] = seen["db.client.connection.max"]
        assert limit == status.limit
        assert limit in (1, 5)  # a single-connection backend, or pool_size + max_overflow
        assert "db.client.connection.pool.name" in attributes

        [(_, waits)] = seen["db.client.connection.wait_time"]
        assert waits >= 1

        [(error, count)] = seen["storied.operation.errors"]
        assert count == 1
        assert error["error.type"] == "ConflictError"
        assert error["db.operation.name"] == "create"
        assert error["db.collection.name"] == "products"
        durations = [a for a, _ in seen["db.client.operation.duration"]]
        assert {a.get("error.type") for a in durations} == {None, "ConflictError"}

        done.uninstrument()
        after = points(reader)
        assert "db.client.connection.count" not in after  # the gauges stop with it


@pytest.mark.parametrize("opt_in", [False, True], ids=["default", "tenant_attributes"])
async def test_tenant_and_actor_are_span_attributes_only_when_asked(
    mode: str, db_url: str, async_url: str, opt_in: bool
) -> None:
    async with connected(mode, db_url, async_url, Product) as store:
        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        done = instrument(store.db, tracer_provider=provider, tenant_attributes=opt_in)
        tenant = uuid4()
        repo = store.repository(Product, tenant_id=tenant, actor="alice")
        made = await repo.create(product("A1"))
        await repo.get(made.id)
        await store.repository(Product, tenant_ids=[tenant, uuid4()]).list()
        done.uninstrument()

        spans = {s.name: dict(s.attributes or {}) for s in exporter.get_finished_spans()}
        create, get, query = (spans[f"storied.{op} products"] for op in ("create", "get", "query"))
        statements = [a for n, a in spans.items() if not n.startswith("storied.")]
        assert statements
        assert all("storied.tenant_id" not in a for a in statements)  # operations' spans only
        if not opt_in:
            for attributes in (create, get, query):
                assert "storied.tenant_id" not in attributes
                assert "storied.actor" not in attributes
            assert str(tenant) not in str(spans)
            return
        assert create["storied.tenant_id"] == get["storied.tenant_id"] == str(tenant)
        assert create["storied.actor"] == "alice"
        assert query["storied.tenant_id"][0] == str(tenant)  # a read scope of two tenants
        assert len(query["storied.tenant_id"]) == 2
        assert "storied.actor" not in query


@pytest.mark.sqlite
async def test_prometheus_exposition_over_a_loopback_port(tmp_path: Any) -> None:
    registry = CollectorRegistry()
    reader = PrometheusMetricReader(registry=registry)
    provider = MeterProvider(metric_readers=[reader])
    server, thread = start_http_server(0, addr="127.0.0.1", registry=registry)

    db = Database(f"sqlite:///{tmp_path}/prom.db").connect()
    try:
        db.create_all([Product])
        instrument(db, meter_provider=provider)
        repo = db.repository(Product, tenant_id=uuid4())
        repo.create(product("A1"))
        with pytest.raises(ConflictError):
            repo.create(product("A1"))
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            text = response.read().decode()
    finally:
        db.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        provider.shutdown()
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line[:1] != "#"}
    for name in (
        "db_client_operation_duration_seconds_bucket",
        "db_client_operation_duration_seconds_count",
        "db_client_connection_count",
        "db_client_connection_max",
        "db_client_connection_wait_time_seconds_count",
        "storied_operation_errors_total",
    ):
        assert name in names, sorted(names)
    assert 'error_type="ConflictError"' in text
    assert 'db_client_connection_state="idle"' in text
