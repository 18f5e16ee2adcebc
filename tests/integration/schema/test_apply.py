"""Apply: refusals change nothing, stale plans are refused, concurrent appliers take turns,
and a failure says exactly what was applied."""

from __future__ import annotations

import threading
import time

import pytest

from storied import (
    BlockedChangeError,
    DatabaseTimeout,
    Field,
    Model,
    SchemaApplyError,
    StalePlanError,
)
from storied.dialects import capabilities
from storied.schema import apply as apply_module

from .conftest import Versions

OPTS = {"table": "sch_tasks", "tenant": False, "soft_delete": False, "primary_key": "int"}


class TaskV1(Model, **OPTS):  # type: ignore[call-arg]
    title: str = Field(max_length=50)


class TaskV2(Model, **OPTS):  # type: ignore[call-arg]
    title: str = Field(max_length=50)
    owner: str | None = Field(default=None, max_length=20)


class TaskRequired(Model, **OPTS):  # type: ignore[call-arg]
    title: str = Field(max_length=50)
    owner: str | None = Field(default=None, max_length=20)
    due: int  # NOT NULL, no default


def _seed(versions: Versions) -> None:
    db = versions.at(TaskV1)
    db.sync_schema()
    db.repository(TaskV1).create(TaskV1(title="one"))
    db.repository(TaskV1).create(TaskV1(title="one"))  # a duplicate, on purpose


def test_not_null_without_default_is_blocked_before_anything_runs(versions: Versions) -> None:
    _seed(versions)
    db = versions.at(TaskRequired)
    plan = db.plan()
    assert len(plan.blocked) == 1
    assert "BLOCKED" in plan.describe()
    assert "has 2 row(s) and the field has no default" in plan.describe()
    with pytest.raises(BlockedChangeError, match=r"add column sch_tasks\.due"):
        db.apply(plan, allow_destructive=True)
    with pytest.raises(BlockedChangeError):
        db.sync_schema()
    assert "due" not in versions.columns("sch_tasks")
    assert "owner" not in versions.columns("sch_tasks")


def test_not_null_without_default_on_an_empty_table_is_fine(versions: Versions) -> None:
    versions.at(TaskV1).sync_schema()
    db = versions.at(TaskRequired)
    assert not db.plan().blocked
    db.sync_schema()
    assert db.plan().empty


def test_a_plan_applied_elsewhere_leaves_nothing_to_do(versions: Versions) -> None:
    _seed(versions)
    first, second = versions.at(TaskV2), versions.at(TaskV2)
    plan = first.plan()
    second.apply(second.plan())
    assert first.apply(plan).applied == ()


def test_a_stale_plan_is_refused_and_changes_nothing(versions: Versions) -> None:
    _seed(versions)
    old = versions.at(TaskV2).plan()

    class TaskV3(Model, **OPTS):  # type: ignore[call-arg]
        title: str = Field(max_length=80)

    versions.at(TaskV3).sync_schema()
    with pytest.raises(StalePlanError, match="changed since this plan"):
        versions.dbs[0].apply(old)
    assert "owner" not in versions.columns("sch_tasks")


def test_failure_reports_what_was_applied(versions: Versions) -> None:
    _seed(versions)

    class TaskUnique(Model, **OPTS):  # type: ignore[call-arg]
        title: str = Field(max_length=50, unique=True)  # the rows hold duplicates
        owner: str | None = Field(default=None, max_length=20)

    db = versions.at(TaskUnique)
    plan = db.plan()
    assert [c.action for c in plan.changes] == ["add column", "create unique index"]
    with pytest.raises(SchemaApplyError) as info:
        db.apply(plan)
    error = info.value
    assert error.failed is plan.steps[-1]
    if capabilities(db.engine.dialect).transactional_ddl:
        assert error.applied == ()
        assert "nothing was changed" in str(error)
        assert "owner" not in versions.columns("sch_tasks")
    else:
        assert error.applied == plan.steps[:1]
        assert "were applied and stay" in str(error)
        assert "add column sch_tasks.owner" in str(error)
        assert "owner" in versions.columns("sch_tasks")
        assert [c.action for c in db.plan().changes] == ["create unique index"]


def test_concurrent_appliers_take_turns(
    versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(versions)
    first, second = versions.at(TaskV2), versions.at(TaskV2)
    inside = threading.Event()
    run = apply_module._Runner.__call__

    def slow(self: apply_module._Runner, steps: object) -> None:
        inside.set()
        time.sleep(0.5)  # hold the lock a while
        run(self, steps)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_module._Runner, "__call__", slow)
    finished: dict[str, float] = {}
    results: dict[str, object] = {}

    def apply(name: str, db: object) -> None:
        results[name] = db.sync_schema()  # type: ignore[attr-defined]
        finished[name] = time.monotonic()

    a = threading.Thread(target=apply, args=("a", first))
    a.start()
    assert inside.wait(10)
    b = threading.Thread(target=apply, args=("b", second))
    b.start()
    a.join(20)
    b.join(20)
    assert len(results["a"].applied) == 1  # type: ignore[attr-defined]
    assert results["b"].applied == ()  # type: ignore[attr-defined]
    assert finished["b"] >= finished["a"]
    assert second.plan().empty


def test_lock_timeout_when_another_apply_holds_the_lock(
    versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(versions)
    first, second = versions.at(TaskV2), versions.at(TaskV2)
    inside, release = threading.Event(), threading.Event()
    run = apply_module._Runner.__call__

    def held(self: apply_module._Runner, steps: object) -> None:
        inside.set()
        release.wait(20)
        run(self, steps)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_module._Runner, "__call__", held)
    holder = threading.Thread(target=first.sync_schema)
    holder.start()
    try:
        assert inside.wait(10)
        with pytest.raises(DatabaseTimeout, match="schema lock"):
            second.sync_schema(lock_timeout=0.2)
    finally:
        release.set()
        holder.join(20)
    assert second.plan().empty
