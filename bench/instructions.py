"""``python -m bench instructions``: instructions per operation, counted by callgrind.

CPU time on a shared machine moves by several percent from one run to the next; an
instruction count does not (valgrind's callgrind counts the same for the same program, inputs
and environment, whatever else runs). Per driver, operation and storied version, the worker
(:mod:`bench.instructions_worker`) runs twice under callgrind, each on a scratch database of
its own, with ``N`` and with ``2N`` operations after the same warm-up; the difference divided
by ``N`` is one operation's instructions in the client process (storied, SQLAlchemy, the
driver; a server's own work is not in it), start-up, imports and seeding cancelled out. Hash
randomisation is off (``PYTHONHASHSEED=0``) so both runs take the same paths. What remains
is small: SQLite's B-tree work depends on the random ids (about ±1% on a create).

Instructions are not time (a cache miss costs more than an add), but a change in the count of
the same workload is a change in the work done, which is what a before/after question asks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from .targets import DRIVER_LABELS, DRIVERS, Unreachable, scratch

ROOT = Path(__file__).resolve().parents[1]
OPS = ("create", "get", "update")
#: set for a worker that instruments its Database (``--otel``)
OTEL_ENV = "STORIED_BENCH_OTEL"
_TOTAL = re.compile(rb"^(?:summary|totals): (\d+)", re.MULTILINE)


def count(
    op: str,
    n: int,
    src: str,
    backend: str,
    mode: str,
    server: str | None,
    otel: bool = False,
    system: tuple[str, int] = ("storied", 100),
) -> int:
    """Total instructions of one worker run (``n`` operations after the warm-up; ``otel``:
    with ``storied.otel.instrument`` on the SDK's providers, see the worker; ``system``: who
    runs the operation and how many rows are seeded)."""
    with (
        tempfile.TemporaryDirectory(prefix="storied-callgrind-") as tmp,
        scratch(backend, server) as target,
    ):
        out = Path(tmp) / "callgrind.out"
        url = target.url.render_as_string(hide_password=False)
        env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "0"}
        env[OTEL_ENV] = "1" if otel else ""
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-m", "bench.instructions_worker", op, str(n), backend, mode, url,
             system[0], str(system[1])],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        found = _TOTAL.search(out.read_bytes())
    if found is None:
        raise RuntimeError(f"no instruction total in {out}")
    return int(found.group(1))


def per_op(
    op: str,
    n: int,
    src: str,
    backend: str,
    mode: str,
    server: str | None,
    jobs: int,
    otel: bool = False,
    system: tuple[str, int] = ("storied", 100),
) -> float:
    with ThreadPoolExecutor(max_workers=min(jobs, 2)) as pool:
        twice, once = pool.map(
            lambda k: count(op, k, src, backend, mode, server, otel, system), (2 * n, n)
        )  # fmt: skip
    return (twice - once) / n


#: ``--rows``: lists of models and plain rows, beside the raw driver's list and the raw
#: driver's list validated into the model (bench.validated)
LIST_SYSTEMS = (("raw", "list"), ("validated", "list"), ("storied", "list"), ("storied", "rows"))


def run_lists(
    plan: Sequence[tuple[str, str]],
    rows: int,
    n: int,
    src: str,
    servers: dict[str, str],
    command: str,
    out: TextIO,
    jobs: int = 2,
) -> bool:
    """Per driver: instructions per list of ``rows`` rows of the raw driver, the raw driver +
    validation, storied's models and storied's plain rows, and storied's ratios to them."""
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed", file=out)
        return False
    print(f"$ {command}", file=out)
    print(f"instructions per list of {rows} rows in the client process: ({2 * n} - {n}) lists "
          f"÷ {n}, after a warm-up, PYTHONHASHSEED=0, gc frozen", file=out)  # fmt: skip
    print(f"{'driver':10} {'raw':>12} {'raw+valid.':>12} {'models':>12} {'plain rows':>12} "
          f"{'models ÷ raw+valid.':>19} {'rows ÷ raw':>10}", file=out)  # fmt: skip
    ok = True
    for backend, mode in plan:
        driver = DRIVER_LABELS[DRIVERS[(backend, mode)]]
        try:
            raw, valid, models, plain = (
                per_op(op, n, src, backend, mode, servers.get(backend), jobs, False, (who, rows))
                for who, op in LIST_SYSTEMS
            )
        except Unreachable as exc:
            print(f"{driver:10} skipped: {exc}", file=out)
            ok = False
            continue
        print(f"{driver:10} {raw:12,.0f} {valid:12,.0f} {models:12,.0f} {plain:12,.0f} "
              f"{models / valid:18.2f}x {plain / raw:9.2f}x", file=out, flush=True)  # fmt: skip
    return ok


def run(
    plan: Sequence[tuple[str, str]],
    ops: Sequence[str],
    n: int,
    new_src: str,
    old_src: str | None,
    servers: dict[str, str],
    command: str,
    out: TextIO,
    jobs: int = 2,
    otel: bool = False,
) -> bool:
    """``plan``: (backend, mode) pairs. Per operation: the new storied's instructions, beside
    the old one's (``old_src``), or beside its own with ``storied.otel`` instrumenting it
    (``otel``). True when every driver was reachable."""
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed", file=out)
        return False
    print(f"$ {command}", file=out)
    print(f"instructions per operation in the client process: ({2 * n} - {n}) operations "
          f"÷ {n}, after a warm-up, PYTHONHASHSEED=0, gc frozen", file=out)  # fmt: skip
    if otel:
        print(f"{'driver':10} {'op':8} {'otel off':>12} {'otel on':>12} {'change':>8}", file=out)
    elif old_src:
        print(f"{'driver':10} {'op':8} {'old':>12} {'new':>12} {'change':>8}", file=out)
    else:
        print(f"{'driver':10} {'op':8} {'new':>12}", file=out)
    ok = True
    for backend, mode in plan:
        driver = DRIVER_LABELS[DRIVERS[(backend, mode)]]
        server = servers.get(backend)
        for op in ops:
            try:
                new = per_op(op, n, new_src, backend, mode, server, jobs, otel)
                base = old_src or new_src if otel else old_src
                old = per_op(op, n, base, backend, mode, server, jobs) if base else None
            except Unreachable as exc:
                print(f"{driver:10} skipped: {exc}", file=out)
                ok = False
                break
            if old is None:
                print(f"{driver:10} {op:8} {new:12,.0f}", file=out, flush=True)
            else:
                change = (new - old) / old
                print(f"{driver:10} {op:8} {old:12,.0f} {new:12,.0f} {change:+8.1%}",
                      file=out, flush=True)  # fmt: skip
    return ok
