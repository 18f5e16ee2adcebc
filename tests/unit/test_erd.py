"""ER graph from the Registry, rendered to Mermaid (grammar-checked), DOT and SVG."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from storied import ConfigurationError, Field, MissingToolError, Model, Registry
from storied.admin import build_graph, to_dot, to_mermaid, to_svg
from tests.models import Account, Price, Setting, StockItem, Warehouse

# Mermaid's erDiagram grammar (erDiagram.jison), restricted to the oldest lexer rules still in
# use: entity names [A-Za-z_][A-Za-z0-9_-]*, attribute words without commas, spaces or dots,
# keys PK/FK/UK, a comment a quoted string without quotes, cardinalities of the crow's foot.
ENTITY = r"[A-Za-z_][A-Za-z0-9_\-]*"
ATTR_WORD = r"[A-Za-z_][A-Za-z0-9_\-]*"
LINE_RULES = [
    re.compile(r"erDiagram"),
    re.compile(r"\s*%%[^\n]*"),
    re.compile(rf"\s*{ENTITY} \{{"),
    re.compile(r"\s*\}"),
    re.compile(rf'\s*{ATTR_WORD} {ATTR_WORD}( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"\n]*")?'),
    re.compile(
        rf"\s*{ENTITY} (\|o|\|\||\}}o|\}}\|)(--|\.\.)(o\||\|\||o\{{|\|\{{) {ENTITY} : "
        rf'("[^"\n]*"|{ATTR_WORD})'
    ),
]


def assert_parses(text: str) -> None:
    """Every line matches one rule of the grammar; braces balance; relations name entities."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "erDiagram"
    depth = 0
    entities: set[str] = set()
    for number, line in enumerate(lines, 1):
        assert any(rule.fullmatch(line) for rule in LINE_RULES), f"line {number}: {line!r}"
        if line.rstrip().endswith("{") and "--" not in line and ".." not in line:
            assert depth == 0, f"line {number}: nested block"
            depth += 1
            entities.add(line.split()[0])
        elif line.strip() == "}":
            depth -= 1
    assert depth == 0
    for line in lines:
        if "--" in line and not line.strip().startswith("%%"):
            left, _, right = line.split()[:3]
            assert {left, right} <= entities, line


class Ledger(Model, table="ledger_lines", db_schema="finance.v2", history="copy_on_change"):
    """Awkward names and types: a dotted schema, DECIMAL with a comma, a quoted comment."""

    amount: Decimal = Field(max_digits=8, decimal_places=2)
    account_id: UUID | None = Field(default=None, foreign_key=Account)
    memo: str = Field(max_length=255)


def registry(*models: type[Model]) -> Registry:
    reg = Registry()
    reg.add(*models)
    return reg


@pytest.mark.parametrize("dialect", [postgresql.dialect(), mysql.dialect(), sqlite.dialect()])
def test_mermaid_output_always_parses(dialect: sa.Dialect) -> None:
    graph = build_graph(registry(Account, Price, StockItem, Setting, Ledger), dialect=dialect)
    text = to_mermaid(graph)
    assert_parses(text)
    assert "finance_v2_ledger_lines {" in text
    # the exact type is kept in the comment (SQLite stores decimals as scaled BIGINTs)
    assert any(t in text for t in ('"NUMERIC(8, 2)"', '"DECIMAL(8, 2)"', "BIGINT amount"))


def test_grammar_check_rejects_what_mermaid_rejects() -> None:
    """The check itself: the raw names and types Mermaid refuses do fail it."""
    for bad in (
        "erDiagram\n    a.b {\n        UUID id PK\n    }\n",
        "erDiagram\n    t {\n        DECIMAL(8,2) amount\n    }\n",
        "erDiagram\n    t {\n        varchar(255) name\n    }\n",
        'erDiagram\n    t {\n        UUID id "say "hi""\n    }\n',
    ):
        with pytest.raises(AssertionError):
            assert_parses(bad)


def test_graph_marks_kinds_keys_tenant_and_cardinality() -> None:
    graph = build_graph(registry(Account, Price, StockItem, Setting, Ledger))
    kinds = {t.name: t.kind for t in graph.tables}
    assert kinds["accounts_audit"] == "audit"
    assert kinds["prices_identity"] == "identity"
    assert kinds["prices"] == "model"
    assert graph.table("prices").history == "scd2"
    accounts = {c.name: c for c in graph.table("accounts").columns}
    assert accounts["id"].primary_key
    assert accounts["tenant_id"].tenant
    assert accounts["code"].unique
    assert not accounts["owner"].unique
    settings = {c.name: c for c in graph.table("settings").columns}
    assert not any(c.tenant for c in settings.values())  # untenanted model
    relations = {(r.child, r.parent): r for r in graph.relations}
    stock = relations[("stock_items", "warehouses")]
    assert stock.cardinality == "many-to-one"
    assert not stock.optional
    ledger = relations[("finance.v2.ledger_lines", "accounts")]
    assert ledger.optional
    assert ledger.columns == ("tenant_id", "account_id")  # references hold on (tenant, id)
    assert ("prices", "prices_identity") in relations
    assert "warehouses ||--o{ stock_items" in to_mermaid(graph)
    assert "accounts |o--o{ finance_v2_ledger_lines" in to_mermaid(graph)


def test_history_tables_optional_and_include_exclude() -> None:
    reg = registry(Account, Price, StockItem)
    names = {t.name for t in build_graph(reg, history=False).tables}
    assert names == {"accounts", "prices", "stock_items", "warehouses"}
    only = build_graph(reg, include=["stock_items", "warehouses"])
    assert {t.name for t in only.tables} == {"stock_items", "warehouses"}
    assert len(only.relations) == 1
    without = build_graph(reg, exclude=["warehouses"])
    assert "warehouses" not in {t.name for t in without.tables}
    assert all("warehouses" not in (r.child, r.parent) for r in without.relations)
    with pytest.raises(ConfigurationError, match="nope"):
        build_graph(reg, include=["nope"])


def test_entity_names_stay_distinct() -> None:
    class A(Model, table="x_y", db_schema="s"):
        name: str

    class B(Model, table="y", db_schema="s_x"):
        name: str

    text = to_mermaid(build_graph(registry(A, B)))
    assert_parses(text)
    assert "s_x_y {" in text
    assert "s_x_y_2 {" in text


def test_dot_escapes_and_renders_svg() -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("graphviz (dot) is not installed")
        pytest.skip("graphviz (dot) is not installed: apt-get install graphviz")
    graph = build_graph(registry(Account, StockItem, Warehouse, Ledger))
    dot = to_dot(graph)
    assert '"finance.v2.ledger_lines" -> "accounts"' in dot
    svg = to_svg(graph)
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg
    assert b"ledger_lines" in svg
    assert b"NUMERIC(8, 2)" in svg


def test_svg_without_dot_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingToolError, match="apt-get install graphviz"):
        to_svg(build_graph(registry(Warehouse)))
