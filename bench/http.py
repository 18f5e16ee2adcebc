"""``python -m bench http``: storied's generated router against a hand-written FastAPI endpoint
doing the same with the raw driver (asyncpg), through one uvicorn server on loopback and one
httpx client, in interleaved rounds (which side goes first alternates)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import httpx

from storied import Database

from .clock import micros
from .http_app import TENANT
from .models import StockNone
from .targets import Target

OPS = ("get", "list", "create", "patch")
BUDGET = 1.3
SEED = 200


@dataclass
class Timed:
    op: str
    gen: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    #: the server process's CPU seconds per request, per round
    gen_cpu: list[float] = field(default_factory=list)
    raw_cpu: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(g / r for g, r in zip(self.gen, self.raw, strict=True))


def server_cpu(pid: int) -> float:
    """CPU seconds the process ``pid`` has run, all its threads (Linux schedstat, ns)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


@contextmanager
def serving(storied_url: str, dsn: str) -> Iterator[tuple[str, int]]:
    """uvicorn serving :func:`bench.http_app.make_app` in a process of its own (a server
    thread would share the client's GIL and measure the contention), stopped after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "bench.http_app", storied_url, dsn, str(port)]
    server = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError("the bench server exited")
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=15)


def _seed(url: str) -> list[str]:
    with Database(url) as db:
        db.create_all([StockNone])
        repo = db.repository(StockNone, tenant_id=TENANT, actor="seed")
        rows = repo.create_many(
            {"sku": f"S{i}", "name": f"item {i}", "price": Decimal("9.99"), "stock": i}
            for i in range(SEED)
        )
        other = db.repository(StockNone, tenant_id=uuid.uuid4(), actor="seed")
        other.create_many({"sku": f"S{i}", "name": "x", "price": Decimal(1)} for i in range(50))
        return [str(r.id) for r in rows]


def _workloads(
    client: httpx.AsyncClient, side: str, ids: list[str]
) -> dict[str, Callable[[int], Awaitable[None]]]:
    base = f"/{side}/items"

    async def get(i: int) -> None:
        r = await client.get(f"{base}/{ids[i % len(ids)]}")
        assert r.status_code == 200, r.text

    async def list_100(i: int) -> None:
        r = await client.get(base, params={"limit": 100})
        assert r.status_code == 200, r.text
        assert len(r.json()["items"]) == 100

    async def create(i: int) -> None:
        body = {"sku": f"{side}-{uuid.uuid4().hex}", "name": "new", "price": "1.50"}
        r = await client.post(base, json=body)
        assert r.status_code == 201, r.text

    async def patch(i: int) -> None:
        r = await client.patch(f"{base}/{ids[i % len(ids)]}", json={"stock": i})
        assert r.status_code == 200, r.text

    return {"get": get, "list": list_100, "create": create, "patch": patch}


async def _drive(base: str, pid: int, ids: list[str], rounds: int, ops: int) -> list[Timed]:
    results = {op: Timed(op) for op in OPS}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        sides = {s: _workloads(client, s, ids) for s in ("gen", "raw")}
        for round_ in range(rounds + 1):  # round 0 warms both sides up
            for op in OPS:
                n = max(1, ops // 5) if op == "list" else ops
                order = ("gen", "raw") if round_ % 2 else ("raw", "gen")
                for side in order:
                    fn = sides[side][op]
                    cpu = server_cpu(pid)
                    start = time.perf_counter()
                    for i in range(n):
                        await fn(i)
                    per_op = (time.perf_counter() - start) / n
                    if round_:
                        getattr(results[op], side).append(per_op)
                        getattr(results[op], f"{side}_cpu").append((server_cpu(pid) - cpu) / n)
    return list(results.values())


def run_http(target: Target, rounds: int, ops: int) -> list[Timed]:
    url = target.storied_url("sync")
    ids = _seed(url)
    dsn = target.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with serving(target.storied_url("async"), dsn) as (base, pid):
        return asyncio.run(_drive(base, pid, ids, rounds, ops))


def report(results: list[Timed], out: TextIO) -> bool:
    head = f"{'operation':<10} {'generated':>12} {'hand-written':>13} {'ratio':>7}  budget"
    print(f"{head}  {'generated CPU':>14} {'hand-written CPU':>17}", file=out)
    for r in results:
        gen = statistics.median(r.gen) * 1e6
        raw = statistics.median(r.raw) * 1e6
        verdict = "ok" if r.ratio <= BUDGET else "MISS"
        label = "list 100" if r.op == "list" else r.op
        cpu = f"{micros(r.gen_cpu):>11.0f} µs {micros(r.raw_cpu):>14.0f} µs"
        line = f"{label:<10} {gen:>9.0f} µs {raw:>10.0f} µs {r.ratio:>6.2f}x  {verdict:<6}  {cpu}"
        print(line, file=out)
    print(f"budget: ratio <= {BUDGET}x (median over rounds of generated / hand-written)", file=out)
    print("CPU = the server process's CPU per request (all threads), median over rounds", file=out)
    return all(r.ratio <= BUDGET for r in results)
