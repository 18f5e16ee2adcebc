"""The spans: one per repository operation, a child per statement it sent."""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opentelemetry import context, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from .. import AsyncDatabase, Database, OperationEvent, StatementEvent

if TYPE_CHECKING:
    from .meters import Meters

Attributes = dict[str, Any]


@dataclass
class _Open:
    span: Span
    token: object


def base_attributes(db: Database | AsyncDatabase) -> Attributes:
    """The attributes of every span: the backend, the database, the server."""
    url = db.url
    base: Attributes = {"db.system.name": _system(db.dialect_name)}
    if url.database:
        base["db.namespace"] = url.database
    if url.host:
        base["server.address"] = url.host
    if url.port:
        base["server.port"] = url.port
    return base


class Spans:
    """The listeners that make the spans (and record each operation's metrics)."""

    def __init__(
        self, tracer: trace.Tracer, base: Attributes, tenant_attributes: bool, meters: Meters
    ) -> None:
        self.tracer = tracer
        self.base = base
        self.tenant_attributes = tenant_attributes
        self.meters = meters
        self._open: ContextVar[tuple[_Open, ...]] = ContextVar("storied_otel_open", default=())

    def operation(self, event: OperationEvent) -> None:
        if event.phase == "start":
            attributes = {**self.base, "db.operation.name": event.operation}
            if event.table:
                attributes["db.collection.name"] = event.table
            if self.tenant_attributes:
                _who(attributes, event)
            name = f"storied.{event.operation}" + (f" {event.table}" if event.table else "")
            span = self.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)
            token = context.attach(trace.set_span_in_context(span))
            self._open.set((*self._open.get(), _Open(span, token)))
            return
        self.meters.operation_ended(event)
        stack = self._open.get()
        if not stack:
            return
        *rest, top = stack
        self._open.set(tuple(rest))
        context.detach(top.token)  # type: ignore[arg-type]
        if event.error is not None:
            top.span.set_attribute("error.type", event.error)
            if event.exception is not None:
                top.span.record_exception(event.exception)
            top.span.set_status(Status(StatusCode.ERROR, event.error))
        top.span.end()

    def statement(self, event: StatementEvent) -> None:
        verb = event.sql.split(None, 1)[0].upper() if event.sql.strip() else "SQL"
        attributes: Attributes = {
            **self.base,
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


def _who(attributes: Attributes, event: OperationEvent) -> None:
    """The opt-in tenant and actor attributes (``tenant_attributes=True``)."""
    if len(event.tenants) == 1:
        attributes["storied.tenant_id"] = event.tenants[0]
    elif event.tenants:
        attributes["storied.tenant_id"] = list(event.tenants)
    if event.actor is not None:
        attributes["storied.actor"] = event.actor


def _system(dialect: str) -> str:
    """``db.system.name`` of a SQLAlchemy backend name (semantic conventions' values)."""
    return {"postgresql": "postgresql", "mysql": "mysql", "mariadb": "mariadb"}.get(
        dialect, dialect
    )
