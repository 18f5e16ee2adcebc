"""``python -m bench``: options, the run over the chosen backends, the report."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from . import report
from .runner import MODES, Measured, Plan, run_target
from .targets import BACKENDS, SERVERS, Unreachable, scratch

DEFAULT = Plan(rounds=21, ops=80, rows=1000)
QUICK = Plan(rounds=5, ops=30, rows=1000)


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
    p.add_argument(
        "--backends",
        type=lambda v: _names(v, BACKENDS, "--backends"),
        default=list(BACKENDS),
        help="comma-separated: sqlite,postgresql,mysql (default: all)",
    )
    p.add_argument(
        "--modes",
        type=lambda v: _names(v, MODES, "--modes"),
        default=list(MODES),
        help="comma-separated: sync,async (default: both)",
    )
    p.add_argument("--rounds", type=int, help=f"timed rounds (default {DEFAULT.rounds})")
    p.add_argument("--ops", type=int, help=f"operations per side and round (default {DEFAULT.ops})")
    p.add_argument(
        "--rows", type=int, default=DEFAULT.rows, help="rows a list reads (default 1000)"
    )
    p.add_argument(
        "--quick", action="store_true", help=f"{QUICK.rounds} rounds of {QUICK.ops} ops (< 30 s)"
    )
    p.add_argument("--postgresql-url", default=SERVERS["postgresql"], help="server to use")
    p.add_argument("--mysql-url", default=SERVERS["mysql"], help="server to use")
    p.add_argument("--show-sql", action="store_true", help="print both sides' statements")
    p.add_argument("--check", action="store_true", help="exit 1 if a ratio misses the budget")
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(args_list)
    out = out or sys.stdout
    base = QUICK if args.quick else DEFAULT
    plan = Plan(
        rounds=args.rounds or base.rounds,
        ops=args.ops or base.ops,
        rows=args.rows,
    )
    if plan.rounds < 1 or plan.ops < 1 or plan.rows < 1:
        parser().error("--rounds, --ops and --rows must be positive")
    command = " ".join(["python -m bench", *args_list])
    report.header(command, plan, out)
    servers = {"postgresql": args.postgresql_url, "mysql": args.mysql_url}
    results: list[Measured] = []
    versions: dict[str, str] = {}
    missing: dict[str, str] = {}
    shown: dict[str, tuple[list[str], list[str]]] = {}
    started = time.perf_counter()
    for backend in args.backends:
        try:
            with scratch(backend, servers.get(backend)) as target:
                run = run_target(target, args.modes, plan)
        except Unreachable as exc:
            missing[backend] = str(exc)
            continue
        results += run.results
        versions[backend] = run.server
        shown.update(run.statements)
    if results:
        report.table(results, versions, plan.rows, out)
    report.skipped(missing, out)
    print(f"({time.perf_counter() - started:.0f} s)", file=out)
    if args.show_sql:
        report.statements(shown, out)
    over = [r for r in results if r.ratio > report.BUDGET]
    return 1 if args.check and (over or missing) else 0
