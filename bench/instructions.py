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
_TOTAL = re.compile(rb"^(?:summary|totals): (\d+)", re.MULTILINE)


def count(op: str, n: int, src: str, scratch: Path) -> int:
    """Total instructions of one worker run (``n`` operations after the warm-up)."""
    out = scratch / f"callgrind.{op}.{n}.out"
    db = scratch / f"{op}.{n}.sqlite"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "0"}
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         sys.executable, "-m", "bench.instructions_worker", op, str(n), str(db)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    found = _TOTAL.search(out.read_bytes())
    if found is None:
        raise RuntimeError(f"no instruction total in {out}")
    return int(found.group(1))


def per_op(op: str, n: int, src: str, scratch: Path) -> float:
    return (count(op, 2 * n, src, scratch) - count(op, n, src, scratch)) / n


def run(
    ops: Sequence[str], n: int, new_src: str, old_src: str | None, command: str, out: TextIO
) -> bool:
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed", file=out)
        return False
    print(f"$ {command}", file=out)
    print(f"sync storied on SQLite (sqlite3), instructions per operation: ({2 * n} - {n}) "
          f"operations ÷ {n}, after a warm-up, PYTHONHASHSEED=0, gc frozen", file=out)
    if old_src:
        print(f"{'op':8} {'old':>12} {'new':>12} {'change':>8}", file=out)
    else:
        print(f"{'op':8} {'new':>12}", file=out)
    with tempfile.TemporaryDirectory(prefix="storied-callgrind-") as tmp:
        for op in ops:
            new = per_op(op, n, new_src, Path(tmp))
            if old_src is None:
                print(f"{op:8} {new:12,.0f}", file=out)
                continue
            old = per_op(op, n, old_src, Path(tmp))
            print(f"{op:8} {old:12,.0f} {new:12,.0f} {(new - old) / old:+8.1%}", file=out)
    return True
