"""``Field(unique=True, index_where=…)``: a partial unique index where the backend has them,
and a clear refusal where it has none (MySQL/MariaDB), at plan and create time alike."""

from __future__ import annotations

from uuid import uuid4

import pytest

from storied import ConflictError, Field, Model, ModelDefinitionError
from storied.dialects import capabilities

from .conftest import Versions


class CouponV1(Model, table="sch_coupons"):
    code: str = Field(max_length=20, unique=True)


class Coupon(Model, table="sch_coupons"):
    code: str = Field(max_length=20, unique=True, index_where="code <> 'tmp'")


def test_the_unique_rule_skips_rows_outside_the_predicate(versions: Versions) -> None:
    db = versions.at(Coupon)
    if not capabilities(db.engine.dialect).partial_indexes:
        with pytest.raises(ModelDefinitionError, match=r"Coupon\.code: unique=True with index_w"):
            db.plan()
        with pytest.raises(ModelDefinitionError, match="partial unique index"):
            db.create_all()
        assert "sch_coupons" not in versions.tables()  # nothing was made
        return
    db.sync_schema()
    assert db.plan().empty
    coupons = db.repository(Coupon, tenant_id=uuid4())
    coupons.create_many([Coupon(code="tmp"), Coupon(code="tmp"), Coupon(code="A1")])
    with pytest.raises(ConflictError):
        coupons.create(Coupon(code="A1"))
    assert coupons.query().count() == 3


def test_an_index_made_without_its_predicate_is_replaced(versions: Versions) -> None:
    versions.at(CouponV1).sync_schema()
    db = versions.at(Coupon)
    if not capabilities(db.engine.dialect).partial_indexes:
        with pytest.raises(ModelDefinitionError, match="partial unique index"):
            db.plan()
        return
    plan = db.plan()
    assert [c.action for c in plan.changes] == ["drop index", "create unique index"]
    assert not plan.destructive, plan.describe()
    assert any("WHERE code <> 'tmp'" in statement for statement in plan.sql)
    db.apply(plan)
    assert versions.at(Coupon).plan().empty
