"""``renamed_from`` plans a rename, not drop-and-add: the data stays."""

from __future__ import annotations

from uuid import UUID, uuid4

from storied import Field, Model

from .conftest import Versions

OPTS = {"table": "sch_people", "tenant": False, "soft_delete": False, "primary_key": "int"}


class PersonV1(Model, **OPTS):  # type: ignore[call-arg]
    fullname: str = Field(max_length=50)
    code: str = Field(max_length=10, unique=True)
    qty: int = Field(default=0, ge=0)


def _seed(versions: Versions) -> None:
    db = versions.at(PersonV1)
    db.sync_schema()
    db.repository(PersonV1).create(PersonV1(fullname="Ada", code="A1", qty=3))


def test_renamed_field_is_renamed_not_dropped(versions: Versions) -> None:
    _seed(versions)

    class PersonV2(Model, **OPTS):  # type: ignore[call-arg]
        name: str = Field(max_length=50, renamed_from="fullname")
        code: str = Field(max_length=10, unique=True)
        qty: int = Field(default=0, ge=0)

    db = versions.at(PersonV2)
    plan = db.plan()
    assert [c.describe() for c in plan.changes] == ["rename column sch_people.fullname → name"]
    assert all(step.safe for step in plan)
    db.apply(plan)
    assert versions.rows("SELECT name, code FROM sch_people") == [("Ada", "A1")]
    assert db.plan().empty  # renamed_from stays declared and is inert now


def test_rename_with_other_changes_and_dependent_constraints(versions: Versions) -> None:
    _seed(versions)

    class PersonV2(Model, **OPTS):  # type: ignore[call-arg]
        name: str = Field(max_length=80, renamed_from="fullname")
        sku: str = Field(max_length=10, unique=True, renamed_from="code")
        quantity: int = Field(default=0, ge=0, renamed_from="qty")

    db = versions.at(PersonV2)
    plan = db.plan()
    actions = [c.action for c in plan.changes]
    assert actions.count("rename column") == 3
    assert "drop column" not in actions
    assert "add column" not in actions
    assert plan.destructive == (), plan.describe()  # the old index is replaced, not lost
    db.apply(plan)
    assert versions.rows("SELECT name, sku, quantity FROM sch_people") == [("Ada", "A1", 3)]
    assert db.plan().empty, db.plan().describe()
    db.repository(PersonV2).create(PersonV2(name="Bob", sku="B1"))


def test_renamed_table_keeps_rows_and_history(versions: Versions) -> None:
    class SaleV1(Model, table="sch_sales", history="copy_on_change"):
        total: int = 0

    db = versions.at(SaleV1)
    db.sync_schema()
    tenant = uuid4()
    repo = db.repository(SaleV1, tenant_id=tenant, actor="a")
    sale = repo.create(SaleV1(total=5))
    repo.update(sale.id, total=6)

    class OrderV2(Model, table="sch_orders", history="copy_on_change", renamed_from="sch_sales"):
        total: int = 0

    db = versions.at(OrderV2)
    plan = db.plan()
    renamed = [c.describe() for c in plan.changes if c.action == "rename table"]
    assert renamed == [
        "rename table sch_sales → sch_orders",
        "rename table sch_sales_audit → sch_orders_audit",
    ]
    assert not any(c.action in ("create table", "drop table") for c in plan.changes)
    assert plan.destructive == (), plan.describe()
    db.apply(plan)
    assert {"sch_orders", "sch_orders_audit"} <= versions.tables()
    assert not {"sch_sales", "sch_sales_audit"} & versions.tables()
    repo2 = db.repository(OrderV2, tenant_id=tenant, actor="a")
    assert repo2.get(sale.id).total == 6
    assert len(repo2.history(sale.id)) == 2
    assert db.plan().empty, db.plan().describe()


def test_renamed_table_referenced_by_another_keeps_its_keys(versions: Versions) -> None:
    """The referencing table's foreign key follows the rename: no drop and add, no rebuild."""

    class ShelfV1(Model, table="sch_shelves", tenant=False):
        label: str = Field(max_length=20)

    class BookV1(Model, table="sch_books", tenant=False):
        shelf_id: UUID = Field(foreign_key=ShelfV1)

    db = versions.at(ShelfV1, BookV1)
    db.sync_schema()
    shelf = db.repository(ShelfV1).create(ShelfV1(label="top"))
    db.repository(BookV1).create(BookV1(shelf_id=shelf.id))

    class RackV2(Model, table="sch_racks", tenant=False, renamed_from="sch_shelves"):
        name: str = Field(max_length=40, renamed_from="label")  # renamed and widened

    class BookV2(Model, table="sch_books", tenant=False):
        shelf_id: UUID = Field(foreign_key=RackV2)

    db = versions.at(RackV2, BookV2)
    plan = db.plan()
    described = [c.describe() for c in plan.changes]
    assert described[:2] == [
        "rename table sch_shelves → sch_racks",
        "rename column sch_racks.label → name",
    ], plan.describe()
    assert not any("foreign key" in c.action for c in plan.changes), plan.describe()
    assert any(c.action == "alter column" and c.subject == "name" for c in plan.changes)
    assert plan.destructive == (), plan.describe()
    db.apply(plan)
    assert versions.rows("SELECT name FROM sch_racks") == [("top",)]
    assert versions.columns("sch_racks")["name"]["type"].length == 40
    assert db.plan().empty, db.plan().describe()
    assert db.repository(BookV2).query().one().shelf_id == shelf.id
