"""The library behaviour each private use in storied/_compat.py relies on, pinned.

When an upgrade of SQLAlchemy, Alembic or Pydantic changes one, the matching test here fails
before anything that depends on it does.
"""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, sqlite

from storied import Model
from storied._compat import (
    ClauseAdapter,
    base_init,
    copy_column,
    greenlet_spawn,
    named_paramstyle,
    private_state,
    set_private_state,
    shallow_copy,
    stamp,
)
from storied.sql.like import CaseSensitiveLike
from storied.sql.unindexed import Unindexed


def _table() -> sa.Table:
    return sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(20), nullable=False, server_default="x"),
    )


def test_copy_column_is_unattached_and_keeps_the_definition() -> None:
    column = _table().c.name
    copied = copy_column(column)
    assert copied is not column
    assert copied.table is None  # type: ignore[attr-defined]
    assert column.table is not None
    assert (copied.name, copied.nullable, str(copied.type)) == ("name", False, "VARCHAR(20)")
    assert copied.server_default is not None
    sa.Table("u", sa.MetaData(), copied)  # attachable to another table


def test_named_paramstyle_renders_percent_once_and_leaves_the_original() -> None:
    dialect = mysql.dialect()
    assert dialect.paramstyle in ("format", "pyformat")
    clause = sa.text("SELECT 'a%b'")
    assert "a%%b" in str(clause.compile(dialect=dialect))
    plain = named_paramstyle(dialect)
    assert "a%b" in str(clause.compile(dialect=plain))
    assert "a%%b" not in str(clause.compile(dialect=plain))
    assert dialect.paramstyle in ("format", "pyformat")
    assert "a%%b" in str(clause.compile(dialect=dialect))


def test_greenlet_spawn_runs_sync_code_that_awaits_with_await_only() -> None:
    from sqlalchemy.util import await_only  # SQLAlchemy's own half; storied uses greenlet_spawn

    async def value() -> int:
        await asyncio.sleep(0)
        return 42

    def sync_side() -> int:
        return await_only(value()) + 1  # type: ignore[no-any-return]

    async def main() -> int:
        return await greenlet_spawn(sync_side)  # type: ignore[no-any-return]

    assert asyncio.run(main()) == 43


def test_clause_adapter_reaches_into_storieds_own_elements() -> None:
    table = _table()
    alias = table.alias("a1")
    for element in (
        CaseSensitiveLike(table.c.name, sa.bindparam("p")),
        Unindexed(table.c.name) == "x",
    ):
        adapted = ClauseAdapter(alias).traverse(element)
        sql = str(adapted.compile(dialect=sqlite.dialect()))
        assert "a1.name" in sql, sql
        assert "t.name" not in sql, sql


def test_custom_elements_name_their_table_as_a_from() -> None:
    table = _table()
    for element in (CaseSensitiveLike(table.c.name, sa.bindparam("p")), Unindexed(table.c.name)):
        sql = str(sa.select(sa.literal(1)).where(element == element).compile())
        assert "FROM t" in sql, sql


class Stamped(Model, table="compat_stamped"):
    name: str


def test_stamp_is_what_model_copy_update_gives() -> None:
    model = Stamped(name="a")
    copied = model.model_copy(update={"version": 3, "name": "b"})
    stamp(model, {"version": 3, "name": "b"})
    assert model == copied
    assert model.model_fields_set == copied.model_fields_set
    assert {"version", "name"} <= model.model_fields_set
    assert model.model_dump(exclude_unset=True) == copied.model_dump(exclude_unset=True)


def test_private_state_is_none_until_set_and_stays_out_of_dumps() -> None:
    model = Stamped(name="a")
    assert private_state(model) is None
    set_private_state(model, {"_relations": {"x": 1}})
    assert private_state(model) == {"_relations": {"x": 1}}
    assert "_relations" not in model.model_dump()
    assert Stamped.model_validate(model.model_dump()).name == "a"


def test_a_base_init_is_not_the_users_own_init() -> None:
    # Pydantic would otherwise call Model.__init__ for each model_validate of a dict
    assert Stamped.__pydantic_custom_init__ is False

    class Custom(Stamped, abstract=True):
        def __init__(self, **data: object) -> None:
            super().__init__(**data)

    class Declared(Stamped, abstract=True):
        @base_init
        def __init__(self, **data: object) -> None:
            super().__init__(**data)

    assert Custom.__pydantic_custom_init__ is True
    assert Declared.__pydantic_custom_init__ is False


def test_shallow_copy_is_what_validating_the_values_again_gives() -> None:
    model = Stamped(name="a")
    set_private_state(model, {"_relations": {"x": 1}})
    copied = shallow_copy(model, {"name"})
    again = Stamped.model_validate({"name": "a"})
    assert copied == again
    assert type(copied) is Stamped
    assert copied.__dict__ == again.__dict__
    assert copied.__dict__ is not model.__dict__
    assert copied.model_fields_set == again.model_fields_set == {"name"}
    assert private_state(copied) is None
    assert copied.__pydantic_extra__ is None
    assert copied.model_dump() == again.model_dump()
