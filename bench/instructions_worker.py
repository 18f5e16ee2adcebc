"""One run of ``python -m bench instructions``, under callgrind, in a process of its own.

``python -m bench.instructions_worker OP N BACKEND MODE URL [SYSTEM ROWS]`` seeds the scratch
database at ``URL`` (no driver; SQLite: a file) with whatever ``storied`` it imports
(``PYTHONPATH`` picks the version), runs a warm-up of the operation through the ``MODE``
driver (sync or async), freezes the garbage collector (so no collection lands inside one run
and not the other), runs ``N`` more operations and leaves at once: what differs between two
runs with different ``N`` is those operations alone. ``SYSTEM`` (default storied) may be
``raw`` or ``validated`` (the raw driver's list, each row validated into the model:
bench.validated); ``ROWS`` is the number of rows seeded and listed (default 100).
With ``STORIED_BENCH_OTEL=1`` (``--otel``) the Database is instrumented by ``storied.otel``
on the OpenTelemetry SDK's providers: a TracerProvider with no span processor (spans are made
and ended, none exported: an exporter's thread would make the count vary) and a MeterProvider
with an in-memory reader (histograms and counters recorded, never collected). With
``STORIED_BENCH_OTEL_PROVIDERS=noop`` too, on the API's no-op providers instead: what
storied's own listeners cost, without the SDK's spans.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from typing import Any

import sqlalchemy as sa

from .targets import Target
from .workloads import Data, StoriedAsync, StoriedSync, seed

WARM_UP = 200
#: a list of 1,000 rows is as much work as a few hundred single-row calls
WARM_UP_LISTS = 5


def _side(system: str, target: Target, mode: str, data: Data) -> Any:
    loop = None if mode == "sync" else asyncio.new_event_loop()
    if system == "storied":
        url = target.storied_url(mode)
        return StoriedSync(url, data) if loop is None else StoriedAsync(loop, url, data)
    from . import validated
    from .raw import raw_sync
    from .raw_async import raw_async

    if loop is None:
        raw: Any = raw_sync(target, data)
        return validated.ValidatedSync(raw) if system == "validated" else raw
    raw = raw_async(loop, target, data)
    return validated.ValidatedAsync(loop, raw) if system == "validated" else raw


def main(argv: list[str]) -> int:
    op, n, backend, mode, url = argv[0], int(argv[1]), argv[2], argv[3], argv[4]
    system, rows = (argv[5], int(argv[6])) if len(argv) > 5 else ("storied", 100)
    from storied import Database

    target = Target(backend, sa.make_url(url))
    data = Data(rows=rows)
    admin = Database(target.storied_url("sync")).connect()
    seed(admin, data)
    side = _side(system, target, mode, data)
    if os.environ.get("STORIED_BENCH_OTEL"):
        _instrument(side.db)
    side.time(op, WARM_UP_LISTS if op in ("list", "rows") else WARM_UP)
    gc.collect()
    gc.freeze()
    side.time(op, n)
    sys.stdout.flush()
    os._exit(0)  # no teardown: it would differ with N


def _instrument(db: object) -> None:
    from opentelemetry.metrics import NoOpMeterProvider
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import NoOpTracerProvider

    from storied.otel import instrument

    if os.environ.get("STORIED_BENCH_OTEL_PROVIDERS") == "noop":
        instrument(db, tracer_provider=NoOpTracerProvider(), meter_provider=NoOpMeterProvider())  # type: ignore[arg-type]
        return
    meters = MeterProvider(metric_readers=[InMemoryMetricReader()])
    instrument(db, tracer_provider=TracerProvider(), meter_provider=meters)  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
