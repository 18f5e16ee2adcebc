"""``python -m bench [crud|history|bulk|factories]``: options, the run, the report.

- ``crud`` (the default): create, get, update and list against the raw driver.
- ``history``: updates per temporal strategy against the raw SQL writing the same rows, the
  statements each operation sends, and scd2 reads over 1 vs 1,000 versions per id.
- ``bulk``: ``create_many`` of 100,000 rows per strategy against the driver's executemany.
- ``factories``: 10,000 objects built by a factory; 100,000 rows created through one.
- ``storage``: object-store throughput against obstore and a plain file write (bench.storage).
- ``ui``: server-side render time of the history browser's pages, 10,000 change sets (bench.ui).
- ``instructions``: callgrind's instruction count per create, get and update, per driver
  (default: SQLite, sync and async), optionally against another version of storied
  (``--old-src``) (bench.instructions); with ``--lists``, a list of 1,000 rows as the raw
  driver, the raw driver + validation, storied's models and storied's plain rows.
- ``rls``: get, create and update with Row-Level Security on vs off, PostgreSQL only (bench.rls).
- ``partitions``: scd2 get and as_of on a versions table partitioned by month (10
  partitions) against one table (bench.partitions; PostgreSQL).
- ``ops``: iterate(), CSV export and backup of 1,000,000 rows against pg_dump, COPY TO and
  SQLite's backup API: rows/s, CPU µs per row and peak RSS (bench.ops).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from . import clock, report, rls, tables
from .asof import Reads, run_reads
from .bulk import BulkPlan, Loaded, run_bulk
from .history import run_updates
from .roundtrips import Trips, count
from .runner import MODES, Measured, Plan, run_target
from .targets import BACKENDS, PEER_BACKENDS, SERVERS, Target, Unreachable, scratch

SUITES = (
    "crud", "history", "bulk", "factories", "http", "storage", "ui", "versions", "ops",
    "instructions", "rls", "partitions",
)  # fmt: skip
DEFAULT = Plan(rounds=21, ops=80, rows=1000)
QUICK = Plan(rounds=5, ops=20, rows=1000)
HISTORY = Plan(rounds=11, ops=60, rows=0)
HISTORY_QUICK = Plan(rounds=3, ops=20, rows=0)
#: as_of bench: ids per table, versions per id of the long history (writing them takes one
#: update_many per version: --quick writes fewer)
AS_OF_IDS, AS_OF_IDS_QUICK, VERSIONS, VERSIONS_QUICK = 50, 10, 1000, 250
BULK = BulkPlan(rows=100_000, batch=5_000, rounds=2)
BULK_QUICK = BulkPlan(rows=10_000, batch=5_000, rounds=1)


def _names(value: str, allowed: Sequence[str], what: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{what}: choose from {', '.join(allowed)}")
    return names


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="storied against the raw driver doing the same SQL, in interleaved rounds.",
    )
    p.add_argument("suite", nargs="?", choices=SUITES, default="crud", help="default: crud")
    p.add_argument(
        "--backends",
        type=lambda v: _names(v, BACKENDS, "--backends"),
        help="comma-separated: sqlite,postgresql,mysql (default: all; bulk: postgresql)",
    )
    p.add_argument(
        "--modes",
        type=lambda v: _names(v, MODES, "--modes"),
        default=list(MODES),
        help="comma-separated: sync,async (default: both)",
    )
    p.add_argument("--rounds", type=int, help="timed rounds")
    p.add_argument("--ops", type=int, help="operations per side and round (crud, history)")
    p.add_argument(
        "--rows", type=int, help="crud: rows a list reads (1000); bulk: rows per load (100000)"
    )
    p.add_argument("--batch", type=int, help="bulk: rows per create_many call (5000)")
    p.add_argument("--ids", type=int, help=f"history: ids per as_of table ({AS_OF_IDS})")
    p.add_argument("--versions", type=int, help=f"history: versions per id ({VERSIONS})")
    p.add_argument("--changes", type=int, help="ui: change sets of the long record (10000)")
    p.add_argument("--quick", action="store_true", help="a smaller run (< 30 s)")
    p.add_argument(
        "--no-peers",
        action="store_true",
        help="crud: leave out SQLAlchemy ORM and SQLModel (run on sqlite and postgresql)",
    )
    p.add_argument("--old-src", help="versions: the src folder of the storied to compare against")
    p.add_argument(
        "--new-src", help="versions: the src folder of the new storied (default: the one imported)"
    )
    p.add_argument("--postgresql-url", default=SERVERS["postgresql"], help="server to use")
    p.add_argument("--mysql-url", default=SERVERS["mysql"], help="server to use")
    p.add_argument("--show-sql", action="store_true", help="print both sides' statements")
    p.add_argument(
        "--otel",
        action="store_true",
        help="instructions: the new storied with storied.otel instrumenting it vs without",
    )
    p.add_argument(
        "--lists",
        action="store_true",
        help="instructions: lists of --rows rows (1000): raw, raw + validation, storied models "
        "and plain rows (--ops lists, default 5)",
    )
    p.add_argument("--check", action="store_true", help="exit 1 if a figure misses the budget")
    return p


def _targets(
    args: argparse.Namespace, backends: Sequence[str], missing: dict[str, str]
) -> Iterator[Target]:
    """Each reachable backend's scratch database in turn; the others go to ``missing``."""
    servers = {"postgresql": args.postgresql_url, "mysql": args.mysql_url}
    for backend in backends:
        try:
            with scratch(backend, servers.get(backend)) as target:
                yield target
        except Unreachable as exc:
            missing[backend] = str(exc)


