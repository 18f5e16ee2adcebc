"""A set operation's shape is its statement-cache key: equal for compounds that differ only
in values, different for different operators, members, orders or limits. No database: the
repositories belong to an unconnected Database; mismatched members fail while shaping."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.dialects import mysql, postgresql, sqlite

from storied import Database, F, UnknownFieldError, ValidationError, func
from storied.engine.compiled import StatementCache
from storied.ops.requests import Statement
from storied.query.compound import Compound
from storied.query.query import Query
from storied.query.setrender import compound_stmt
from storied.query.setshaping import CompoundShape, Limited, plan
from tests.relmodels import Book, Item, Post

TENANT = uuid.uuid4()
MOMENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def db() -> Database:
    return Database("sqlite://")


def shape_of(compound: Compound[Any]) -> CompoundShape:
    runner: Any = compound.runner
    return plan(compound, runner.scope, runner.db.registry).shape


def items(db: Database, tenant: uuid.UUID = TENANT) -> Any:
    return db.repository(Item, tenant_id=tenant).query()


VARIANTS: dict[str, Callable[[Database], Compound[Any]]] = {
    "union": lambda db: items(db).filter(F.qty > 3).union(items(db).filter(name="a")),
    "union_all": lambda db: items(db).filter(F.qty > 3).union_all(items(db).filter(name="a")),
    "intersect": lambda db: items(db).filter(F.qty > 3).intersect(items(db).filter(name="a")),
    "except": lambda db: items(db).filter(F.qty > 3).except_(items(db).filter(name="a")),
    "swapped": lambda db: items(db).filter(name="a").union(items(db).filter(F.qty > 3)),
    "three": lambda db: (
        items(db).filter(F.qty > 3).union(items(db).filter(name="a"), items(db).filter(name="b"))
    ),
    "nested": lambda db: (
        items(db)
        .filter(F.qty > 3)
        .union(items(db).filter(name="a"))
        .except_(items(db).filter(name="b"))
    ),
    "ordered": lambda db: (
        items(db).filter(F.qty > 3).union(items(db).filter(name="a")).order_by("name")
    ),
    "limited": lambda db: items(db).filter(F.qty > 3).union(items(db).filter(name="a")).limit(3),
    "member limit": lambda db: (
        items(db).filter(F.qty > 3).union(items(db).filter(name="a").order_by("name").limit(2))
    ),
    "member offset": lambda db: (
        items(db)
        .filter(F.qty > 3)
        .union(items(db).filter(name="a").order_by("name").limit(2).offset(1))
    ),
    "deleted member": lambda db: (
        items(db).filter(F.qty > 3).union(items(db).filter(name="a").include_deleted())
    ),
    "projection": lambda db: (
        items(db).filter(F.qty > 3).select(F.name).union(items(db).filter(name="a").select(F.name))
    ),
}


def test_every_variant_has_its_own_shape(db: Database) -> None:
    shapes = {name: shape_of(make(db)) for name, make in VARIANTS.items()}
    assert len({id(s) for s in shapes.values()}) == len(shapes), shapes


def test_compounds_differing_only_in_values_share_one_shape(db: Database) -> None:
    def make(tenant: uuid.UUID, qty: int, name: str, limit: int) -> Compound[Any]:
        query = items(db, tenant)
        return query.filter(F.qty > qty).intersect(query.filter(name=name)).limit(limit)

    other = uuid.uuid4()
    first, second = make(TENANT, 3, "a", 5), make(other, 7, "zz", 50)
    assert shape_of(first) is shape_of(second)  # another tenant of the same scope kind too
    runner: Any = second.runner
    params = plan(second, runner.scope, runner.db.registry).params
    assert sorted(map(str, params.values())) == sorted(["7", "zz", "50", str(other)])


def test_a_members_limit_has_binds_of_its_own(db: Database) -> None:
    compound = items(db).limit(5).union(items(db).order_by("name").limit(2).offset(1)).limit(9)
    runner: Any = compound.runner
    read = plan(compound, runner.scope, runner.db.registry)
    limited = [m for m in read.shape.members if isinstance(m, Limited)]
    assert len(limited) == 2
    assert [read.params[m.limit] for m in limited] == [5, 2]
    assert read.params[limited[1].offset or ""] == 1
    assert read.params["_limit"] == 9
    assert "_offset" not in read.params


def test_same_operator_chains_are_one_compound_others_nest(db: Database) -> None:
    a, b, c = items(db), items(db).filter(qty=1), items(db).filter(qty=2)
    flat = a.union(b).union(c)
    assert flat.operator == "union"
    assert len(flat.members) == 3
    nested = a.union(b).except_(c)
    assert nested.operator == "except"
    assert isinstance(nested.members[0], Compound)
    assert isinstance(a.union(b).limit(2).union(c).members[0], Compound)


REFUSED: dict[str, tuple[Callable[[Database], Compound[Any]], str]] = {
    "other model": (
        lambda db: items(db).union(db.repository(Post, tenant_id=TENANT).query()),
        "one model",
    ),
    "model and projection": (
        lambda db: items(db).union(items(db).select(F.name)),
        "whole-model rows",
    ),
    "other labels": (
        lambda db: items(db).select(F.name).union(items(db).select(F.category)),
        "different labels",
    ),
    "other arity": (
        lambda db: items(db).select(F.name).union(items(db).select(F.name, F.category)),
        "different labels",
    ),
    "other types": (
        lambda db: (
            items(db)
            .select(F.name, func.sum(F.qty).label("x"))
            .union(items(db).select(F.name, func.sum(F.price).label("x")))
        ),
        "different types",
    ),
    "other tenant": (
        lambda db: items(db).union(items(db, uuid.uuid4())),
        "one tenant scope",
    ),
    "member order": (lambda db: items(db).union(items(db).order_by("name")), "own limit"),
    "member load": (lambda db: items(db).union(items(db).load("x")), "load()"),
    "two moments": (
        lambda db: (
            db.repository(Book, tenant_id=TENANT)
            .query()
            .as_of(MOMENT)
            .union(db.repository(Book, tenant_id=TENANT).query().as_of(MOMENT + dt.timedelta(1)))
        ),
        "one moment",
    ),
    "nested limit": (
        lambda db: items(db).union(items(db).union(items(db).filter(qty=1)).limit(2)),
        "inside another",
    ),
    "order by a non-label": (
        lambda db: items(db).select(F.name).union(items(db).select(F.name)).order_by("qty"),
        "labels",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_mismatched_members_are_refused_while_shaping(db: Database, case: str) -> None:
    make, message = REFUSED[case]
    with pytest.raises(ValidationError, match=message):
        shape_of(make(db))


def test_orders_of_whole_rows_are_checked_against_the_model(db: Database) -> None:
    with pytest.raises(UnknownFieldError):
        shape_of(items(db).union(items(db)).order_by("nope"))
    shape = shape_of(items(db).union(items(db).filter(qty=1)).order_by("-name"))
    assert [o.field for o in shape.orders] == ["name", "id"]  # ties broken by id


def test_non_queries_and_iterate_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="repository queries"):
        items(db).union(42)
    with pytest.raises(ValidationError, match="at least one"):
        items(db).union()
    with pytest.raises(ValidationError, match="iterate"):
        items(db).union(items(db)).iterate()
    with pytest.raises(ValidationError, match="non-negative"):
        items(db).union(items(db)).limit(-1)
    with pytest.raises(ValidationError, match="not a set operation"):
        Compound("merge", (items(db), items(db)))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="from a repository"):
        shape_of(items(db).union(Query()))


DIALECTS = {
    "sqlite": sqlite.dialect(),
    "postgresql": postgresql.dialect(),
    "mysql": mysql.dialect(),
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_one_compiled_statement_per_shape_each_member_scoped(db: Database, dialect: str) -> None:
    """The statement cache compiles a compound once per shape; the SQL scopes every member."""
    cache = StatementCache(DIALECTS[dialect])

    def statement(compound: Compound[Any]) -> Statement:
        runner: Any = compound.runner
        read = plan(compound, runner.scope, runner.db.registry)
        return Statement(
            compound_stmt, (runner.scope.shape, runner.db.registry, read.shape, "rows")
        )

    def make(op: str, qty: int) -> Compound[Any]:
        left, right = items(db).filter(F.qty > qty), items(db).filter(F.qty < qty)
        return getattr(left, op)(right, items(db).only_deleted())

    first = cache.get(statement(make("intersect", 1)))
    assert cache.get(statement(make("intersect", 99))) is first
    other = cache.get(statement(make("except_", 1)))
    assert other is not first
    assert " INTERSECT " in first.sql
    assert " EXCEPT " in other.sql
    assert first.sql.count("tenant_id =") == 3  # each member carries the tenant predicate
    assert first.sql.count("deleted_at IS NULL") == 2
    assert first.sql.count("deleted_at IS NOT NULL") == 1
