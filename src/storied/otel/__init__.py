"""OpenTelemetry spans and metrics for a Database (extra ``otel``: opentelemetry-api only).

``instrument(db)`` listens on ``db.events`` (storied's public listener API) and gives

- a span per repository operation, ``storied.<operation> <table>`` (kind CLIENT), with
- a child span per statement it sent, ``<SQL verb> <table>`` (:mod:`storied.otel.spans`);
- metrics (:mod:`storied.otel.meters`): the ``db.client.operation.duration`` histogram,
  errors by type, the pool's connections (in use, idle, the limit) and the wait for one,
  the replicas' lag, health and reads by server, the circuit breaker's state.

with the stable database semantic conventions: ``db.system.name``, ``db.namespace``,
``db.collection.name``, ``db.operation.name``, ``db.query.text`` (the SQL with placeholders,
never bound values), ``error.type``, ``server.address``/``server.port``. A failed operation
has status ERROR and an exception event. storied sends its SQL on the driver connection
itself, so SQLAlchemy's instrumentation would see none of it: this is the instrumentation to
use. The gauges are read by the meter's reader when it collects (nothing on the hot path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry import metrics, trace

from .. import AsyncDatabase, Database
from .. import __version__ as _version
from .meters import Meters
from .spans import Spans, base_attributes

__all__ = ["Instrumentation", "instrument"]


class Instrumentation:
    """What ``instrument`` installed on one Database; ``uninstrument()`` removes it."""

    def __init__(
        self,
        db: Database | AsyncDatabase,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
        attributes: Mapping[str, Any] | None = None,
        tenant_attributes: bool = False,
    ) -> None:
        self.db = db
        base = base_attributes(db)
        tracer = trace.get_tracer("storied", _version, tracer_provider)
        meter = metrics.get_meter("storied", _version, meter_provider)
        self.meters = Meters(db, meter, base)
        self.spans = Spans(tracer, {**base, **(attributes or {})}, tenant_attributes, self.meters)
        self._handles = [
            db.events.on_operation(self.spans.operation),
            db.events.on_statement(self.spans.statement),
            db.events.on_connection_wait(self.meters.waited),
        ]

    def uninstrument(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self.meters.stop()


def instrument(
    db: Database | AsyncDatabase,
    *,
    tracer_provider: trace.TracerProvider | None = None,
    meter_provider: metrics.MeterProvider | None = None,
    attributes: Mapping[str, Any] | None = None,
    tenant_attributes: bool = False,
) -> Instrumentation:
    """Spans and metrics for every operation and statement of ``db`` (see the module doc).

    Args:
        db: a Database or AsyncDatabase (connected or not).
        tracer_provider: default: OpenTelemetry's global one.
        meter_provider: default: OpenTelemetry's global one.
        attributes: extra attributes on every span, opt-in.
        tenant_attributes: put the repository's tenant (``storied.tenant_id``: one id, or a
            list for a multi-tenant read scope) and actor (``storied.actor``) on each
            operation's span. Off by default: tenant ids and actors can be personal data.
    """
    return Instrumentation(db, tracer_provider, meter_provider, attributes, tenant_attributes)