def _positive(p: argparse.ArgumentParser, *values: int) -> None:
    if any(v < 1 for v in values):
        p.error("--rounds, --ops, --rows, --batch, --ids and --versions must be positive")


def _with_peers(args: argparse.Namespace, backend: str) -> bool:
    return not args.no_peers and backend in PEER_BACKENDS


def _crud(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    base = QUICK if args.quick else DEFAULT
    plan = Plan(args.rounds or base.rounds, args.ops or base.ops, args.rows or base.rows)
    _positive(parser(), plan.rounds, plan.ops, plan.rows)
    report.header(command, plan, out)
    results: list[Measured] = []
    versions: dict[str, str] = {}
    missing: dict[str, str] = {}
    shown: dict[str, tuple[list[str], list[str]]] = {}
    for target in _targets(args, args.backends or BACKENDS, missing):
        run = run_target(target, args.modes, plan, _with_peers(args, target.backend))
        results += run.results
        versions[target.backend] = run.server
        shown.update(run.statements)
    if results:
        report.table(results, versions, plan.rows, out)
        report.lists(results, versions, plan.rows, out)
        report.peers(results, versions, plan.rows, out)
    report.skipped(missing, out)
    if args.show_sql:
        report.statements(shown, out)
    lists = [r for r in results if "validated" in r.wall]
    return (
        not missing
        and all(r.ratio <= report.BUDGET for r in results)
        and all(r.ratio_of("storied", "validated") <= report.LIST_BUDGET for r in lists)
    )


def _history(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    base = HISTORY_QUICK if args.quick else HISTORY
    plan = Plan(args.rounds or base.rounds, args.ops or base.ops, 0)
    ids = args.ids or (AS_OF_IDS_QUICK if args.quick else AS_OF_IDS)
    versions = args.versions or (VERSIONS_QUICK if args.quick else VERSIONS)
    _positive(parser(), plan.rounds, plan.ops, ids, versions)
    what = (
        f"rounds: {plan.rounds} (+1 warm-up), per round and side: {plan.ops} updates per "
        f"strategy, {plan.ops} get and as_of reads per table; as_of tables: {ids} ids, "
        f"1 vs {versions} versions each"
    )
    report.header(command, plan, out, what)
    updates: list[Measured] = []
    trips: list[Trips] = []
    reads: list[Reads] = []
    servers: dict[str, str] = {}
    missing: dict[str, str] = {}
    built = 0.0
    shown: dict[str, dict[str, list[str]]] = {}
    for target in _targets(args, args.backends or BACKENDS, missing):
        run = run_updates(target, args.modes, plan)
        servers[target.backend] = run.server
        updates += run.results
        shown.update(run.statements)
        trips += count(target)
        found, seconds = run_reads(target, args.modes, plan, ids, versions)
        reads += found
        built += seconds
    if updates:
        tables.updates(updates, servers, out)
        tables.trips(trips, servers, out)
        tables.reads(reads, servers, ids, built, out)
    report.skipped(missing, out)
    if args.show_sql:
        for label, statements in shown.items():
            for strategy, sql in statements.items():
                print(f"\n== {label} update {strategy}: raw", file=out)
                for line in sql:
                    print("  " + line, file=out)
        print("\n== storied, per backend, strategy and operation", file=out)
        for trip in trips:
            print(f"-- {trip.backend} {trip.strategy} {trip.op}", file=out)
            for line in trip.sql:
                print("  " + line, file=out)
    return tables.history_ok(updates, trips, reads) and not missing


def _bulk(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    base = BULK_QUICK if args.quick else BULK
    plan = BulkPlan(args.rows or base.rows, args.batch or base.batch, args.rounds or base.rounds)
    _positive(parser(), plan.rows, plan.batch, plan.rounds)
    what = (
        f"rounds: {plan.rounds} (+1 warm-up batch), per round, strategy and side: {plan.rows:,} "
        f"rows in create_many / executemany batches of {plan.batch:,}"
    )
    report.header(command, Plan(plan.rounds, 0, plan.rows), out, what)
    results: list[Loaded] = []
    servers: dict[str, str] = {}
    missing: dict[str, str] = {}
    shown: dict[str, tuple[list[str], list[str]]] = {}
    for target in _targets(args, args.backends or ["postgresql"], missing):
        run = run_bulk(target, args.modes, plan)
        servers[target.backend] = run.server
        results += run.results
        shown.update(run.statements)
    if results:
        tables.loads(results, servers, plan, out)
    report.skipped(missing, out)
    if args.show_sql:
        report.statements(shown, out)
    return tables.loads_ok(results) and not missing


def _factories(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from .factories import FactoryPlan, build_figures, create_figure, report

    base = FactoryPlan(objects=1_000, rows=10_000, rounds=1) if args.quick else FactoryPlan()
    plan = FactoryPlan(
        args.ops or base.objects, args.rows or base.rows, args.batch or base.batch,
        args.rounds or base.rounds,
    )  # fmt: skip
    _positive(parser(), plan.objects, plan.rows, plan.batch, plan.rounds)
    print(f"command: {command}", file=out)
    built = build_figures(plan)
    created: dict[str, float] = {}
    missing: dict[str, str] = {}
    for target in _targets(args, args.backends or ["postgresql"], missing):
        created[target.backend] = create_figure(target, plan)
    report(plan, built, created, out)
    for backend, reason in missing.items():
        print(f"{backend}: not run ({reason})", file=out)
    return not missing


def _http(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from .http import report as http_report
    from .http import run_http

    rounds = args.rounds or (3 if args.quick else 11)
    ops = args.ops or (20 if args.quick else 100)
    _positive(parser(), rounds, ops)
    print(f"$ {command}", file=out)
    print(
        f"rounds: {rounds} (+1 warm-up), per round and side: {ops} requests per operation "
        f"({max(1, ops // 5)} for list); PostgreSQL (asyncpg), uvicorn on loopback, httpx",
        file=out,
    )
    print(f"machine: {clock.load()} (at the start)", file=out)
    missing: dict[str, str] = {}
    ok = True
    for target in _targets(args, ["postgresql"], missing):
        ok = http_report(run_http(target, rounds, ops), out)
    report.skipped(missing, out)
    return ok and not missing


def _storage(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from . import storage

    rounds = args.rounds or (2 if args.quick else 5)
    _positive(parser(), rounds)
    sizes = {"1 MB": storage.SIZES["1 MB"]} if args.quick else storage.SIZES
    print(f"command: {command}", file=out)
    print(
        f"rounds: {rounds} (pairs per round: 1 MB {sizes['1 MB'][1]} on moto, "
        f"{sizes['1 MB'][2]} on disk); the sides alternate operation by operation; "
        "median operation; MB = MiB",
        file=out,
    )
    print("CPU µs = this process's CPU per operation (obstore's threads included)", file=out)
    print(f"machine: {clock.load()} (at the start)", file=out)
    rows = storage.run(rounds, sizes)
    storage.table(rows, out)
    return all(r.budget is None or r.ratio >= r.budget for r in rows)


def _ui(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from .ui import report as ui_report
    from .ui import run_ui

    rounds = args.rounds or (3 if args.quick else 7)
    ops = args.ops or (3 if args.quick else 10)
    changes = args.changes or (2_000 if args.quick else 10_000)
    _positive(parser(), rounds, ops, changes)
    print(f"$ {command}", file=out)
    print(
        f"rounds: {rounds} (+1 warm-up), per round, page and record: {ops} renders; records "
        f"with {changes:,} and 10 change sets (copy_on_change and scd2)",
        file=out,
    )
    missing: dict[str, str] = {}
    rows = []
    for target in _targets(args, args.backends or ["sqlite", "postgresql"], missing):
        found, built = run_ui(target, changes, rounds, ops)
        print(f"{target.backend}: history written in {built:.0f} s", file=out)
        rows += found
    ok = ui_report(rows, changes, out) if rows else True
    report.skipped(missing, out)
    return ok and not missing


def _versions(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from . import versions

    if not args.old_src:
        parser().error("versions needs --old-src (e.g. a git worktree of the old commit's src)")
    _positive(parser(), args.rounds or 1, args.ops or 1)
    return versions.run(args, command, out)


def _partitions(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from . import partitions

    _positive(parser(), args.rounds or 1, args.ops or 1, args.ids or 1, args.versions or 1)
    missing: dict[str, str] = {}
    ok = True
    for target in _targets(args, ["postgresql"], missing):
        ok = partitions.run(args, command, out, target) and ok
    report.skipped(missing, out)
    return ok and not missing


def _instructions(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    import storied

    from . import instructions

    n = args.ops or 200
    _positive(parser(), n)
    # the storied this process imports is the new one, unless --new-src says otherwise
    new_src = args.new_src or os.path.dirname(os.path.dirname(os.path.abspath(storied.__file__)))
    plan = [(b, m) for b in args.backends or ["sqlite"] for m in args.modes]
    servers = {"postgresql": args.postgresql_url, "mysql": args.mysql_url}
    if args.lists:
        lists = args.ops or 5
        _positive(parser(), lists)
        return instructions.run_lists(
            plan, args.rows or 1000, lists, new_src, servers, command, out
        )
    return instructions.run(
        plan, instructions.OPS, n, new_src, args.old_src, servers, command, out, otel=args.otel
    )


def _ops(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    from . import ops

    rows = args.rows or (20_000 if args.quick else 1_000_000)
    _positive(parser(), rows)
    print(f"$ {command}", file=out)
    load = os.getloadavg()
    print(
        f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)",
        file=out,
    )
    missing: dict[str, str] = {}
    for target in _targets(args, args.backends or ["sqlite", "postgresql"], missing):
        if target.backend not in ops.OPS:
            missing[target.backend] = "no ops bench for this backend"
            continue
        figures, filled = ops.run_backend(target, rows)
        print(f"\n{target.backend}: " + "; ".join(ops.versions(target)), file=out)
        print(
            f"filled {rows:,} rows in {filled:.0f} s (not timed below); each operation in "
            "a child process, timed alone; peak RSS of its process tree",
            file=out,
        )
        ops.table(figures, out)
    report.skipped(missing, out)
    return not missing


def _rls(args: argparse.Namespace, command: str, out: TextIO) -> bool:
    rounds = args.rounds or (3 if args.quick else 11)
    ops = args.ops or (20 if args.quick else 60)
    _positive(parser(), rounds, ops)
    what = (
        f"rounds: {rounds} (+1 warm-up), per round, side and case: {ops} calls; PostgreSQL "
        "as a NOSUPERUSER NOBYPASSRLS role, pool_size=1"
    )
    report.header(command, Plan(rounds, ops, 0), out, what)
    missing: dict[str, str] = {}
    for target in _targets(args, ["postgresql"], missing):
        figures = rls.run_rls(target, args.modes, rounds, ops)
        rls.table(figures, target.backend, out)
    report.skipped(missing, out)
    return not missing


SUITE_RUNNERS: dict[str, Callable[[argparse.Namespace, str, TextIO], bool]] = {
    "crud": _crud,
    "history": _history,
    "bulk": _bulk,
    "factories": _factories,
    "http": _http,
    "storage": _storage,
    "ui": _ui,
    "versions": _versions,
    "ops": _ops,
    "partitions": _partitions,
    "instructions": _instructions,
    "rls": _rls,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(args_list)
    out = out or sys.stdout
    command = " ".join(["python -m bench", *args_list])
    started = time.perf_counter()
    ok = SUITE_RUNNERS[args.suite](args, command, out)
    print(f"({time.perf_counter() - started:.0f} s; {clock.load()} at the end)", file=out)
    return 1 if args.check and not ok else 0
