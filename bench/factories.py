"""``python -m bench factories``: objects built by a factory, and rows created through one.

Build: ``factory(Model).batch(n)`` (default 10,000 objects) against polyfactory's own
``ModelFactory.batch`` for the same model, the figure storied's rules (names, uniqueness,
bookkeeping) add to. Create: ``create_batch(repo, batch)`` until ``rows`` rows (default
100,000) are in the table, timed as a whole (building included), beside the build alone.
Medians of the rounds; absolute figures vary with the machine's load, the ratio less.
"""

from __future__ import annotations

import statistics
import time
import uuid
from dataclasses import dataclass
from typing import TextIO

from polyfactory.factories.pydantic_factory import ModelFactory

from storied import Database
from storied.testing import factory

from .models import StockNone
from .targets import Target


@dataclass(frozen=True, slots=True)
class FactoryPlan:
    objects: int = 10_000
    rows: int = 100_000
    batch: int = 5_000
    rounds: int = 3


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def build_figures(plan: FactoryPlan) -> tuple[float, float]:
    """Median seconds to build ``plan.objects``: storied's factory, plain polyfactory."""
    plain = ModelFactory.create_factory(StockNone, __random_seed__=1)
    ours: list[float] = []
    theirs: list[float] = []
    for i in range(plan.rounds):
        made = factory(StockNone, seed=i)
        ours.append(_timed(lambda made=made: made.batch(plan.objects)))
        theirs.append(_timed(lambda: plain.batch(plan.objects)))
    return statistics.median(ours), statistics.median(theirs)


def create_figure(target: Target, plan: FactoryPlan) -> float:
    """Median seconds to create ``plan.rows`` rows with ``create_batch`` (build included)."""
    times: list[float] = []
    with Database(target.storied_url("sync")) as db:
        db.create_all([StockNone])
        try:
            for i in range(plan.rounds):
                repo = db.repository(StockNone, tenant_id=uuid.uuid4(), actor="bench")
                made = factory(StockNone, seed=i)

                def load(made: object = made, repo: object = repo) -> None:
                    for start in range(0, plan.rows, plan.batch):
                        size = min(plan.batch, plan.rows - start)
                        made.create_batch(repo, size)  # type: ignore[attr-defined]

                times.append(_timed(load))
                assert db.repository(StockNone, unscoped=True).count() == plan.rows * (i + 1)
        finally:
            db.drop_all([StockNone])
    return statistics.median(times)


def report(
    plan: FactoryPlan, built: tuple[float, float], created: dict[str, float], out: TextIO
) -> None:
    ours, theirs = built
    n = plan.objects
    print(f"build {n:,} objects (median of {plan.rounds}):", file=out)
    print(f"  storied factory     {ours:8.2f} s   {n / ours:10,.0f} objects/s", file=out)
    print(f"  plain polyfactory   {theirs:8.2f} s   {n / theirs:10,.0f} objects/s", file=out)
    print(f"  ratio               {ours / theirs:8.2f}x", file=out)
    for backend, seconds in created.items():
        print(
            f"create {plan.rows:,} rows into {backend} with create_batch({plan.batch:,}), "
            f"build included: {seconds:.2f} s, {plan.rows / seconds:,.0f} rows/s",
            file=out,
        )
