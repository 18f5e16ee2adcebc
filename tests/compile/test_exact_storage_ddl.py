"""The DDL of exact storage, per server (no server needed): collation names, decimal widths."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.schema import CreateTable

from storied import Field, Model, Registry


class Ledger(Model, table="ledgers"):
    note: str = Field(max_length=20)
    amount: Decimal = Decimal(0)


def _mysql(version: tuple[int, ...], mariadb: bool) -> sa.Dialect:
    dialect = mysql.dialect()
    dialect.server_version_info = version
    dialect.is_mariadb = mariadb
    return dialect


def create(dialect: sa.Dialect) -> str:
    table = Registry().mapped(Ledger).table
    return " ".join(str(CreateTable(table).compile(dialect=dialect)).split())


@pytest.mark.parametrize(
    ("dialect", "collation"),
    [
        (_mysql((10, 11, 9), mariadb=True), "utf8mb4_nopad_bin"),
        (_mysql((8, 0, 36), mariadb=False), "utf8mb4_0900_bin"),
        (_mysql((5, 7, 44), mariadb=False), "utf8mb4_bin"),  # 5.7 has no NO PAD binary one
    ],
    ids=["mariadb", "mysql8", "mysql57"],
)
def test_each_server_gets_its_binary_no_pad_collation(dialect: sa.Dialect, collation: str) -> None:
    sql = create(dialect)
    assert sql.endswith(f"CHARSET=utf8mb4 COLLATE {collation}")
    assert sql.count("COLLATE") == 1


@pytest.mark.parametrize(
    ("dialect", "column"),
    [
        (postgresql.dialect(), "amount NUMERIC NOT NULL"),
        (_mysql((10, 11, 9), mariadb=True), "amount NUMERIC(65, 30) NOT NULL"),
        (sqlite.dialect(), "amount BIGINT NOT NULL"),  # scaled: 18 digits, 6 places
    ],
    ids=["postgresql", "mariadb", "sqlite"],
)
def test_an_undeclared_decimal_is_the_widest_exact_type(dialect: sa.Dialect, column: str) -> None:
    assert column in create(dialect)
