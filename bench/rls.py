"""``python -m bench rls``: what Row-Level Security costs, on PostgreSQL (psycopg, asyncpg).

Two storied Databases on one scratch database, both connected as the same login role (neither
superuser nor BYPASSRLS, so the policies apply): one with ``row_level_security=True`` over a
table that has the policy, one without over a table of the same shape that has none. In
interleaved rounds each side runs get, create and update, in three scopes:

- ``one tenant``: every call of a round in one tenant (an application's common case: the
  session holds the scope already, so storied sends no ``set_config``; the cost is the
  policy's own predicate, evaluated by the server);
- ``two tenants``: consecutive calls alternate between two tenants on one pooled connection
  (pool_size=1), so each call first sets the session's scope: one more round trip;
- ``list``: a query of 50 rows in one tenant (the policy's predicate runs on each row);
- ``raw``: ``db.fetch_one`` of one row by id in ``db.tenant_scope(...)``;
- ``raw is_local``: the alternative storied does not take, measured on the same table: the
  scope set with ``set_config(…, true)`` in a transaction around the read (BEGIN, set, read,
  COMMIT) against the plain read off.

Figures are medians over the rounds of wall and CPU µs per call, and on/off ratios.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

import sqlalchemy as sa

from storied import AsyncDatabase, Database, Field, Model
from storied.dialects.row_security import array_literal

from . import clock, report
from .targets import DRIVERS, Target


class RlsOn(Model, table="bench_rls_on", history="none"):
    name: str = Field(max_length=100)
    value: int = 0


class RlsOff(Model, table="bench_rls_off", history="none"):
    name: str = Field(max_length=100)
    value: int = 0


OPS = ("get", "create", "update")
#: rows a list reads (the policy's predicate runs on each row)
LIST_ROWS = 50
SCOPES = ("one tenant", "two tenants")


@dataclass
class Figure:
    """One operation in one scope and mode: per-round µs per call of each side."""

    mode: str
    scope: str
    op: str
    wall: dict[str, list[float]] = field(default_factory=lambda: {"on": [], "off": []})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {"on": [], "off": []})

    def add(self, side: str, timed: clock.Timed, n: int) -> None:
        per = timed.per(n)
        self.wall[side].append(per.wall)
        self.cpu[side].append(per.cpu)


@contextmanager
def app_role(target: Target) -> Iterator[sa.URL]:
    """A NOSUPERUSER NOBYPASSRLS login role that may create tables in the scratch database."""
    role = f"bench_rls_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        target.url.set(drivername=DRIVERS[("postgresql", "sync")]),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.NullPool,
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.exec_driver_sql(f"GRANT ALL ON SCHEMA public TO {role}")
    try:
        yield target.url.set(username=role, password=None)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


class _Side:
    """One Database and its repositories for two tenants, with rows to get and update."""

    def __init__(self, db: Any, model: type[Model], tenants: tuple[uuid.UUID, uuid.UUID]) -> None:
        self.db = db
        self.model = model
        self.repos = [db.repository(model, tenant_id=t, actor="bench") for t in tenants]
        self.tenants = tenants
        self.ids: list[list[Any]] = [[], []]


#: the alternative storied does not take: the scope set with is_local, in a transaction
SET_LOCAL = "SELECT set_config('storied.tenant_ids', :tenants, true)"


def _local_sync(db: Database, tenants: str, sql: str, id_: Any) -> Any:
    with db.transaction():
        db.fetch_one(SET_LOCAL, {"tenants": tenants})
        return db.fetch_one(sql, {"id": id_})


async def _local_async(db: AsyncDatabase, tenants: str, sql: str, id_: Any) -> Any:
    async with db.transaction():
        await db.fetch_one(SET_LOCAL, {"tenants": tenants})
        return await db.fetch_one(sql, {"id": id_})


def _calls(
    side: _Side, op: str, scope: str, n: int, counter: list[int], plain: Any = None
) -> list[Callable[[], Any]]:
    """The ``n`` calls of one timed batch (``plain``: the Database without RLS, for the
    is_local alternative, which sets the scope itself on the table with the policy)."""
    out: list[Callable[[], Any]] = []
    for i in range(n):
        k = i % 2 if scope == "two tenants" else 0
        repo, ids = side.repos[k], side.ids[k]
        if op == "get":
            out.append(lambda repo=repo, id_=ids[i % len(ids)]: repo.get(id_))
        elif op == "create":
            counter[0] += 1
            row = side.model(name=f"n{counter[0]}")
            out.append(lambda repo=repo, row=row: repo.create(row))
        elif op == "update":
            counter[0] += 1
            out.append(
                lambda repo=repo, id_=ids[i % len(ids)], v=counter[0]: repo.update(id_, value=v)
            )
        elif op == "list":
            out.append(lambda repo=repo: repo.query().order_by("id").limit(LIST_ROWS).all())
        else:  # raw, and raw in an is_local transaction
            table = side.db.registry.mapped(side.model).table.name
            sql = f"SELECT id, name FROM {table} WHERE id = :id"
            id_ = ids[i % len(ids)]
            if op == "raw" or side.model is RlsOff:
                out.append(lambda sql=sql, id_=id_: side.db.fetch_one(sql, {"id": id_}))
            else:
                local = _local_async if isinstance(plain, AsyncDatabase) else _local_sync
                scope_ = array_literal([side.tenants[0]])
                out.append(lambda sql=sql, id_=id_, f=local, t=scope_: f(plain, t, sql, id_))
    return out


def _batch_sync(side: _Side, calls: list[Callable[[], Any]], op: str, k: int) -> clock.Timed:
    if not op.startswith("raw"):
        watch = clock.Stopwatch()
        for call in calls:
            call()
        return watch.stop()
    with side.db.tenant_scope(tenant_id=side.tenants[k]):
        watch = clock.Stopwatch()
        for call in calls:
            call()
        return watch.stop()


async def _batch_async(
    side: _Side, calls: list[Callable[[], Awaitable[Any]]], op: str, k: int
) -> clock.Timed:
    if not op.startswith("raw"):
        watch = clock.Stopwatch()
        for call in calls:
            await call()
        return watch.stop()
    with side.db.tenant_scope(tenant_id=side.tenants[k]):
        watch = clock.Stopwatch()
        for call in calls:
            await call()
        return watch.stop()


def _cases() -> list[tuple[str, str]]:
    return [(scope, op) for scope in SCOPES for op in OPS] + [
        ("one tenant", "list"),
        ("one tenant", "raw"),
        ("one tenant", "raw is_local"),
    ]


def run_rls(target: Target, modes: list[str], rounds: int, ops: int) -> list[Figure]:
    """Measure both sides in every mode; the figures, per mode, scope and operation."""
    figures: list[Figure] = []
    with app_role(target) as url:
        with Database(
            url.set(drivername=DRIVERS[("postgresql", "sync")]), row_level_security=True
        ) as db:
            db.sync_schema([RlsOn])
        with Database(url.set(drivername=DRIVERS[("postgresql", "sync")])) as db:
            db.sync_schema([RlsOff])
        for mode in modes:
            driver = DRIVERS[("postgresql", mode)]
            if mode == "sync":
                figures += _run_sync(url.set(drivername=driver), rounds, ops)
            else:
                figures += asyncio.run(_run_async(url.set(drivername=driver), rounds, ops))
    return figures


def _sides_of(on: Any, off: Any) -> dict[str, _Side]:
    tenants = (uuid.uuid4(), uuid.uuid4())
    return {"on": _Side(on, RlsOn, tenants), "off": _Side(off, RlsOff, tenants)}


def _run_sync(url: sa.URL, rounds: int, ops: int) -> list[Figure]:
    with (
        Database(url, row_level_security=True, pool_size=1) as on,
        Database(url, pool_size=1) as off,
    ):
        sides = _sides_of(on, off)
        for side in sides.values():
            for k, repo in enumerate(side.repos):
                side.ids[k] = [repo.create(side.model(name=f"seed{i}")).id for i in range(ops)]
        figures = {case: Figure("sync", *case) for case in _cases()}
        counter = [0]
        for round_no in range(rounds + 1):
            for case, figure in figures.items():
                order = ["on", "off"] if round_no % 2 else ["off", "on"]
                for name in order:
                    side = sides[name]
                    calls = _calls(side, case[1], case[0], ops, counter, off)
                    timed = _batch_sync(side, calls, case[1], 0)
                    if round_no:  # the first round warms up
                        figure.add(name, timed, ops)
        return list(figures.values())


async def _run_async(url: sa.URL, rounds: int, ops: int) -> list[Figure]:
    async with (
        AsyncDatabase(url, row_level_security=True, pool_size=1) as on,
        AsyncDatabase(url, pool_size=1) as off,
    ):
        sides = _sides_of(on, off)
        for side in sides.values():
            for k, repo in enumerate(side.repos):
                side.ids[k] = [
                    (await repo.create(side.model(name=f"seed{i}"))).id for i in range(ops)
                ]
        figures = {case: Figure("async", *case) for case in _cases()}
        counter = [0]
        for round_no in range(rounds + 1):
            for case, figure in figures.items():
                order = ["on", "off"] if round_no % 2 else ["off", "on"]
                for name in order:
                    side = sides[name]
                    calls = _calls(side, case[1], case[0], ops, counter, off)
                    timed = await _batch_async(side, calls, case[1], 0)
                    if round_no:
                        figure.add(name, timed, ops)
        return list(figures.values())


def table(figures: list[Figure], server: str, out: TextIO) -> None:
    """Medians of wall and CPU µs per call, RLS on and off, and their ratio."""
    print(f"\nRow-Level Security on vs off, {server} (one login role, policies enforced)", file=out)
    columns = (
        "mode",
        "scope",
        "op",
        "off µs",
        "on µs",
        "on/off",
        "off CPU µs",
        "on CPU µs",
        "CPU on/off",
    )
    lines = []
    for f in figures:
        wall_off, wall_on = clock.micros(f.wall["off"]), clock.micros(f.wall["on"])
        cpu_off, cpu_on = clock.micros(f.cpu["off"]), clock.micros(f.cpu["on"])
        lines.append(
            (
                f.mode, f.scope, f.op, f"{wall_off:.0f}", f"{wall_on:.0f}",
                f"{wall_on / wall_off:.2f}x", f"{cpu_off:.0f}", f"{cpu_on:.0f}",
                f"{cpu_on / cpu_off:.2f}x" if cpu_off else "-",
            )
        )  # fmt: skip
    report.render(columns, lines, range(3, len(columns)), out)
