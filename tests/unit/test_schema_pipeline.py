"""The schema pipeline's stages alone, with no database: normalizing, typing, planning, text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from alembic.operations import ops
from sqlalchemy.dialects import mysql, postgresql, sqlite

from storied import DestructiveChangeError, SchemaError
from storied.mapping.types import EnumValue, ExactDecimal
from storied.schema import Change, Plan, Step
from storied.schema.apply import check
from storied.schema.changes import widens
from storied.schema.comparators import normalize_sql
from storied.schema.render import plain_dialect, render


@pytest.mark.parametrize(
    ("reflected", "declared"),
    [
        ("((level)::text = ANY ((ARRAY['low'::character varying, 'high'::character varying])"
         "::text[]))", "level IN ('low', 'high')"),
        ("(price >= (0)::numeric)", "price >= 0"),
        ("(ratio >= (0.5)::double precision)", "ratio >= 0.5"),
        ("(qty >= '-5'::integer)", "qty >= -5"),
        ("`level` in ('low','high')", "level IN ('low', 'high')"),
        ("(note <> ''::text)", "note <> ''"),
        ("((status)::text <> 'done'::text)", "status <> 'done'"),
        ("note != ''", "note <> ''"),
    ],
)  # fmt: skip
def test_reflected_and_declared_expressions_normalize_alike(reflected: str, declared: str) -> None:
    assert normalize_sql(reflected) == normalize_sql(declared)


@pytest.mark.parametrize(
    ("reflected", "declared"),
    [("qty >= 0", "qty >= 1"), ("level IN ('a')", "level IN ('a', 'b')"), ("a <> 'x'", "a <> 'y'")],
)
def test_different_expressions_stay_different(reflected: str, declared: str) -> None:
    assert normalize_sql(reflected) != normalize_sql(declared)


@pytest.mark.parametrize(
    ("old", "new", "safe"),
    [
        (sa.String(50), sa.String(100), True),
        (sa.String(100), sa.String(50), False),
        (sa.String(50), sa.Text(), True),
        (sa.Text(), sa.String(50), False),
        (sa.Integer(), sa.BigInteger(), True),
        (sa.BigInteger(), sa.SmallInteger(), False),
        (sa.Numeric(10, 2), ExactDecimal(12, 2), True),
        (sa.Numeric(10, 2), ExactDecimal(10, 4), False),
        (sa.Float(), sa.Double(), True),
        (sa.Integer(), sa.String(20), False),
        (sa.String(4), EnumValue(6), True),
    ],
)
def test_widening_is_judged_on_the_dialect_types(
    old: sa.types.TypeEngine[object], new: sa.types.TypeEngine[object], safe: bool
) -> None:
    assert widens(old, new, postgresql.dialect()) is safe


def _step(
    action: str,
    destructive: str | None = None,
    blocked: str | None = None,
    removes: str | None = None,
) -> Step:
    change = Change(action, "t", "c", "", destructive=destructive, removes=removes, blocked=blocked)
    code = f"    op.execute({action!r})"
    return Step((change,), (f"-- {action}",), None, code, ("import sqlalchemy as sa",))


def test_plan_text_marks_each_step() -> None:
    plan = Plan((_step("add column"), _step("drop column", destructive="drops data")), "postgresql")
    text = plan.describe()
    assert text.splitlines()[0] == "Plan for postgresql: 2 step(s), 1 destructive"
    assert "1. + add column t.c" in text
    assert "2. - drop column t.c  [DESTRUCTIVE: drops data]" in text
    assert plan.sql == ("-- add column", "-- drop column")
    assert plan.to_sql().startswith("-- 1. add column t.c\n-- add column;")
    assert Plan((), "sqlite").describe() == "No changes: the sqlite database matches the models."


def test_one_meaning_of_destructive_and_removals_apart() -> None:
    plan = Plan(
        (
            _step("drop column", destructive="drops data"),
            _step("drop index", removes="the index"),
            _step("add column", blocked="no default"),
            _step("add column"),
        ),
        "sqlite",
    )
    assert [s.changes[0].action for s in plan.destructive] == ["drop column"]
    assert [s.changes[0].action for s in plan.removals] == ["drop index"]
    assert plan.held_back == plan.destructive + plan.removals
    assert [s.safe for s in plan] == [False, False, False, True]
    text = plan.describe()
    assert text.splitlines()[0] == (
        "Plan for sqlite: 4 step(s), 1 destructive, 1 removal(s), 1 blocked"
    )
    assert "2. - drop index c on t  [REMOVES: the index]" in text


AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_a_plan_is_plain_data_through_json() -> None:
    plan = Plan(
        (_step("drop column", destructive="drops data"), _step("add column")),
        "postgresql",
        tables=("t",),
        prune=True,
    )
    text = plan.to_json()
    assert json.loads(text)["steps"][0]["changes"][0]["destructive"] == "drops data"
    again = Plan.from_json(text)
    assert again == plan
    assert again.describe() == plan.describe()
    assert again.to_alembic(revision="r1", date=AT) == plan.to_alembic(revision="r1", date=AT)
    assert again != Plan(plan.steps[:1], "postgresql", ("t",), True)
    with pytest.raises(SchemaError):
        Plan.from_json('{"format": 0}')


def test_refusal_names_every_destructive_step_and_removal() -> None:
    plan = Plan((_step("drop column", destructive="x"), _step("drop index", removes="y")), "x")
    with pytest.raises(DestructiveChangeError) as info:
        check(plan, allow_destructive=False)
    assert "drop column t.c" in str(info.value)
    assert "drop index c on t" in str(info.value)
    check(plan, allow_destructive=True)


def test_rendered_sql_keeps_percent_signs_single() -> None:
    constraint = ops.CreateCheckConstraintOp("ck_t_c", "t", sa.text("c LIKE 'a%'"))
    for dialect in (postgresql.psycopg.dialect(), mysql.pymysql.dialect()):
        assert render(dialect, [constraint]) == [
            "ALTER TABLE t ADD CONSTRAINT ck_t_c CHECK (c LIKE 'a%')"
        ]
        assert plain_dialect(dialect).identifier_preparer.quote("t") == "t"
    assert plain_dialect(sqlite.dialect()).paramstyle == "qmark"  # nothing to undo there


def test_every_backend_brackets_schema_changes_with_a_lock() -> None:
    from sqlalchemy.dialects import mssql

    from storied.dialects import schema_session

    pg = schema_session(postgresql.dialect(), 1.5)
    assert pg.enter == ("BEGIN", "SET LOCAL lock_timeout = '1500ms'")
    assert pg.lock is not None
    assert "pg_advisory_xact_lock" in pg.lock
    my = schema_session(mysql.dialect(), 3)
    assert my.lock == "SELECT GET_LOCK('storied.schema', 3)"
    assert my.commit == my.rollback == ("SELECT RELEASE_LOCK('storied.schema')",)
    lite = schema_session(sqlite.dialect(), 2)
    assert lite.enter[-1] == "BEGIN IMMEDIATE"
    assert "PRAGMA foreign_keys=ON" in lite.commit
    assert lite.verify == "PRAGMA foreign_key_check"
    ms = schema_session(mssql.dialect(), 1)
    assert ms.lock is not None
    assert "sp_getapplock" in ms.lock
