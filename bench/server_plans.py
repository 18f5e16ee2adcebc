"""The server's side of ``python -m bench partitions``: planning and execution times from
``EXPLAIN ANALYZE`` of the statements storied sends for ``get`` and ``as_of``, on both tables.

Wall times on a loaded machine mostly measure the load; the server's own times for the same
statement are steadier. Each statement is prepared (as psycopg does after five runs and
asyncpg at once) and explained ``runs`` times under a custom plan (planned for each run's
values, partitions pruned while planning) and under a generic one (planned once, partitions
pruned when it starts: ``Subplans Removed``); the figures are medians, in ms.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import uuid
from typing import Any, TextIO

from sqlalchemy.dialects.postgresql import asyncpg

from storied import Database
from storied.reads.rows import get_stmt
from storied.temporal.versions import as_of_end, as_of_stmt

from .report import render

#: compiles with $n placeholders, which PREPARE takes
NUMBERED = asyncpg.dialect()
MODES = ("force_custom_plan", "force_generic_plan", "auto")


def _explain(db: Database, stmt: Any, values: dict[str, Any], mode: str, runs: int) -> list[float]:
    """Median planning and execution ms, and the partition scans that ran (last run)."""
    compiled = stmt.compile(dialect=NUMBERED)
    params = compiled.construct_params(values)
    args = ", ".join(f"'{params[name]}'" for name in compiled.positiontup or [])
    plans: list[float] = []
    execs: list[float] = []
    scans = 0
    with db.engine.connect() as conn:
        conn.exec_driver_sql(f"SET plan_cache_mode = {mode}")
        conn.exec_driver_sql(f"PREPARE bench_plan AS {compiled}")
        try:
            for _ in range(runs):
                raw = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE bench_plan(" + args + ")"
                ).scalar_one()
                found = (json.loads(raw) if isinstance(raw, str) else raw)[0]
                plans.append(found["Planning Time"])
                execs.append(found["Execution Time"])
                scans = _ran(found["Plan"])
        finally:
            conn.exec_driver_sql("DEALLOCATE bench_plan")
            conn.exec_driver_sql("RESET plan_cache_mode")
    return [statistics.median(plans), statistics.median(execs), float(scans)]


def _ran(node: dict[str, Any]) -> int:
    if "Relation Name" in node:
        return 1 if node.get("Actual Loops", 0) > 0 else 0
    return sum(_ran(child) for child in node.get("Plans", []))


Side = tuple[str, Any, Any, Any, dt.datetime]
Found = list[tuple[str, str, str, list[float]]]


def measure(url: str, tenant: uuid.UUID, sides: list[Side], runs: int) -> Found:
    """``sides``: (label, model, partitions, an id, the as_of moment) per table."""
    out = []
    for label, model, partitions, id, moment in sides:
        with Database(url, history_partitions=partitions) as db:
            repo = db.repository(model, tenant_id=tenant)
            mapped = db.registry.mapped(model)
            shape, scope = repo.scope.shape, repo.scope.params()
            reads = {
                "get": (get_stmt(mapped, shape, "live", False), {"_id": id, **scope}),
            }
            at = {"_id": id, "_asof": moment, "_asof_end": as_of_end(moment), **scope}
            if partitions is None:
                reads["as_of"] = (as_of_stmt(mapped, shape, "live"), at)
            else:  # the first statement; the second runs only when it finds nothing
                reads["as_of"] = (as_of_stmt(mapped, shape, "live", "near"), at)
                reads["as_of far"] = (as_of_stmt(mapped, shape, "live", "far"), at)
            for read, (stmt, values) in reads.items():
                for mode in MODES:
                    out.append((read, mode, label, _explain(db, stmt, values, mode, runs)))
    return out


def table(found: Found, runs: int, out: TextIO) -> None:
    columns = ("read", "plan", "table", "planning ms", "execution ms", "total ms", "scans run")
    lines = [
        (
            read,
            mode.split("_")[1] if "_" in mode else mode,
            label,
            f"{p:.3f}",
            f"{e:.3f}",
            f"{p + e:.3f}",
            f"{s:.0f}",
        )
        for read, mode, label, (p, e, s) in found
    ]
    print(f"Server side: EXPLAIN ANALYZE, median of {runs} runs per row:", file=out)
    render(columns, lines, (3, 4, 5, 6), out)
