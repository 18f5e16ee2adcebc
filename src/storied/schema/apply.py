"""The applier: refuse what is not allowed, take the schema lock, re-check, run, report.

Under the lock the plan is made again: if another process applied the same changes meanwhile,
nothing is left to do; if the database moved elsewhere, the plan is stale and nothing runs.
Where DDL is transactional (PostgreSQL, SQLite) the whole apply is one transaction; elsewhere
(MariaDB/MySQL) steps run in order and a failure says exactly which steps were applied.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..dialects import backend_for, capabilities, schema_session
from ..errors import (
    BlockedChangeError,
    DatabaseTimeout,
    DestructiveChangeError,
    OperationalError,
    SchemaApplyError,
    StalePlanError,
)
from .diff import Target
from .plan import Plan, Step
from .planner import make_plan, make_plans

log = logging.getLogger("storied.schema")

#: seconds an apply waits for another one to finish
LOCK_TIMEOUT = 60.0


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: the steps that ran, and those it left out (sync_schema)."""

    applied: tuple[Step, ...] = ()
    skipped: tuple[Step, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.applied)

    def describe(self) -> str:
        lines = [f"Applied {len(self.applied)} step(s)."]
        lines += [f"  {s.describe()}" for s in self.applied]
        if self.skipped:
            lines.append(
                f"Left out {len(self.skipped)} destructive step(s) or removal(s) "
                "(apply with allow_destructive):"
            )
            lines += [f"  {s.describe()}" for s in self.skipped]
        return "\n".join(lines)


def check(plan: Plan, *, allow_destructive: bool) -> None:
    """Refuse, before touching anything, a blocked plan, or one with destructive steps or
    removals (unless allowed)."""
    if plan.blocked:
        raise BlockedChangeError(
            "the plan cannot be applied:\n" + _list(plan.blocked), plan.blocked
        )
    if plan.held_back and not allow_destructive:
        raise DestructiveChangeError(
            "the plan has destructive steps or removals; review them and apply with "
            "allow_destructive=True (CLI: --allow-destructive):\n" + _list(plan.held_back),
            plan.held_back,
        )


def apply_plan(
    connection: sa.Connection,
    plan: Plan,
    target: Target,
    *,
    allow_destructive: bool = False,
    timeout: float = LOCK_TIMEOUT,
) -> ApplyResult:
    check(plan, allow_destructive=allow_destructive)
    if plan.empty:
        return ApplyResult()
    with _session(connection, timeout) as run:
        fresh = make_plan(connection, target, safe_only=plan.safe_only)
        if fresh.empty:
            log.info("schema: nothing left to do (another process applied the plan)")
            return ApplyResult()
        if fresh.sql != plan.sql:
            raise StalePlanError(
                "the database changed since this plan was made; make a new plan.\n"
                f"Now needed:\n{fresh.describe()}",
                fresh.steps,
            )
        run(plan.steps)
    return ApplyResult(plan.steps)


def sync(
    connection: sa.Connection, target: Target, *, allow_destructive: bool, timeout: float
) -> ApplyResult:
    """Plan and apply: the safe steps, or all of them with ``allow_destructive``."""
    plan, safe = make_plans(connection, target)
    if plan.blocked:
        check(plan, allow_destructive=allow_destructive)
    chosen = plan if allow_destructive else safe
    skipped = plan.held_back if not allow_destructive else ()
    for step in skipped:
        log.warning("schema: left out (needs allow_destructive): %s", step.describe())
    result = apply_plan(
        connection, chosen, target, allow_destructive=allow_destructive, timeout=timeout
    )
    return ApplyResult(result.applied, skipped)


@contextmanager
def _session(connection: sa.Connection, timeout: float) -> Iterator[_Runner]:
    dialect = connection.dialect
    session = schema_session(dialect, timeout)
    runner = _Runner(connection, capabilities(dialect).transactional_ddl)
    try:
        for statement in session.enter:
            _execute(connection, statement)
        if session.lock is not None:
            granted = _execute(connection, session.lock).scalar()
            if granted == 0:
                raise DatabaseTimeout(
                    f"schema lock not granted within {timeout:g}s: another process is "
                    "applying a plan"
                )
    except sa.exc.DBAPIError as exc:
        _finish(connection, session.rollback)
        raise _lock_error(exc, dialect, timeout) from exc
    except BaseException:
        _finish(connection, session.rollback)
        raise
    try:
        yield runner
        if session.verify is not None:
            broken = _execute(connection, session.verify).fetchall()
            if broken:
                raise SchemaApplyError(
                    f"the change would break {len(broken)} foreign key reference(s); "
                    "nothing was changed",
                    failed=runner.last,
                )
    except BaseException:
        _finish(connection, session.rollback)
        raise
    _finish(connection, session.commit)


class _Runner:
    def __init__(self, connection: sa.Connection, transactional: bool) -> None:
        self.connection = connection
        self.transactional = transactional
        self.last: Step | None = None

    def __call__(self, steps: Iterable[Step]) -> None:
        done: list[Step] = []
        for step in steps:
            self.last = step
            try:
                for statement in step.sql:
                    _execute(self.connection, statement)
            except sa.exc.DBAPIError as exc:
                raise self._failure(step, done, exc) from exc
            log.info("schema: applied %s", step.describe())
            done.append(step)

    def _failure(self, step: Step, done: list[Step], exc: sa.exc.DBAPIError) -> SchemaApplyError:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        head = f"step failed: {step.describe()}\n  database said: {reason}\n"
        if self.transactional or not done:
            return SchemaApplyError(head + "nothing was changed (rolled back)", failed=step)
        return SchemaApplyError(
            head
            + "this backend cannot roll back DDL; these steps were applied and stay:\n"
            + _list(done)
            + "\nfix the cause and plan again: the plan will hold only what is left",
            applied=done,
            failed=step,
        )


def _execute(connection: sa.Connection, statement: str) -> sa.CursorResult[Any]:
    return connection.execution_options(no_parameters=True).exec_driver_sql(statement)


def _finish(connection: sa.Connection, statements: Iterable[str]) -> None:
    for statement in statements:
        try:
            _execute(connection, statement)
        except sa.exc.DBAPIError:
            log.warning("schema: %r failed while closing the schema session", statement)


def _lock_error(exc: sa.exc.DBAPIError, dialect: sa.Dialect, timeout: float) -> Exception:
    info = backend_for(dialect).classify(exc.orig) if exc.orig is not None else None
    if info is not None and info.kind == "timeout":
        return DatabaseTimeout(
            f"schema lock not granted within {timeout:g}s: another process is applying a plan"
        )
    return OperationalError(f"could not take the schema lock: {type(exc.orig).__name__}")


def _list(steps: Iterable[Step]) -> str:
    return "\n".join(f"  - {s.describe()}" for s in steps)
