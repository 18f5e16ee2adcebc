"""Window functions in shapes and SQL: one shape for windows differing only in bound values
(a lag's offset and default), another for any other difference; every name checked and
every value bound while shaping, before SQL; the SQL each dialect gets. No database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.dialects import mysql, postgresql, sqlite

from storied import Database, F, UnknownFieldError, ValidationError, func
from storied.query.compiler import QueryCompiler
from storied.query.cte_render import select_cte
from storied.query.cte_shaping import shape_cte_query
from storied.query.query import Query
from storied.query.render import Renderer
from storied.query.shapes import SelectShape, Windowed
from tests.relmodels import Item

TENANT = uuid.uuid4()


@pytest.fixture(scope="module")
def db() -> Database:
    return Database("sqlite://")


def items(db: Database) -> Query[Item]:
    return db.repository(Item, tenant_id=TENANT).query()


def compiler(query: Query[Any]) -> QueryCompiler:
    runner: Any = query.runner
    return QueryCompiler(runner.mapped, runner.scope, runner.db.registry)


def shape_of(query: Query[Any]) -> SelectShape:
    return compiler(query).structure(query)


def sql(query: Query[Any], dialect: Any) -> str:
    runner: Any = query.runner
    shape = shape_of(query)
    stmt = Renderer(runner.mapped, runner.scope, runner.db.registry).select(shape, "project")
    return str(stmt.compile(dialect=dialect))


RANK = {"partition_by": F.category, "order_by": F.price.desc()}
VARIANTS: dict[str, Callable[[Database], Query[Any]]] = {
    "rank": lambda db: items(db).select(F.name, func.rank().over(**RANK)),
    "dense_rank": lambda db: items(db).select(F.name, func.dense_rank().over(**RANK)),
    "row_number": lambda db: items(db).select(F.name, func.row_number().over(**RANK)),
    "labelled": lambda db: items(db).select(F.name, func.rank().over(**RANK).label("r")),
    "other partition": lambda db: items(db).select(
        F.name, func.rank().over(partition_by="name", order_by="-price")
    ),
    "no partition": lambda db: items(db).select(F.name, func.rank().over(order_by="-price")),
    "ascending": lambda db: items(db).select(
        F.name, func.rank().over(partition_by="category", order_by="price")
    ),
    "nulls last": lambda db: items(db).select(
        F.name, func.rank().over(order_by=F.rank.desc().nulls_last())
    ),
    "lag": lambda db: items(db).select(F.name, func.lag(F.price).over(order_by="name")),
    "lead": lambda db: items(db).select(F.name, func.lead(F.price).over(order_by="name")),
    "lag default": lambda db: items(db).select(
        F.name, func.lag(F.price, 1, Decimal(1)).over(order_by="name")
    ),
    "sum": lambda db: items(db).select(F.name, func.sum(F.qty).over(order_by="name")),
    "sum rows": lambda db: items(db).select(
        F.name, func.sum(F.qty).over(order_by="name", rows=(None, 0))
    ),
    "sum rows 2": lambda db: items(db).select(
        F.name, func.sum(F.qty).over(order_by="name", rows=(-2, 0))
    ),
    "sum whole": lambda db: items(db).select(F.name, func.sum(F.qty).over()),
    "count whole": lambda db: items(db).select(F.name, func.count().over()),
}


def test_each_difference_is_another_shape(db: Database) -> None:
    shapes = {name: shape_of(make(db)) for name, make in VARIANTS.items()}
    assert len({id(s) for s in shapes.values()}) == len(shapes)
    for name, make in VARIANTS.items():  # and each one is built again as the same object
        assert shape_of(make(db)) is shapes[name]


def test_values_are_bound_not_shaped(db: Database) -> None:
    def lag(offset: int, default: Any) -> Query[Any]:
        return items(db).select(func.lag(F.price, offset, default).over(order_by="name"))

    one, two = compiler(lag(1, Decimal(1))), compiler(lag(3, "2.50"))
    first, second = one.structure(lag(1, Decimal(1))), two.structure(lag(3, "2.50"))
    assert first is second
    node = first.projection[0]
    assert isinstance(node, Windowed)
    assert node.offset is not None
    assert node.default is not None
    assert (one.params[node.offset], one.params[node.default]) == (1, Decimal(1))
    assert (two.params[node.offset], two.params[node.default]) == (3, Decimal("2.50"))


def test_keys_name_the_function_and_field(db: Database) -> None:
    window = func.sum(F.qty).over(order_by="name")
    assert window.key == "sum_qty"
    assert func.lag(F.price).over(order_by="name").key == "lag_price"
    assert func.row_number().over(order_by="name").key == "row_number"
    assert func.sum(F.qty).label("total").over(order_by="name").key == "total"
    assert window.label("run").key == "run"
    assert window.key == "sum_qty"
    assert window.desc().field == "sum_qty"
    assert window.desc().descending


DIALECTS = [sqlite.dialect(), postgresql.dialect(), mysql.dialect()]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_one_window_is_computed_in_the_query_itself(db: Database, dialect: Any) -> None:
    query = items(db).select(F.name, func.lag(F.price, 2, Decimal(0)).over(order_by="name"))
    text = " ".join(sql(query, dialect).split())
    assert text.count("SELECT") == 1
    # a lag's default without LAG's third argument (MariaDB has none): where no row lies
    # two rows back, which a lag of a constant tells (the field itself may be NULL)
    assert text.startswith("SELECT q_items.name AS name, CASE WHEN (lag(")
    assert "OVER (ORDER BY q_items.name ASC) IS NULL) THEN" in text
    assert "ELSE lag(q_items.price, " in text
    assert "WHERE q_items.tenant_id = " in text
    assert "q_items.deleted_at IS NULL" in text


@pytest.mark.parametrize("dialect", DIALECTS)
def test_several_windows_are_nested_one_per_select(db: Database, dialect: Any) -> None:
    query = items(db).select(
        F.name,
        func.rank().over(partition_by=F.category, order_by=[F.price.desc(), "name"]),
        func.sum(F.qty).over(order_by="name", rows=(None, 0)),
        func.count().over(partition_by="category"),
    )
    text = " ".join(sql(query.order_by("-rank", "price"), dialect).split())
    q = "`" if dialect.name == "mysql" else ""  # a MySQL keyword, quoted there
    # the innermost SELECT reads the table, scoped, and computes the first window ...
    inner = (
        "(SELECT q_items.name AS name, q_items.category AS category, q_items.price AS price, "
        "q_items.qty AS qty, rank() OVER (PARTITION BY q_items.category ORDER BY "
        "q_items.price DESC, q_items.name ASC) AS _w0 FROM q_items WHERE q_items.tenant_id = "
    )
    assert inner in text
    assert "AND q_items.deleted_at IS NULL) AS _w1" in text
    # ... each next one a window over the one below, the fields carried through
    assert "sum(_w1.qty) OVER (ORDER BY _w1.name ASC ROWS BETWEEN UNBOUNDED PRECEDING AND " in text
    assert "count(*) OVER (PARTITION BY _w2.category) AS _w2 FROM (SELECT" in text
    assert text.count("OVER (") == 3
    assert text.startswith(
        f"SELECT windowed.name AS name, windowed._w0 AS {q}rank{q}, windowed._w1 AS sum_qty, "
        "windowed._w2 AS count FROM (SELECT"
    )
    assert text.endswith(f"AS windowed ORDER BY {q}rank{q} DESC, windowed.price ASC")


REFUSED: dict[str, Callable[[Database], Any]] = {
    "filter": lambda db: items(db).filter(func.rank().over(order_by="name") <= 3),
    "equality": lambda db: items(db).filter(func.rank().over(order_by="name") == 1),
    "group_by a window": lambda db: items(db).group_by(func.rank().over(order_by="name")),  # type: ignore[arg-type]
    "grouped": lambda db: (
        items(db).select(F.category, func.rank().over(order_by="category")).group_by("category")
    ),
    "having": lambda db: (
        items(db).select(F.name, func.rank().over(order_by="name")).having(func.count() > 1)
    ),
    "beside an aggregate": lambda db: items(db).select(
        func.count(), func.rank().over(order_by="name")
    ),
    "no over": lambda db: items(db).select(func.rank()),  # type: ignore[arg-type]
    "rank unordered": lambda db: items(db).select(func.rank().over(partition_by="name")),
    "lag unordered": lambda db: items(db).select(func.lag(F.price).over()),
    "negative offset": lambda db: items(db).select(func.lag(F.price, -1).over(order_by="name")),
    "text offset": lambda db: items(db).select(
        func.lag(F.price, "1").over(order_by="name")  # type: ignore[arg-type]
    ),
    "bool offset": lambda db: items(db).select(func.lag(F.price, True).over(order_by="name")),
    "default of another type": lambda db: items(db).select(
        func.lag(F.price, 1, "cheap").over(order_by="name")
    ),
    "frame on a rank": lambda db: items(db).select(
        func.rank().over(order_by="name", rows=(None, 0))
    ),
    "frame unordered": lambda db: items(db).select(func.sum(F.qty).over(rows=(None, 0))),
    "frame of text": lambda db: items(db).select(
        func.sum(F.qty).over(order_by="name", rows=("1", 0))
    ),
    "frame of three": lambda db: items(db).select(
        func.sum(F.qty).over(order_by="name", rows=(None, 0, 1))
    ),
    "frame ending before it starts": lambda db: items(db).select(
        func.sum(F.qty).over(order_by="name", rows=(0, -1))
    ),
    "frame beyond 32 bits": lambda db: items(db).select(
        func.sum(F.qty).over(order_by="name", rows=(-(2**40), 0))
    ),
    "offset beyond 32 bits": lambda db: items(db).select(
        func.lag(F.price, 2**40).over(order_by="name")
    ),
    "distinct": lambda db: items(db).select(func.count(F.qty, distinct=True).over()),
    "partition of a number": lambda db: items(db).select(func.avg(F.qty).over(partition_by=1)),
    "order of a number": lambda db: items(db).select(func.rank().over(order_by=2)),
    "a rank compared with text": lambda db: (
        items(db)
        .select(F.name, func.rank().over(order_by="name").label("r"))
        .cte("ranked")
        .query()
        .filter(F.r <= "3")
    ),
    "a window over a CTE's groups": lambda db: (
        items(db)
        .select(F.name)
        .cte("c")
        .query()
        .select(F.name, func.rank().over(order_by="name"))
        .group_by("name")
    ),
    "windows in a walk": lambda db: (
        items(db)
        .select(F.id, F.name, func.rank().over(order_by="name"))
        .recursive("w", link=(F.id, "id"))
        .query()
    ),
}
UNKNOWN: dict[str, Callable[[Database], Any]] = {
    "a CTE's column": lambda db: (
        items(db).select(F.name).cte("c").query().select(func.rank().over(order_by="price"))
    ),
    "field": lambda db: items(db).select(func.sum(F.nope).over()),
    "lag field": lambda db: items(db).select(func.lag(F.nope).over(order_by="name")),
    "partition": lambda db: items(db).select(
        func.rank().over(partition_by="nope", order_by="name")
    ),
    "order": lambda db: items(db).select(func.rank().over(order_by="-nope")),
    "order by a window unselected": lambda db: items(db).order_by(
        func.rank().over(order_by="name").label("r").desc()
    ),
}


def shaped(value: Any) -> Any:
    """Shape a query (its CTE's query too): everything checked before SQL would be built."""
    if isinstance(value, Query):
        if value.source is not None:
            return shape_cte_query(compiler(value), value)
        return shape_of(value)
    return value


@pytest.mark.parametrize("name", REFUSED)
def test_misuse_is_a_validation_error(db: Database, name: str) -> None:
    with pytest.raises(ValidationError):
        shaped(REFUSED[name](db))


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown_names_are_refused(db: Database, name: str) -> None:
    with pytest.raises(UnknownFieldError):
        shaped(UNKNOWN[name](db))


def test_a_window_label_orders_the_query(db: Database) -> None:
    query = items(db).select(F.name, func.rank().over(order_by="name").label("r")).order_by("-r")
    text = sql(query, postgresql.dialect())
    assert text.rstrip().endswith("ORDER BY r DESC")


def test_windows_over_a_cte_read_its_columns(db: Database) -> None:
    totals = (
        items(db)
        .select(F.category, func.sum(F.price).label("total"))
        .group_by("category")
        .cte("totals")
    )
    query = totals.query().select(
        F.category,
        func.rank().over(order_by=F.total.desc()).label("r"),
        func.lag(F.total, 1, "0.50").over(order_by="category"),
    )
    shaper = compiler(query)
    shape = shape_cte_query(shaper, query)
    lag = shape.projection[2]
    assert isinstance(lag, Windowed)
    assert lag.field == "total"
    assert lag.default is not None
    assert shaper.params[lag.default] == Decimal("0.50")  # coerced as the summed field
    runner: Any = query.runner
    renderer = Renderer(runner.mapped, runner.scope, runner.db.registry)
    text = " ".join(str(select_cte(renderer, shape, "project").compile()).split())
    assert text.startswith("WITH totals AS (SELECT q_items.category AS category, sum(")
    assert "rank() OVER (ORDER BY totals.total DESC) AS _w0 FROM totals) AS _w1" in text
