"""``python -m bench instructions``: instructions per operation, counted by callgrind.

CPU time on a shared machine moves by several percent from one run to the next; an
instruction count does not (valgrind's callgrind counts the same for the same program, inputs
and environment, whatever else runs). Per operation and per storied version, the worker
(:mod:`bench.instructions_worker`, sync storied on a SQLite file) runs twice under callgrind,
with ``N`` and with ``2N`` operations after the same warm-up; the difference divided by ``N``
is one operation's instructions, start-up, imports and seeding cancelled out. Hash
randomisation is off (``PYTHONHASHSEED=0``) so both runs take the same paths.

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
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
OPS = ("create", "get", "update")
#: set for a worker that instruments its Database (``--otel``)
OTEL_ENV = "STORIED_BENCH_OTEL"
_TOTAL = re.compile(rb"^(?:summary|totals): (\d+)", re.MULTILINE)


def count(op: str, n: int, src: str, scratch: Path, otel: bool = False) -> int:
    """Total instructions of one worker run (``n`` operations after the warm-up; ``otel``:
    with ``storied.otel.instrument`` on the SDK's providers, see the worker)."""
    out = scratch / f"callgrind.{op}.{n}.{otel}.out"
    db = scratch / f"{op}.{n}.{otel}.sqlite"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "0"}
    env[OTEL_ENV] = "1" if otel else ""
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         sys.executable, "-m", "bench.instructions_worker", op, str(n), str(db)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    found = _TOTAL.search(out.read_bytes())
    if found is None:
        raise RuntimeError(f"no instruction total in {out}")
    return int(found.group(1))


def per_op(op: str, n: int, src: str, scratch: Path, otel: bool = False) -> float:
    return (count(op, 2 * n, src, scratch, otel) - count(op, n, src, scratch, otel)) / n


def run(
    ops: Sequence[str],
    n: int,
    new_src: str,
    old_src: str | None,
    command: str,
    out: TextIO,
    otel: bool = False,
) -> bool:
    """Per operation: the new storied's instructions, beside the old one's (``old_src``), or
    beside its own with ``storied.otel`` instrumenting it (``otel``)."""
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed", file=out)
        return False
    print(f"$ {command}", file=out)
    print(
        f"sync storied on SQLite (sqlite3), instructions per operation: ({2 * n} - {n}) "
        f"operations ÷ {n}, after a warm-up, PYTHONHASHSEED=0, gc frozen",
        file=out,
    )
    if otel:
        print(f"{'op':8} {'otel off':>12} {'otel on':>12} {'change':>8}", file=out)
    elif old_src:
        print(f"{'op':8} {'old':>12} {'new':>12} {'change':>8}", file=out)
    else:
        print(f"{'op':8} {'new':>12}", file=out)
    with tempfile.TemporaryDirectory(prefix="storied-callgrind-") as tmp:
        for op in ops:
            new = per_op(op, n, new_src, Path(tmp), otel)
            if old_src is None and not otel:
                print(f"{op:8} {new:12,.0f}", file=out)
                continue
            old = per_op(op, n, old_src or new_src, Path(tmp))
            print(f"{op:8} {old:12,.0f} {new:12,.0f} {(new - old) / old:+8.1%}", file=out)
    return True
