"""Each kind of change: planned as it should be (safe or destructive), applied, then gone."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from uuid import UUID

import pytest

from storied import DestructiveChangeError, Field, Model

from .conftest import Versions

NOTE = {"table": "sch_notes", "tenant": False, "soft_delete": False, "primary_key": "int"}


class NoteV1(Model, **NOTE):  # type: ignore[call-arg]
    title: str = Field(max_length=50)
    body: str | None = None
    score: int | None = None


def _seed(versions: Versions, score: int | None = None) -> None:
    db = versions.at(NoteV1)
    db.sync_schema()
    db.repository(NoteV1).create(NoteV1(title="first", body="kept", score=score))


def _settled(versions: Versions, *models: type[Model]) -> None:
    db = versions.at(*models)
    plan = db.plan()
    assert plan.empty, plan.describe()


def test_add_nullable_column_is_one_safe_step(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        tag: str | None = Field(default=None, max_length=10)

    db = versions.at(NoteV2)
    plan = db.plan()
    assert [c.describe() for c in plan.changes] == ["add column sch_notes.tag: VARCHAR(10)"]
    assert plan.steps[0].safe
    db.apply(plan)
    assert versions.rows("SELECT title, tag FROM sch_notes") == [("first", None)]
    _settled(versions, NoteV2)


def test_add_not_null_column_with_default_backfills_rows(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        priority: int = 5

    db = versions.at(NoteV2)
    plan = db.plan()
    assert all(step.safe for step in plan), plan.describe()
    assert "1 existing row(s) set to 5" in plan.describe()
    db.apply(plan)
    assert versions.rows("SELECT priority FROM sch_notes") == [(5,)]
    assert versions.columns("sch_notes")["priority"]["nullable"] is False
    _settled(versions, NoteV2)


def test_add_not_null_column_with_server_default(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        state: str = Field(max_length=10, server_default="'open'")

    db = versions.at(NoteV2)
    result = db.sync_schema()
    assert result.applied
    assert not result.skipped
    assert versions.rows("SELECT state FROM sch_notes") == [("open",)]
    _settled(versions, NoteV2)


def test_widening_a_varchar_is_safe(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        title: str = Field(max_length=200)

    db = versions.at(NoteV2)
    plan = db.plan()
    assert plan.changes[0].action == "alter column"
    assert "VARCHAR(50) → VARCHAR(200)" in plan.describe()
    assert all(step.safe for step in plan)
    db.sync_schema()
    assert versions.rows("SELECT title, body FROM sch_notes") == [("first", "kept")]
    _settled(versions, NoteV2)


def test_narrowing_a_varchar_is_destructive(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        title: str = Field(max_length=20)

    db = versions.at(NoteV2)
    plan = db.plan()
    assert len(plan.destructive) == 1
    with pytest.raises(DestructiveChangeError, match=r"alter column sch_notes\.title") as info:
        db.apply(plan)
    assert info.value.steps == plan.destructive
    skipped = db.sync_schema()
    assert not skipped.applied
    assert skipped.skipped == plan.destructive
    assert not db.plan().empty  # refused: nothing changed

    db.apply(plan, allow_destructive=True)
    assert versions.rows("SELECT title FROM sch_notes") == [("first",)]
    _settled(versions, NoteV2)


def test_drop_column_is_refused_until_allowed(versions: Versions) -> None:
    _seed(versions)

    class NoteV2(Model, **NOTE):  # type: ignore[call-arg]
        title: str = Field(max_length=50)
        score: int | None = None

    db = versions.at(NoteV2)
    plan = db.plan()
    assert [c.describe() for c in plan.changes] == [
        "drop column sch_notes.body  [DESTRUCTIVE: drops the column and its data]"
    ]
    with pytest.raises(DestructiveChangeError, match=r"drop column sch_notes\.body"):
        db.apply(plan)
    assert versions.rows("SELECT body FROM sch_notes") == [("kept",)]

    db.apply(plan, allow_destructive=True)
    assert "body" not in versions.columns("sch_notes")
    _settled(versions, NoteV2)


def test_not_null_on_a_column_holding_nulls_fills_them_when_allowed(versions: Versions) -> None:
    _seed(versions, score=None)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        score: int = 0

    db = versions.at(NoteV2)
    plan = db.plan()
    assert len(plan.destructive) == 1
    assert "1 row(s) hold NULL and will be set to 0" in plan.describe()
    with pytest.raises(DestructiveChangeError):
        db.apply(plan)
    db.apply(plan, allow_destructive=True)
    assert versions.rows("SELECT score FROM sch_notes") == [(0,)]
    _settled(versions, NoteV2)


def test_not_null_without_nulls_is_safe(versions: Versions) -> None:
    _seed(versions, score=3)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        score: int

    db = versions.at(NoteV2)
    plan = db.plan()
    assert all(step.safe for step in plan), plan.describe()
    db.apply(plan)
    assert versions.columns("sch_notes")["score"]["nullable"] is False
    _settled(versions, NoteV2)


def test_changing_a_type_across_kinds_is_destructive_and_converts(versions: Versions) -> None:
    _seed(versions, score=42)

    class NoteV2(NoteV1, **NOTE):  # type: ignore[call-arg]
        score: str | None = Field(default=None, max_length=10)

    db = versions.at(NoteV2)
    plan = db.plan()
    assert len(plan.destructive) == 1
    db.apply(plan, allow_destructive=True)
    assert versions.rows("SELECT score FROM sch_notes") == [("42",)]
    _settled(versions, NoteV2)


ITEM = {"table": "sch_items", "tenant": False, "soft_delete": False, "primary_key": "int"}


class ItemV1(Model, **ITEM):  # type: ignore[call-arg]
    code: str = Field(max_length=20, index=True, index_where="code <> 'x'")
    kind: Literal["a", "bb"] = "a"
    qty: int = Field(default=0, ge=0)
    price: Decimal = Field(default=Decimal(0), max_digits=10, decimal_places=2)
    state: str = Field(max_length=10, server_default="'new'")


def test_indexes_checks_defaults_and_enums_change_in_place(versions: Versions) -> None:
    db = versions.at(ItemV1)
    db.sync_schema()
    db.repository(ItemV1).create(ItemV1(code="c1", kind="bb", qty=1))

    class ItemV2(Model, **ITEM):  # type: ignore[call-arg]
        code: str = Field(max_length=20, index=True, index_where="code <> 'y'")
        kind: Literal["a", "bb", "cccc"] = "a"
        qty: int = Field(default=0, ge=-5, le=100)
        price: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)
        state: str = Field(max_length=10, server_default="'fresh'", unique=True)

    db = versions.at(ItemV2)
    plan = db.plan()
    text = plan.describe()
    assert plan.blocked == ()
    assert plan.destructive == (), text
    assert "ck_sch_items_qty_le" in text
    assert "ck_sch_items_kind_choice" in text  # the new member needs a new CHECK
    assert "uq_sch_items_state" in text
    db.apply(plan)
    _settled(versions, ItemV2)
    db.repository(ItemV2).create(ItemV2(code="c2", kind="cccc", qty=-5))
    rows = versions.rows("SELECT code, kind, state FROM sch_items ORDER BY code")
    assert rows == [("c1", "bb", "new"), ("c2", "cccc", "fresh")]


def test_dropping_an_index_is_a_removal_held_back_like_a_destructive_step(
    versions: Versions,
) -> None:
    db = versions.at(ItemV1)
    db.sync_schema()

    class ItemV2(Model, **ITEM):  # type: ignore[call-arg]
        code: str = Field(max_length=20)
        kind: Literal["a", "bb"] = "a"
        qty: int = Field(default=0, ge=0)
        price: Decimal = Field(default=Decimal(0), max_digits=10, decimal_places=2)
        state: str = Field(max_length=10, server_default="'new'")

    db = versions.at(ItemV2)
    plan = db.plan()
    assert [c.action for c in plan.changes] == ["drop index"]
    assert plan.destructive == ()  # an index holds no data
    assert plan.removals == plan.held_back == plan.steps
    with pytest.raises(DestructiveChangeError):
        db.apply(plan)
    assert db.sync_schema().skipped == plan.steps
    db.apply(plan, allow_destructive=True)
    _settled(versions, ItemV2)


class ShelfV1(Model, table="sch_shelves", tenant=False):
    name: str = Field(max_length=20)


def test_foreign_key_on_delete_change_replaces_the_constraint(versions: Versions) -> None:
    class BoxV1(Model, table="sch_boxes", tenant=False):
        shelf_id: UUID = Field(foreign_key=ShelfV1, on_delete="CASCADE")

    db = versions.at(BoxV1)
    db.sync_schema()
    assert db.plan().empty

    class BoxV2(Model, table="sch_boxes", tenant=False):
        shelf_id: UUID | None = Field(default=None, foreign_key=ShelfV1, on_delete="SET NULL")

    db = versions.at(BoxV2)
    plan = db.plan()
    actions = [c.action for c in plan.changes]
    assert "drop foreign key" in actions
    assert "add foreign key" in actions
    db.apply(plan)
    shelf = db.repository(ShelfV1).create(ShelfV1(name="s"))
    box = db.repository(BoxV2).create(BoxV2(shelf_id=shelf.id))
    db.repository(ShelfV1).purge(shelf.id)
    assert db.repository(BoxV2).get(box.id).shelf_id is None  # SET NULL, not CASCADE
    _settled(versions, BoxV2)


def test_first_unique_field_adds_the_live_marker(versions: Versions) -> None:
    class TagV1(Model, table="sch_tags"):
        label: str = Field(max_length=20)

    db = versions.at(TagV1)
    db.sync_schema()
    tenant = UUID(int=1)
    db.repository(TagV1, tenant_id=tenant).create(TagV1(label="a"))

    class TagV2(Model, table="sch_tags"):
        label: str = Field(max_length=20, unique=True)

    db = versions.at(TagV2)
    plan = db.plan()
    assert "add column sch_tags.live_key" in plan.describe()
    assert "create unique index uq_sch_tags_label" in plan.describe()
    db.apply(plan)
    _settled(versions, TagV2)
    repo = db.repository(TagV2, tenant_id=tenant)
    old = repo.query().one()
    repo.delete(old.id)
    repo.create(TagV2(label="a"))  # the deleted row's value is free again


def test_prune_plans_dropping_unmapped_tables(versions: Versions) -> None:
    class Orphan(Model, table="sch_orphans", tenant=False):
        name: str = ""

    versions.at(Orphan, NoteV1).sync_schema()
    db = versions.at(NoteV1)
    assert db.plan().empty  # tables no model maps are left alone by default
    pruned = db.plan(prune=True)
    drop = [c for c in pruned.changes if (c.action, c.table) == ("drop table", "sch_orphans")]
    assert drop
    assert drop[0].destructive
