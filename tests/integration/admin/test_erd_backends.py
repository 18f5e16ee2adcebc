"""The ER graph spelled in each backend's types matches the database it describes."""

from __future__ import annotations

import sqlalchemy as sa

from storied import Database
from storied.admin import build_graph, to_mermaid
from tests.models import Account, Price, StockItem, Warehouse
from tests.unit.test_erd import assert_parses


def test_graph_matches_the_reflected_database(db: Database) -> None:
    models = [Account, Price, StockItem, Warehouse]
    db.create_all(models)
    graph = build_graph(db.registry, models, dialect=db.engine.dialect)
    assert_parses(to_mermaid(graph))
    inspector = sa.inspect(db.engine)
    for table in graph.tables:
        reflected = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert [c.name for c in table.columns] == list(reflected)
        for column in table.columns:
            assert column.nullable == reflected[column.name]["nullable"], column
        foreign = {
            (fk["constrained_columns"][0], fk["referred_table"])
            for fk in inspector.get_foreign_keys(table.name)
        }
        mine = {(r.columns[0], r.parent) for r in graph.relations if r.child == table.name}
        assert mine == foreign
