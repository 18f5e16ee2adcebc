"""The printed tables of ``python -m bench history`` and ``python -m bench bulk``."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TextIO

from . import asof, bulk, history
from .clock import micros
from .report import CPU_COLUMNS, cpu, render
from .roundtrips import OPS as TRIP_OPS
from .roundtrips import Trips
from .runner import Measured

UPDATE_NOTES = """\
ratio = median over rounds of storied's time / raw's time (timed back to back, alternating which
goes first); ops/s = 1 / median time per update. Each side updates its own rows of the same
table, one field to a new value, so every update writes its history: copy_on_change one audit
row, scd2 a closed and a new version. The raw side sends the statements storied sends (--show-sql)
and encodes values by hand; storied also validates the change, reads the row into a model and
returns the new one. CPU µs as in the crud bench (the client process's own). budget:
copy_on_change and scd2 <= 2x the raw SQL writing the same rows (DESIGN); none as in the crud
bench (<= 1.3x)."""

TRIPS_NOTES = """\
Statements storied sends per operation, BEGIN/COMMIT not counted ("+tx": the operation runs in
a transaction of its own, two more round trips), counted at the sync executor on one fresh row
(the async executor drives the same operations). budget (DESIGN): get = 1; create (none) = 1;
update copy_on_change <= 3; update scd2 <= 2 where UPDATE has RETURNING (MariaDB has none)."""

READS_NOTES = """\
Two scd2 tables, same model, same number of ids: one with 1 version per id, one with {versions}
per id ({rows:,} version rows). get = the current version, as_of = the version valid at a moment
half-way through the long history. ratio = median over rounds of long-history time / one-version
time, timed back to back; CPU µs = this process's CPU per read, median over rounds. budget:
<= {budget}x (issue 16; DESIGN: 1,000x more history must not make these reads more than 2x
slower). Long histories written by update_many, one version per id per call ({built:.0f} s),
and read right after: nothing analyzes the tables but storied's bulk path, which analyzes a
table PostgreSQL never has once bulk writes wrote 1,000 rows to it (analyze_after_bulk)."""

BULK_NOTES = """\
rows/s = created models per second (a copy_on_change row also writes one audit row per field, an
scd2 row an identity row and a version), median over rounds; storied/raw = median over rounds of
raw time / storied time; vs raw none = storied's rate over the raw rate of strategy none. Both
sides load {rows:,} rows per strategy in batches of {batch:,} (one transaction each) into emptied
tables; storied gets model instances built beforehand, the raw side tuples, and stamps ids,
tenant and times itself. raw COPY = the raw side loading strategy none's rows through COPY
(PostgreSQL: psycopg's cursor.copy, asyncpg's copy_records_to_table), one per batch, timed in
the same interleaved rounds; storied/COPY = median over rounds of COPY time / storied time.
CPU µs/row = the client process's CPU per created row, median over rounds (raw CPU: the
executemany's). budget (issue 16): none >= {none:.0%} of raw executemany and >= {copy:.0%} of
raw COPY; copy_on_change and scd2 >= {history:.0%} of the raw executemany writing the same rows,
and >= {vs_none:.0%} of raw none's rate ("within 2x of that", issue 5)."""


def _server(backend: str, servers: dict[str, str]) -> str:
    return f"{backend} {servers.get(backend, '')}".strip()


def updates(results: Sequence[Measured], servers: dict[str, str], out: TextIO) -> None:
    columns = ("backend", "mode", "driver", "op", "storied ops/s", "raw ops/s", "ratio")
    columns += (*CPU_COLUMNS, "budget")
    lines = [
        (
            _server(r.backend, servers),
            r.mode,
            r.driver,
            r.op,
            f"{r.storied_rate:,.0f}",
            f"{r.raw_rate:,.0f}",
            f"{r.ratio:.2f}x",
            cpu(r.cpu_us("storied")),
            cpu(r.cpu_us("raw")),
            "ok" if r.ratio <= history.BUDGETS[r.op] else "MISS",
        )
        for r in results
    ]
    render(columns, lines, (4, 5, 6, 7, 8), out)
    print(UPDATE_NOTES, file=out)


def _cell(trip: Trips) -> str:
    return f"{trip.statements}+tx" if trip.transaction else str(trip.statements)


def trips(found: Sequence[Trips], servers: dict[str, str], out: TextIO) -> None:
    columns = ("backend", "strategy", *TRIP_OPS, "budget")
    rows: dict[tuple[str, str], dict[str, Trips]] = {}
    for t in found:
        rows.setdefault((t.backend, t.strategy), {})[t.op] = t
    lines = []
    for (backend, strategy), ops in rows.items():
        checked = [t for t in ops.values() if t.budget is not None]
        verdict = ", ".join(f"{t.op} <= {t.budget}" for t in checked)
        miss = any(not t.ok for t in checked)
        lines.append(
            (
                _server(backend, servers),
                strategy,
                *(_cell(ops[op]) for op in TRIP_OPS),
                f"{'MISS' if miss else 'ok'} ({verdict})" if checked else "-",
            )
        )
    render(columns, lines, range(2, 2 + len(TRIP_OPS)), out)
    print(TRIPS_NOTES, file=out)


def reads(
    results: Sequence[asof.Reads], servers: dict[str, str], ids: int, built: float, out: TextIO
) -> None:
    versions = results[0].versions if results else 0
    columns: tuple[str, ...] = ("backend", "mode", "driver", "read", "1 version/s")
    columns += (f"{versions} versions/s",)
    columns += ("ratio", "1 version CPU µs", f"{versions} versions CPU µs", "budget")
    lines = [
        (
            _server(r.backend, servers),
            r.mode,
            r.driver,
            r.read,
            f"{r.short_rate:,.0f}",
            f"{r.long_rate:,.0f}",
            f"{r.ratio:.2f}x",
            cpu(micros(r.short_cpu)),
            cpu(micros(r.long_cpu)),
            "ok" if r.ratio <= asof.BUDGET else "MISS",
        )
        for r in results
    ]
    render(columns, lines, (4, 5, 6, 7, 8), out)
    notes = READS_NOTES.format(
        versions=versions, rows=ids * versions, budget=asof.BUDGET, built=built
    )
    print(notes, file=out)


def _bulk_verdict(r: bulk.Loaded, raw_none: float | None) -> str:
    misses = []
    if r.share < bulk.BUDGETS[r.strategy]:
        misses.append("raw")
    copy = r.copy_share
    if copy is not None and copy < bulk.COPY_BUDGET:
        misses.append("COPY")
    if r.strategy != "none" and raw_none and r.storied_rate / raw_none < bulk.VS_NONE:
        misses.append("vs none")
    return f"MISS ({', '.join(misses)})" if misses else "ok"


def _raw_none(results: Sequence[bulk.Loaded]) -> dict[tuple[str, str], float]:
    return {(r.backend, r.mode): r.raw_rate for r in results if r.strategy == "none"}


def loads_ok(results: Sequence[bulk.Loaded]) -> bool:
    raw_none = _raw_none(results)
    return all(_bulk_verdict(r, raw_none.get((r.backend, r.mode))) == "ok" for r in results)


def history_ok(
    updates: Sequence[Measured], found: Sequence[Trips], read: Sequence[asof.Reads]
) -> bool:
    return (
        all(r.ratio <= history.BUDGETS[r.op] for r in updates)
        and all(t.ok for t in found)
        and all(r.ratio <= asof.BUDGET for r in read)
    )


def loads(
    results: Sequence[bulk.Loaded], servers: dict[str, str], plan: bulk.BulkPlan, out: TextIO
) -> None:
    columns: tuple[str, ...] = ("backend", "mode", "driver", "strategy", "rows written")
    columns += ("storied rows/s",)
    columns += ("raw rows/s", "storied/raw", "raw COPY rows/s", "storied/COPY", "vs raw none")
    columns += ("storied CPU µs/row", "raw CPU µs/row", "COPY CPU µs/row", "budget")
    raw_none = _raw_none(results)
    lines = []
    for r in results:
        base = raw_none.get((r.backend, r.mode))
        lines.append(
            (
                _server(r.backend, servers),
                r.mode,
                r.driver,
                r.strategy,
                bulk.WRITTEN[r.strategy],
                f"{r.storied_rate:,.0f}",
                f"{r.raw_rate:,.0f}",
                f"{r.share:.0%}",
                f"{r.rows / statistics.median(r.copy):,.0f}" if r.copy else "-",
                "-" if r.copy_share is None else f"{r.copy_share:.0%}",
                f"{r.storied_rate / base:.0%}" if base else "-",
                cpu(micros(r.storied_cpu) / r.rows),
                cpu(micros(r.raw_cpu) / r.rows),
                cpu(micros(r.copy_cpu) / r.rows) if r.copy_cpu else "-",
                _bulk_verdict(r, base),
            )
        )
    render(columns, lines, (5, 6, 7, 8, 9, 10, 11, 12, 13), out)
    notes = BULK_NOTES.format(
        rows=plan.rows,
        batch=plan.batch,
        none=bulk.BUDGETS["none"],
        copy=bulk.COPY_BUDGET,
        history=bulk.BUDGETS["scd2"],
        vs_none=bulk.VS_NONE,
    )
    print(notes, file=out)
