"""``python -m bench versions --old-src DIR``: one storied against another, per driver.

Issue 8's criterion ("get must not slow down by more than 3%") compares two versions of storied,
which cannot share a process. Each system runs in a process of its own (:mod:`bench.worker`):
the old storied (``--old-src``, e.g. a ``git worktree`` of the old commit's ``src``), the new
one (``--new-src``, default: the storied this process imports) and the raw driver, each on its
own scratch database that it seeds itself (so each version also writes its own schema, indexes
included). Rounds are interleaved: per operation, every process runs a batch in turn, rotating
which goes first. Per round, new / old is taken from the two batches run back to back; the table
gives its median and interquartile range, for CPU time (the process's own, which other load
disturbs far less) and wall time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from .clock import Timed, load, spread
from .report import render
from .runner import rotation
from .targets import BACKENDS, DRIVER_LABELS, DRIVERS, Target, Unreachable, scratch

OPS = ("create", "get", "update")
SYSTEMS = ("old", "new", "raw")
#: issue 8: no single-row operation more than 3% slower than before
BUDGET = 0.03
ROOT = Path(__file__).resolve().parents[1]


class Worker:
    """A :mod:`bench.worker` process: one system, one driver, its own database."""

    def __init__(self, system: str, src: str, target: Target, mode: str, rows: int) -> None:
        plain = target.url.render_as_string(hide_password=False)
        env = {**os.environ, "PYTHONPATH": src}
        command = [sys.executable, "-m", "bench.worker", system, target.backend, plain, mode]
        self.process = subprocess.Popen(
            [*command, str(rows)], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        self._answer()

    def _answer(self) -> dict[str, Any]:
        out: IO[str] | None = self.process.stdout
        line = out.readline() if out else ""
        if not line:
            raise RuntimeError(f"bench worker exited ({self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def send(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def time(self, op: str, n: int) -> Timed:
        answer = self.send({"op": op, "n": n})
        return Timed(answer["wall"], answer["cpu"])

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()  # end of input ends the worker
        self.process.wait(timeout=60)


@dataclass
class Compared:
    """Per round and system, seconds per operation (wall and CPU)."""

    backend: str
    mode: str
    driver: str
    op: str
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def change(self, kind: str) -> tuple[float, float, float]:
        """new / old - 1, per round: the median and the interquartile range."""
        times = self.cpu if kind == "cpu" else self.wall
        ratios = [n / o - 1 for n, o in zip(times["new"], times["old"], strict=True)]
        low, high = spread(ratios)
        return statistics.median(ratios), low, high

    def us(self, kind: str, system: str) -> float:
        return statistics.median((self.cpu if kind == "cpu" else self.wall)[system]) * 1e6


@contextmanager
def workers(
    sources: dict[str, str], targets: dict[str, Target], mode: str, rows: int
) -> Iterator[dict[str, Worker]]:
    with ExitStack() as stack:
        started: dict[str, Worker] = {}
        for system, src in sources.items():
            worker = Worker(
                "raw" if system == "raw" else "storied", src, targets[system], mode, rows
            )
            stack.callback(worker.close)
            started[system] = worker
        yield started


def compare(
    sources: dict[str, str], targets: dict[str, Target], mode: str, rounds: int, ops: int
) -> list[Compared]:
    backend = next(iter(targets.values())).backend
    label = (backend, mode, DRIVER_LABELS[DRIVERS[(backend, mode)]])
    results = {op: Compared(*label, op) for op in OPS}
    with workers(sources, targets, mode, rows=max(ops, 100)) as running:
        named = list(running.items())
        for op in OPS:  # warm-up
            for _, worker in named:
                worker.time(op, ops)
        for _, worker in named:
            worker.send({"op": "freeze"})
        for round_no in range(rounds):
            for op in OPS:
                for system, worker in rotation(named, round_no):
                    timed = worker.time(op, ops).per(ops)
                    results[op].wall.setdefault(system, []).append(timed.wall)
                    results[op].cpu.setdefault(system, []).append(timed.cpu)
    return list(results.values())


def _pct(value: float) -> str:
    return f"{value:+.1%}"


def table(results: Sequence[Compared], out: TextIO) -> bool:
    columns = ("backend", "mode", "driver", "op", "raw CPU µs", "old CPU µs", "new CPU µs")
    columns += ("CPU change (IQR)", "old wall µs", "new wall µs", "wall change (IQR)", "≤ 3%")
    lines = []
    ok = True
    for r in results:
        cpu, cpu_low, cpu_high = r.change("cpu")
        wall, wall_low, wall_high = r.change("wall")
        verdict = cpu <= BUDGET
        ok = ok and verdict
        lines.append(
            (
                r.backend, r.mode, r.driver, r.op,
                f"{r.us('cpu', 'raw'):,.1f}", f"{r.us('cpu', 'old'):,.1f}",
                f"{r.us('cpu', 'new'):,.1f}",
                f"{_pct(cpu)} ({_pct(cpu_low)} … {_pct(cpu_high)})",
                f"{r.us('wall', 'old'):,.1f}", f"{r.us('wall', 'new'):,.1f}",
                f"{_pct(wall)} ({_pct(wall_low)} … {_pct(wall_high)})",
                "ok" if verdict else "MISS",
            )
        )  # fmt: skip
    render(columns, lines, range(4, 11), out)
    return ok


NOTES = """\
change = median over rounds of new / old - 1, old and new timed back to back in each round
(IQR: 25th … 75th percentile of the per-round values); CPU µs = the worker process's own CPU per
operation, median over rounds (the client's share: a server's work shows in wall time only).
Each system in its own process and its own scratch database, seeded by the storied it runs
(the raw driver's by the new one). The verdict reads the CPU change: wall time moves with the
machine's other load."""


def run(args: Any, command: str, out: TextIO) -> bool:
    """The ``versions`` suite: every backend and mode asked for, old against new."""
    import storied

    new_src = args.new_src or str(Path(storied.__file__).resolve().parents[1])
    sources = {"old": str(Path(args.old_src).resolve()), "new": new_src, "raw": new_src}
    rounds, ops = args.rounds or (5 if args.quick else 21), args.ops or (30 if args.quick else 200)
    print(f"command: {command}", file=out)
    print(f"old storied: {sources['old']}; new storied: {sources['new']}", file=out)
    print(f"rounds: {rounds} (+1 warm-up), per round and system: {ops} of each op", file=out)
    print(f"machine: {load()} (at the start)", file=out)
    servers = {"postgresql": args.postgresql_url, "mysql": args.mysql_url}
    results: list[Compared] = []
    missing: dict[str, str] = {}
    for backend in args.backends or BACKENDS:
        try:
            with ExitStack() as stack:
                targets = {
                    s: stack.enter_context(scratch(backend, servers.get(backend))) for s in SYSTEMS
                }
                for mode in args.modes:
                    results += compare(sources, targets, mode, rounds, ops)
        except Unreachable as exc:
            missing[backend] = str(exc)
    ok = table(results, out) if results else True
    print(NOTES, file=out)
    for backend, reason in missing.items():
        print(f"SKIPPED {backend}: {reason}", file=out)
    return ok and not missing
