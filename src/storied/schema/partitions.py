"""Schema sync of partitioned history tables: the partitions each one should have by now.

A partitioned table (see ``mapping/partitions.py``) gets its DEFAULT partition and one per
month from the current month to ``ahead`` months after it. Each missing one is a safe change
of its own ("add partition"); a plan made a month later adds the next month. Existing
partitions are read from ``pg_inherits``; storied's own names say which month each covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from alembic.operations import ops

from ..mapping.partitions import (
    PARTITIONS_SQL,
    catalog_params,
    create_sql,
    month_of,
    next_month,
    partition_name,
    partitioned,
    wanted,
)
from .work import CREATE_INDEX, Work


def existing_partitions(connection: sa.Connection, table: sa.Table) -> set[str]:
    """The names of ``table``'s partitions in the database (none when it does not exist)."""
    found = connection.execute(sa.text(PARTITIONS_SQL), catalog_params(table))
    return {str(name) for (name,) in found}


def missing(
    connection: sa.Connection, tables: Iterable[sa.Table], now: dt.datetime
) -> list[tuple[sa.Table, str, list[str]]]:
    """(table, partition, the SQL that adds it) for every partition still to be made."""
    preparer = connection.dialect.identifier_preparer
    out: list[tuple[sa.Table, str, list[str]]] = []
    for table in tables:
        info = partitioned(table)
        if info is None:
            continue
        have = existing_partitions(connection, table)
        default = partition_name(table.name, None)
        has_default = default in have
        if not has_default:
            out.append((table, default, create_sql(table, None, preparer)))
        months = [m for m in (month_of(table.name, n) for n in have) if m is not None]
        for start in wanted(info.config, now, max(months, default=None)):
            name = partition_name(table.name, start)
            if name not in have:
                sql = create_sql(table, start, preparer, move_from_default=has_default)
                out.append((table, name, sql))
    return out


def partition_work(
    connection: sa.Connection, tables: Iterable[sa.Table], now: dt.datetime
) -> list[Work]:
    """The planned changes that add the missing partitions (after the tables are created)."""
    return [
        Work(
            "add partition",
            table.name,
            name,
            _bounds(table, name),
            tuple(ops.ExecuteSQLOp(statement) for statement in sql),
            phase=CREATE_INDEX,
        )
        for table, name, sql in missing(connection, tables, now)
    ]


def _bounds(table: sa.Table, name: str) -> str:
    start = month_of(table.name, name)
    if start is None:
        return "(DEFAULT: current versions and rows of months without a partition)"
    return f"(from {start:%Y-%m-%d} to {next_month(start):%Y-%m-%d})"


def create_partitions(
    connection: sa.Connection, tables: Iterable[sa.Table], now: dt.datetime
) -> None:
    """Make the missing partitions now (``create_all``)."""
    for _, _, sql in missing(connection, tables, now):
        for statement in sql:
            connection.exec_driver_sql(statement)
