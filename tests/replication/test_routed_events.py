"""Reads a replica answered are told to ``db.events`` and traced by storied.otel under the
repository method's name, like any other operation; the replica metrics read db.health()."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from storied import AsyncDatabase, Database, OperationEvent
from storied.otel import instrument

from .clusters import Pair
from .support import CREATE_PROBE, Note

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]
TENANT = uuid4()


@pytest.fixture
def tables(pair: Pair) -> Iterator[None]:
    with Database(pair.primary.url()) as db:
        db.create_all([Note])
        db.execute(CREATE_PROBE)
    pair.wait_replayed()
    yield
    with Database(pair.primary.url()) as db:
        db.drop_all([Note])


def _metrics(reader: InMemoryMetricReader) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    data = reader.get_metrics_data()
    assert data is not None
    out: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "value", None)
                    out.setdefault(metric.name, []).append((dict(point.attributes or {}), value))
    return out


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_replica_reads_are_named_by_the_repository_method(
    pair: Pair, tables: None, mode: str
) -> None:
    driver = "postgresql+psycopg" if mode == "sync" else "postgresql+asyncpg"
    options: dict[str, Any] = {"replicas": [pair.replica.url(driver)], "read_your_writes": 0}
    db: Database | AsyncDatabase
    if mode == "sync":
        db = Database(pair.primary.url(driver), **options).connect()
    else:
        db = await AsyncDatabase(pair.primary.url(driver), **options).connect()
    exporter = InMemorySpanExporter()
    tracing = TracerProvider()
    tracing.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    instrument(db, tracer_provider=tracing, meter_provider=MeterProvider(metric_readers=[reader]))
    operations: list[OperationEvent] = []
    db.events.on_operation(operations.append)
    try:
        notes: Any = db.repository(Note, tenant_id=TENANT)
        note = notes.create(Note(text="a"))
        note = await note if mode == "async" else note
        pair.wait_replayed()
        for call in (notes.get(note.id), notes.query().all(), notes.count()):
            if mode == "async":
                await call
        health = db.health()
    finally:
        if isinstance(db, AsyncDatabase):
            await db.close()
        else:
            db.close()
    assert health.replicas[0].reads == 3  # the replica answered all three
    ended = [(e.operation, e.table) for e in operations if e.phase == "end"]
    assert [op for op, table in ended if table == "repl_notes"] == [
        "create",
        "get",
        "query",
        "count",
    ]
    assert {op for op, table in ended if table is None} <= {"replica_check"}
    names = {s.name for s in exporter.get_finished_spans()}
    assert {
        "storied.get repl_notes",
        "storied.query repl_notes",
        "storied.count repl_notes",
    } <= names
    assert not [n for n in names if "resume" in n or "run_query" in n]

    seen = _metrics(reader)
    assert seen["storied.replica.healthy"][0][1] == 1
    reads = {a["storied.server"]: v for a, v in seen["storied.reads"]}
    assert reads.pop("primary") == 0
    assert list(reads.values()) == [3]
    assert seen["storied.replica.lag"][0][1] >= 0
