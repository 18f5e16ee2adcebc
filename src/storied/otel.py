"""OpenTelemetry spans and metrics for a Database (extra ``otel``: opentelemetry-api only).

``instrument(db)`` listens on ``db.events`` (storied's public listener API) and gives

- a span per repository operation, ``storied.<operation> <table>`` (kind CLIENT), with
- a child span per statement it sent, ``<SQL verb> <table>``,

with the stable database semantic conventions: ``db.system.name``, ``db.namespace``,
``db.collection.name``, ``db.operation.name``, ``db.query.text`` (the SQL with placeholders,
never bound values), ``error.type``, ``server.address``/``server.port``. A failed operation
has status ERROR and an exception event. The ``db.client.operation.duration`` histogram
(seconds) records each operation. storied sends its SQL on the driver connection itself, so
SQLAlchemy's instrumentation would see none of it: this is the instrumentation to use.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from opentelemetry import context, metrics, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from . import AsyncDatabase, Database, OperationEvent, StatementEvent
from . import __version__ as _version

__all__ = ["Instrumentation", "instrument"]

Attributes = dict[str, Any]


@dataclass
class _Open:
    span: Span
    token: object


class Instrumentation:
    """What ``instrument`` installed on one Database; ``uninstrument()`` removes it."""

    def __init__(
        self,
        db: Database | AsyncDatabase,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.tracer = trace.get_tracer("storied", _version, tracer_provider)
        meter = metrics.get_meter("storied", _version, meter_provider)
        self.duration = meter.create_histogram(
            "db.client.operation.duration",
            unit="s",
            description="Duration of storied's repository operations",
        )
        url = db.url
        self._base: Attributes = {"db.system.name": _system(db.dialect_name)}
        if url.database:
            self._base["db.namespace"] = url.database
        if url.host:
            self._base["server.address"] = url.host
        if url.port:
            self._base["server.port"] = url.port
        # opt-in attributes of every span (a tenant, an actor): never added by storied itself
        self._base.update(attributes or {})
        self._open: ContextVar[tuple[_Open, ...]] = ContextVar("storied_otel_open", default=())
        self._handles = [
            db.events.on_operation(self._operation),
            db.events.on_statement(self._statement),
        ]

    def uninstrument(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _operation(self, event: OperationEvent) -> None:
        if event.phase == "start":
            attributes = {**self._base, "db.operation.name": event.operation}
            if event.table:
                attributes["db.collection.name"] = event.table
            name = f"storied.{event.operation}" + (f" {event.table}" if event.table else "")
            span = self.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)
            token = context.attach(trace.set_span_in_context(span))
            self._open.set((*self._open.get(), _Open(span, token)))
            return
        stack = self._open.get()
        if not stack:
            return
        *rest, top = stack
        self._open.set(tuple(rest))
        context.detach(top.token)  # type: ignore[arg-type]
        metric: Attributes = {
            "db.system.name": self._base["db.system.name"],
            "db.operation.name": event.operation,
        }
        if event.table:
            metric["db.collection.name"] = event.table
        if event.error is not None:
            metric["error.type"] = event.error
            top.span.set_attribute("error.type", event.error)
            if event.exception is not None:
                top.span.record_exception(event.exception)
            top.span.set_status(Status(StatusCode.ERROR, event.error))
        top.span.end()
        self.duration.record(event.duration_ns / 1e9, metric)

    def _statement(self, event: StatementEvent) -> None:
        verb = event.sql.split(None, 1)[0].upper() if event.sql.strip() else "SQL"
        attributes: Attributes = {
            **self._base,
            "db.operation.name": verb,
            "db.query.text": event.sql,
        }
        if event.table:
            attributes["db.collection.name"] = event.table
        if event.batch > 1:
            attributes["db.operation.batch.size"] = event.batch
        end = time.time_ns()
        name = f"{verb} {event.table}" if event.table else verb
        span = self.tracer.start_span(
            name, kind=SpanKind.CLIENT, attributes=attributes, start_time=end - event.duration_ns
        )
        if event.error is not None:
            span.set_attribute("error.type", event.error)
            span.add_event("exception", {"exception.type": event.error})
            span.set_status(Status(StatusCode.ERROR, event.error))
        span.end(end_time=end)


def instrument(
    db: Database | AsyncDatabase,
    *,
    tracer_provider: trace.TracerProvider | None = None,
    meter_provider: metrics.MeterProvider | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Instrumentation:
    """Spans and metrics for every operation and statement of ``db`` (see the module doc).

    Args:
        db: a Database or AsyncDatabase (connected or not).
        tracer_provider: default: OpenTelemetry's global one.
        meter_provider: default: OpenTelemetry's global one.
        attributes: extra attributes on every span, opt-in (e.g. ``{"storied.tenant": …}``
            for a Database serving one tenant); storied adds no tenant or actor by itself.
    """
    return Instrumentation(db, tracer_provider, meter_provider, attributes)


def _system(dialect: str) -> str:
    """``db.system.name`` of a SQLAlchemy backend name (semantic conventions' values)."""
    return {"postgresql": "postgresql", "mysql": "mysql", "mariadb": "mariadb"}.get(
        dialect, dialect
    )
