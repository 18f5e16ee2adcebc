"""``python -m bench ui``: server-side render time of the history browser's pages.

A copy_on_change record and an scd2 record, each with ``--changes`` change sets (10,000 by
default), and the same two with 10 in a tenant of their own; the app in-process (httpx over
ASGI, AsyncDatabase), so the figure is the server's own time: routing, the reads, the template.
Each page is rendered ``--ops`` times per round; rounds alternate the long and the short
record. Reported: the median wall ms per render, CPU ms per render (far less disturbed by
other load), and the ratio of the long record's time to the short one's. Pages read 50 change
sets at most, so that ratio is the page's content (50 rendered change sets against 10), not the
history's length.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

import httpx
from fastapi import FastAPI, Header

from storied import AsyncDatabase, Database, Field, FrozenClock, Model
from storied.api import Principal
from storied.ui import ui_router

from .report import render
from .targets import Target

BUDGET_MS = 100.0
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class BenchTool(Model, table="bench_ui_tools", history="copy_on_change"):
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    specs: dict[str, Any] = Field(default_factory=dict)


class BenchPage(Model, table="bench_ui_pages", history="scd2"):
    title: str = Field(max_length=200)
    body: str = ""
    score: float = 0.0


MODELS: list[type[Model]] = [BenchTool, BenchPage]
TENANT = uuid.UUID("00000000-0000-7000-8000-00000000b0b0")
#: the short records live in a tenant of their own, so its lists and feed are short too
SHORT_TENANT = uuid.UUID("00000000-0000-7000-8000-00000000b0b1")
PRINCIPALS = {
    str(t): Principal(actor="bench", tenant_id=t, roles=frozenset({"editor"}))
    for t in (TENANT, SHORT_TENANT)
}


@dataclass
class Rendered:
    backend: str
    page: str
    long: list[float] = field(default_factory=list)
    short: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.long) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    @property
    def ratio(self) -> float:
        return statistics.median(a / b for a, b in zip(self.long, self.short, strict=True))


def _write(db: Database, changes: int, tenant: uuid.UUID = TENANT) -> dict[str, Any]:
    """One record of each model with ``changes`` change sets, a second apart (each write its
    own transaction, as people's edits are); returns their ids."""
    clock = db.clock
    assert isinstance(clock, FrozenClock)
    tools = db.repository(BenchTool, tenant_id=tenant, actor="writer")
    pages = db.repository(BenchPage, tenant_id=tenant, actor="writer")
    tool = tools.create(BenchTool(sku="B1", name="hammer 0", price=Decimal(0), specs={"n": 0}))
    page = pages.create(BenchPage(title="title 0", body="words 0"))
    for i in range(1, changes):
        clock.advance(seconds=1)
        tools.update(tool.id, name=f"hammer {i}", price=Decimal(i), specs={"n": i})
        pages.update(page.id, title=f"title {i}", score=float(i))
    return {"tool": tool.id, "page": page.id}


def _paths(ids: dict[str, Any], changes: int) -> dict[str, str]:
    tool, page = ids["tool"], ids["page"]
    moment = (T0 + dt.timedelta(seconds=changes // 2)).strftime("%Y-%m-%dT%H:%M:%S")
    return {
        "record (copy_on_change)": f"/ui/bench_ui_tools/{tool}",
        "record (scd2)": f"/ui/bench_ui_pages/{page}",
        "record as of (scd2)": f"/ui/bench_ui_pages/{page}?as_of={moment}",
        "compare v1 and newest": f"/ui/bench_ui_pages/{page}/compare?a=1&b={changes}",
        "records list": "/ui/bench_ui_tools?deleted=include",
        "recent changes": "/ui/changes",
    }


def _caller(x_bench_tenant: str = Header()) -> Principal:
    return PRINCIPALS[x_bench_tenant]


def _app(db: AsyncDatabase) -> FastAPI:
    app = FastAPI()
    app.include_router(ui_router(db, models=MODELS, auth=_caller))
    return app


async def _measure(
    target: Target, tenants: dict[str, dict[str, str]], rounds: int, ops: int
) -> list[Rendered]:
    db = AsyncDatabase(target.storied_url("async"))
    await db.connect()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(db)), base_url="http://b")
    results = {name: Rendered(target.backend, name) for name in tenants["long"]}
    try:
        for n in range(rounds + 1):  # the first round warms up
            order = ("long", "short") if n % 2 else ("short", "long")
            for name, row in results.items():
                for side in order:
                    path = tenants[side][name]
                    headers = {"X-Bench-Tenant": str(TENANT if side == "long" else SHORT_TENANT)}
                    wall, cpu = time.perf_counter(), time.process_time()
                    for _ in range(ops):
                        r = await client.get(path, headers=headers)
                        assert r.status_code == 200, (path, r.status_code)
                    wall = (time.perf_counter() - wall) / ops
                    cpu = (time.process_time() - cpu) / ops
                    if n == 0:
                        continue
                    (row.long if side == "long" else row.short).append(wall)
                    if side == "long":
                        row.cpu.append(cpu)
    finally:
        await client.aclose()
        await db.close()
    return list(results.values())


def run_ui(target: Target, changes: int, rounds: int, ops: int) -> tuple[list[Rendered], float]:
    """Write the records (timed apart), then render each page; returns rows and write seconds."""
    clock = FrozenClock(T0)
    db = Database(target.storied_url("sync"), clock=clock).connect()
    started = time.perf_counter()
    try:
        db.create_all(MODELS)
        long = _paths(_write(db, changes), changes)
        clock.set(T0)
        short = _paths(_write(db, 10, SHORT_TENANT), 10)
    finally:
        db.close()
    built = time.perf_counter() - started
    return asyncio.run(_measure(target, {"long": long, "short": short}, rounds, ops)), built


def report(rows: Sequence[Rendered], changes: int, out: TextIO) -> bool:
    columns = ("backend", "page", "ms / render", "CPU ms", f"{changes:,} vs 10", "budget")
    lines = [
        (
            r.backend,
            r.page,
            f"{r.ms:.1f}",
            f"{r.cpu_ms:.1f}",
            f"{r.ratio:.2f}x",
            "ok" if r.ms <= BUDGET_MS else "MISS",
        )
        for r in rows
    ]
    render(columns, lines, (2, 3, 4), out)
    print(
        f"ms / render: median over rounds of the wall time of one render of the record with "
        f"{changes:,} change sets (in-process, AsyncDatabase); CPU ms: the same, process CPU "
        f"time; {changes:,} vs 10: that time over the same page's for a record with 10 change "
        f"sets. Budget: <= {BUDGET_MS:.0f} ms per render.",
        file=out,
    )
    return all(r.ms <= BUDGET_MS for r in rows)
