"""``python -m bench partitions``: scd2 reads on a versions table partitioned by month (10
month partitions holding closed versions, the DEFAULT one the current versions) against the
same versions in one table (budget: as_of <= 1.2x).

Both tables have the same model, ids and versions, written by storied itself with the clock
stepped so that the versions close over ten months; ``as_of`` asks for a moment half-way
through (PostgreSQL then reads the DEFAULT partition and the months after the moment, one
index probe each), ``get`` for the current version (the DEFAULT partition only).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TextIO

from storied import AsyncDatabase, Database, FrozenClock, HistoryPartitions

from . import report, server_plans
from .asof import READS, Reads
from .clock import Stopwatch, Timed, micros
from .models import StockArchive, StockVersioned
from .report import cpu, render
from .runner import Plan
from .targets import DRIVER_LABELS, DRIVERS, Target
from .workloads import ACTOR

BUDGET = 1.2
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: the versions close over this span: ten month partitions
SPAN = dt.timedelta(days=300)
PARTITIONS = HistoryPartitions(ahead=11)
#: EXPLAIN ANALYZE runs per statement and plan mode (server_plans)
SERVER_RUNS = 51

NOTES = """\
Two scd2 tables, same model, {ids} ids with {versions} versions each, closed over ten months:
one table, and one partitioned by month (history_partitions; 10 month partitions with rows, the
current versions in DEFAULT). get = the current version, as_of = the version valid half-way
through. ratio = median over rounds of partitioned time / one-table time, timed back to back,
alternating which goes first; CPU µs = this process's CPU per read, median over rounds. budget:
as_of (and get) <= {budget}x. Tables VACUUM ANALYZEd after the load."""


class Side:
    """One table: its database(s), ids and the as_of moment."""

    def __init__(self, model: type[Any], partitions: HistoryPartitions | None) -> None:
        self.model = model
        self.partitions = partitions
        self.ids: list[Any] = []
        self.moment = START


def _load(target: Target, side: Side, tenant: uuid.UUID, ids: int, versions: int) -> None:
    clock = FrozenClock(START)
    url = target.storied_url("sync")
    with Database(url, clock=clock, history_partitions=side.partitions) as db:
        db.drop_all([side.model])
        db.sync_schema([side.model])
        repo = db.repository(side.model, tenant_id=tenant, actor=ACTOR)
        rows = [
            side.model(sku=f"A{i}", name="Anvil", price=Decimal("9.99"), stock=0)
            for i in range(ids)
        ]
        side.ids = [m.id for m in repo.create_many(rows)]
        step = SPAN / versions
        for version in range(2, versions + 1):
            clock.advance(seconds=step.total_seconds())
            repo.update_many({id: {"stock": version} for id in side.ids})
            if version == versions // 2:
                side.moment = clock.now()
        # VACUUM as autovacuum would by the time of the reads: closing a version moves its
        # row out of DEFAULT, and the dead rows left there made PostgreSQL read DEFAULT by a
        # bitmap scan of every one of them (a plain index scan's hints never cleared them)
        table = side.model.storied_spec().options.table
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


Batch = Callable[[Side, int], Timed]


def _reads(repos: dict[Any, Any], run: Callable[[Any], Any]) -> dict[str, Batch]:
    def get(side: Side, n: int) -> Timed:
        repo, ids = repos[side.model], side.ids
        watch = Stopwatch()
        for i in range(n):
            run(repo.get(ids[i % len(ids)]))
        return watch.stop()

    def as_of(side: Side, n: int) -> Timed:
        repo, ids, moment = repos[side.model], side.ids, side.moment
        watch = Stopwatch()
        for i in range(n):
            run(repo.get(ids[i % len(ids)], as_of=moment))
        return watch.stop()

    return {"get": get, "as_of": as_of}


def _time(
    batches: dict[str, Batch], one: Side, parted: Side, plan: Plan, label: tuple[str, str, str]
) -> list[Reads]:
    backend, mode, driver = label
    out = {r: Reads(backend, mode, driver, r, 10) for r in READS}
    for read in READS:
        for side in (one, parted):
            batches[read](side, plan.ops)
    for round_no in range(plan.rounds):
        for read in READS:
            for side in (one, parted) if round_no % 2 == 0 else (parted, one):
                gc.collect()
                out[read].add(side is parted, batches[read](side, plan.ops).per(plan.ops))
    return list(out.values())


def run_partitions(
    target: Target, modes: list[str], plan: Plan, ids: int, versions: int
) -> tuple[list[Reads], server_plans.Found]:
    tenant = uuid.uuid4()
    one, parted = Side(StockVersioned, None), Side(StockArchive, PARTITIONS)
    for side in (one, parted):
        _load(target, side, tenant, ids, versions)
    results: list[Reads] = []
    try:
        sides = [
            (label, s.model, s.partitions, s.ids[0], s.moment)
            for label, s in (("one table", one), ("10 partitions", parted))
        ]
        server = server_plans.measure(target.storied_url("sync"), tenant, sides, SERVER_RUNS)
        for mode in modes:
            label = (target.backend, mode, DRIVER_LABELS[DRIVERS[(target.backend, mode)]])
            url = target.storied_url(mode)
            if mode == "sync":
                dbs = [
                    Database(url, history_partitions=s.partitions).connect() for s in (one, parted)
                ]
                repos = {
                    s.model: d.repository(s.model, tenant_id=tenant)
                    for s, d in zip((one, parted), dbs, strict=True)
                }
                try:
                    results += _time(_reads(repos, lambda r: r), one, parted, plan, label)
                finally:
                    for d in dbs:
                        d.close()
                continue
            loop = asyncio.new_event_loop()
            adbs = [
                loop.run_until_complete(
                    AsyncDatabase(url, history_partitions=s.partitions).connect()
                )
                for s in (one, parted)
            ]
            repos = {
                s.model: d.repository(s.model, tenant_id=tenant)
                for s, d in zip((one, parted), adbs, strict=True)
            }
            try:
                results += _time(_reads(repos, loop.run_until_complete), one, parted, plan, label)
            finally:
                for d in adbs:
                    loop.run_until_complete(d.close())
                loop.close()
    finally:
        for side in (one, parted):
            with Database(target.storied_url("sync"), history_partitions=side.partitions) as db:
                db.drop_all([side.model])
    return results, server


def table(results: list[Reads], ids: int, versions: int, out: TextIO) -> bool:
    columns = ("backend", "mode", "driver", "read", "one table/s", "10 partitions/s", "ratio")
    columns += ("one table CPU µs", "partitioned CPU µs", "budget")
    lines = [
        (
            r.backend,
            r.mode,
            r.driver,
            r.read,
            f"{r.short_rate:,.0f}",
            f"{r.long_rate:,.0f}",
            f"{r.ratio:.2f}x",
            cpu(micros(r.short_cpu)),
            cpu(micros(r.long_cpu)),
            "ok" if r.ratio <= BUDGET else "MISS",
        )
        for r in results
    ]
    render(columns, lines, (4, 5, 6, 7, 8), out)
    print(NOTES.format(ids=ids, versions=versions, budget=BUDGET), file=out)
    return all(r.ratio <= BUDGET for r in results)


def run(args: argparse.Namespace, command: str, out: TextIO, target: Target) -> bool:
    plan = Plan(
        args.rounds or (3 if args.quick else 11), args.ops or (20 if args.quick else 200), 0
    )
    ids = args.ids or (20 if args.quick else 200)
    versions = args.versions or (20 if args.quick else 100)
    what = (
        f"rounds: {plan.rounds} (+1 warm-up), per round and table: {plan.ops} get and as_of "
        f"reads; {ids} ids x {versions} versions per table"
    )
    report.header(command, plan, out, what)
    results, server = run_partitions(target, list(args.modes), plan, ids, versions)
    ok = table(results, ids, versions, out)
    server_plans.table(server, SERVER_RUNS, out)
    return ok
