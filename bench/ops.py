"""``python -m bench ops``: CSV export and backup of many rows — rows/s, CPU and peak RSS.

The table is filled once per backend (not timed). Each operation then runs in a process of
its own (bench/ops_worker.py), which times the operation alone and reports its CPU time with
that of the programs it runs (``pg_dump``); the parent samples the peak RSS (VmHWM) of that
process tree from /proc. ``iterate()`` (every row read as a validated model, in batches) and
the export also run on a tenth of the rows: flat memory shows as the same peak RSS at both
sizes.

Baselines: ``pg_dump -Fc`` and ``COPY … TO STDOUT (FORMAT csv)`` (psycopg) on PostgreSQL;
sqlite3's backup API on SQLite.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import sqlalchemy as sa

from storied import Database

from .ops_model import OpsRow
from .targets import Target

ROOT = Path(__file__).resolve().parents[1]
OPS = {
    "sqlite": ["iterate", "export_csv", "backup_portable", "backup_native", "sqlite_backup_api"],
    "postgresql": [
        "iterate",
        "export_csv",
        "copy_to",
        "backup_portable",
        "backup_native",
        "pg_dump",
    ],
}
#: also run on a tenth of the rows: the same peak RSS at both sizes is flat memory
STREAMED = ("iterate", "export_csv")
BASELINE = {"sqlite": "sqlite_backup_api", "postgresql": "pg_dump"}
LABELS = {
    "iterate": "storied iterate() to models",
    "export_csv": "storied export_csv (zip of CSV)",
    "copy_to": "COPY TO STDOUT csv (psycopg)",
    "backup_portable": "storied backup portable",
    "backup_native": "storied backup native",
    "pg_dump": "pg_dump -Fc",
    "sqlite_backup_api": "sqlite3 backup API",
}


@dataclass(frozen=True, slots=True)
class Figure:
    backend: str
    op: str
    rows: int
    #: the operation alone (the child's imports excluded), and its CPU time with its programs'
    wall: float
    cpu: float
    #: the highest sum of VmHWM over the child and its programs, sampled every 20 ms
    rss_mib: float
    size: int

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.wall

    @property
    def cpu_us_per_row(self) -> float:
        return self.cpu * 1e6 / self.rows


def fill(url: sa.URL, rows: int, seed: int = 10_000) -> float:
    """``rows`` rows of OpsRow (``seed`` through create_many, then doubled in SQL); seconds."""
    start = time.perf_counter()
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with Database(url) as db:
        db.drop_all([OpsRow])
        db.create_all([OpsRow])
        repo = db.repository(OpsRow, actor="bench")
        repo.create_many(
            OpsRow(
                name=f"row {i}",
                amount=Decimal(i % 100_000) / 100,
                at=t0 + dt.timedelta(seconds=i),
                qty=i % 7,
            )
            for i in range(min(rows, seed))
        )
        table = db.registry.mapped(OpsRow).table
        cols = [c for c in table.columns if c.name != "id" and c.computed is None]
        count = sa.select(sa.func.count()).select_from(table)
        with db.engine.begin() as conn:
            while (have := conn.execute(count).scalar_one()) < rows:
                conn.execute(table.insert().from_select(cols, sa.select(*cols).limit(rows - have)))
    return time.perf_counter() - start


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):  # the process has ended
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return found


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(backend: str, op: str, rows: int, url: sa.URL, out: Path) -> Figure:
    """One operation in a child process: its timings, and the peak RSS of its process tree."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    args = [
        sys.executable,
        "-m",
        "bench.ops_worker",
        op,
        url.render_as_string(hide_password=False),
        str(out),
    ]
    seen: dict[int, int] = {}
    peak = 0
    with subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
        while child.poll() is None:
            for pid in _tree(child.pid):
                seen[pid] = max(seen.get(pid, 0), _hwm_kib(pid))
            peak = max(peak, sum(seen[p] for p in _tree(child.pid) if p in seen))
            time.sleep(0.02)
        stdout = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        raise RuntimeError(f"bench ops: {op} failed (exit {child.returncode})")
    timing = json.loads(stdout.strip().splitlines()[-1])
    size = out.stat().st_size if out.exists() else 0
    out.unlink(missing_ok=True)
    return Figure(backend, op, rows, timing["wall"], timing["cpu"], peak / 1024, size)


def run_backend(target: Target, rows: int) -> tuple[list[Figure], float]:
    url = target.url
    with tempfile.TemporaryDirectory(prefix="storied-bench-ops-") as tmp:
        out = Path(tmp) / "out"
        small = max(1, rows // 10)
        fill(url, small)
        figures = [measure(target.backend, op, small, url, out) for op in STREAMED]
        filled = fill(url, rows)
        for op in OPS[target.backend]:
            figures.append(measure(target.backend, op, rows, url, out))
    return figures, filled


def versions(target: Target) -> Iterator[str]:
    yield f"Python {sys.version.split()[0]}, SQLAlchemy {sa.__version__}"
    if target.backend == "sqlite":
        import sqlite3

        yield f"SQLite {sqlite3.sqlite_version}"
        return
    with Database(target.url) as db:
        yield str(db.fetch_value("SELECT version()")).split(" on ")[0]
    found = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=False)
    yield found.stdout.strip()


def table(figures: list[Figure], out: TextIO) -> None:
    head = (
        "backend",
        "operation",
        "rows",
        "s",
        "rows/s",
        "CPU µs/row",
        "peak RSS",
        "speed vs base",
    )
    lines = [head]
    for f in figures:
        base = next(
            (
                g
                for g in figures
                if g.backend == f.backend and g.op == BASELINE[f.backend] and g.rows == f.rows
            ),
            None,
        )
        ratio = f"{base.wall / f.wall:.2f}x" if base is not None else "-"
        lines.append(
            (
                f.backend,
                LABELS[f.op],
                f"{f.rows:,}",
                f"{f.wall:.2f}",
                f"{f.rows_per_s:,.0f}",
                f"{f.cpu_us_per_row:.2f}",
                f"{f.rss_mib:.0f} MiB",
                ratio,
            )
        )
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    for r in lines:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip(), file=out)
