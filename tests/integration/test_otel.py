"""storied.otel: spans and the operation-duration histogram, read through the SDK's
in-memory exporters, on every backend, through the sync Database and the AsyncDatabase."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from storied import ConflictError
from storied.otel import instrument
from tests.integration.conftest import Store
from tests.models import Account, Product

SYSTEMS = {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mysql"}


@pytest.fixture
def traced(store: Store) -> Iterator[tuple[InMemorySpanExporter, InMemoryMetricReader]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    done = instrument(
        store.db,
        tracer_provider=provider,
        meter_provider=MeterProvider(metric_readers=[reader]),
        attributes={"storied.actor": "alice"},
    )
    try:
        yield exporter, reader
    finally:
        done.uninstrument()


def _product(sku: str = "A1") -> Product:
    return Product(sku=sku, name="Anvil", price=Decimal("9.99"))


def _children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    assert parent.context is not None
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


async def test_an_update_is_one_span_with_a_child_per_statement(
    store: Store, tenant: UUID, traced: Any
) -> None:
    exporter, reader = traced
    await store.create_all(Account)
    accounts = store.repository(Account, tenant_id=tenant, actor="alice")
    created = await accounts.create(Account(code="c", owner="o", balance=Decimal("1")))
    exporter.clear()
    await accounts.update(created.id, balance=Decimal("2"))
    spans = exporter.get_finished_spans()
    [op] = [s for s in spans if s.name.startswith("storied.")]
    assert op.name == "storied.update accounts"
    assert op.kind is SpanKind.CLIENT
    attrs = dict(op.attributes or {})
    assert attrs["db.system.name"] == SYSTEMS[store.db.dialect_name]
    assert attrs["db.collection.name"] == "accounts"
    assert attrs["db.operation.name"] == "update"
    assert attrs["storied.actor"] == "alice"
    if store.db.dialect_name != "sqlite":
        assert attrs["server.address"] == "127.0.0.1"
        assert isinstance(attrs["server.port"], int)
        assert attrs["db.namespace"]
    children = _children(spans, op)
    assert len(children) == len(spans) - 1  # every statement span is the operation's child
    verbs = [dict(c.attributes or {})["db.operation.name"] for c in children]
    assert "UPDATE" in verbs
    assert "INSERT" in verbs
    assert verbs[-1] == "COMMIT"
    for child in children:
        assert op.start_time is not None
        assert child.start_time is not None
        assert op.start_time <= child.start_time
        text = dict(child.attributes or {})["db.query.text"]
        assert "2.00" not in str(text)  # placeholders, never the bound values
    points = reader.get_metrics_data().resource_metrics[0].scope_metrics[0].metrics
    [duration] = [m for m in points if m.name == "db.client.operation.duration"]
    assert duration.unit == "s"
    assert sum(p.count for p in duration.data.data_points) >= 2  # the create and the update


async def test_a_failed_operation_is_an_error_span_with_its_exception(
    store: Store, tenant: UUID, traced: Any
) -> None:
    exporter, _ = traced
    await store.create_all(Product)
    products = store.repository(Product, tenant_id=tenant)
    await products.create(_product())
    exporter.clear()
    with pytest.raises(ConflictError):
        await products.create(_product())
    spans = exporter.get_finished_spans()
    [op] = [s for s in spans if s.name == "storied.create products"]
    assert op.status.status_code is StatusCode.ERROR
    assert dict(op.attributes or {})["error.type"] == "ConflictError"
    assert [e.name for e in op.events] == ["exception"]
    failed = [c for c in _children(spans, op) if c.status.status_code is StatusCode.ERROR]
    assert len(failed) == 1
    assert dict(failed[0].attributes or {})["error.type"] == "ConflictError"


async def test_uninstrument_stops_the_spans(store: Store, tenant: UUID) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    done = instrument(store.db, tracer_provider=provider)
    await store.create_all(Product)
    products = store.repository(Product, tenant_id=tenant)
    await products.create(_product())
    assert exporter.get_finished_spans()
    done.uninstrument()
    exporter.clear()
    await products.create(_product("B2"))
    assert exporter.get_finished_spans() == ()
