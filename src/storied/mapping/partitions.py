"""Partitioned history (PostgreSQL): history tables range-partitioned by month.

``Database(url, history_partitions="month")`` (or a :class:`HistoryPartitions`) partitions
every ``copy_on_change`` audit table by ``changed_at`` and every ``scd2`` versions table by
``valid_to``, the moment a version was closed. Closing is what makes a version prunable, so a
month partition of versions holds only versions closed in that month: ``prune_history`` drops
the partitions entirely before ``older_than`` and deletes only in the boundary one. Current
versions (``valid_to IS NULL``) live in the DEFAULT partition, which also takes any row no
month partition covers yet, so no write is ever refused for want of a partition; schema sync
moves such rows into the month partition it adds later.

PostgreSQL wants the partition key in every primary key and unique index of a partitioned
table: the audit table's key becomes ``(audit_id, changed_at)``; the versions table has no
primary key (``valid_to`` is NULL on current versions) and its unique indexes end with
``valid_to`` under ``NULLS NOT DISTINCT``, so "one current version per id" and the unique
fields among current versions stay the database's own rules (all current versions are in
one partition, where ``valid_to`` is NULL for all of them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from ..errors import ConfigurationError, ModelDefinitionError

#: ``Table.info`` key of a partitioned history table: (key column, interval, ahead), plain
#: data, as Alembic writes ``info`` into revisions as it is
PARTITIONED = "storied_partitioned"

Interval = Literal["month"]


@dataclass(frozen=True, slots=True)
class HistoryPartitions:
    """How history tables are partitioned: by ``interval``, ``ahead`` partitions made in
    advance beyond the current one by schema sync (and ``create_all``)."""

    interval: Interval = "month"
    ahead: int = 3

    def __post_init__(self) -> None:
        if self.interval != "month":
            raise ConfigurationError(
                f"history_partitions: interval must be 'month', not {self.interval!r}"
            )
        if not isinstance(self.ahead, int) or self.ahead < 0:
            raise ConfigurationError("history_partitions: ahead must be an int ≥ 0")


def partitions_option(value: str | HistoryPartitions | None) -> HistoryPartitions | None:
    """The option as given to ``Database``/``Registry``: a name, the dataclass or None."""
    if value is None or isinstance(value, HistoryPartitions):
        return value
    if value == "month":
        return HistoryPartitions()
    raise ConfigurationError(
        f"history_partitions must be 'month' or a HistoryPartitions, not {value!r}"
    )


@dataclass(frozen=True, slots=True)
class Partitioned:
    """What ``Table.info[PARTITIONED]`` holds: the key column and the configuration."""

    key: str
    config: HistoryPartitions


def partitioned(table: sa.Table) -> Partitioned | None:
    found = table.info.get(PARTITIONED)
    if found is None:
        return None
    key, interval, ahead = found
    return Partitioned(key, HistoryPartitions(interval, ahead))


def mark(table: sa.Table, key: str, config: HistoryPartitions) -> dict[str, Any]:
    """Mark ``table`` as partitioned by ``key``; returns the Table kwargs that say so."""
    longest = partition_name(table.name, None)
    if len(longest) > 63:  # PostgreSQL would cut the partitions' names short
        raise ModelDefinitionError(
            f"table {table.name!r}: too long a name for partitioned history "
            f"({longest!r} passes PostgreSQL's 63 characters); choose a shorter table name"
        )
    table.info[PARTITIONED] = (key, config.interval, config.ahead)
    return {"postgresql_partition_by": f"RANGE ({key})"}


#: the partitions of the table ``:name`` in schema ``:schema`` (NULL: the current schema),
#: by catalog names, so that no identifier needs quoting
PARTITIONS_SQL = (
    "SELECT c.relname FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid "
    "JOIN pg_class p ON p.oid = i.inhparent "
    "JOIN pg_namespace n ON n.oid = p.relnamespace "
    "WHERE p.relname = :name AND n.nspname = coalesce(:schema, current_schema()) "
    "ORDER BY c.relname"
)


def catalog_params(table: sa.Table) -> dict[str, Any]:
    return {"name": table.name, "schema": table.schema}


def month_start(moment: dt.datetime) -> dt.datetime:
    return dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)


def next_month(start: dt.datetime) -> dt.datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def wanted(
    config: HistoryPartitions, now: dt.datetime, newest: dt.datetime | None = None
) -> list[dt.datetime]:
    """The starts of the month partitions that should exist at ``now``: the current month and
    ``ahead`` more, and every month since the ``newest`` one that exists (a month schema sync
    did not run in has its rows in the DEFAULT partition until then)."""
    current = month_start(now.astimezone(dt.UTC))
    start = current if newest is None else min(current, next_month(newest))
    last = current
    for _ in range(config.ahead):
        last = next_month(last)
    out = [start]
    while out[-1] < last:
        out.append(next_month(out[-1]))
    return out


def partition_name(table: str, start: dt.datetime | None) -> str:
    """``<table>_p202601`` for a month, ``<table>_pdefault`` for the DEFAULT partition."""
    return f"{table}_pdefault" if start is None else f"{table}_p{start:%Y%m}"


def month_of(table: str, name: str) -> dt.datetime | None:
    """The month a partition of ``table`` named by :func:`partition_name` covers."""
    found = re.fullmatch(re.escape(table) + r"_p(\d{4})(\d{2})", name)
    if found is None:
        return None
    return dt.datetime(int(found[1]), int(found[2]), 1, tzinfo=dt.UTC)


def is_partition_name(table: str, name: str) -> bool:
    return name == partition_name(table, None) or month_of(table, name) is not None


def parent_index(table: sa.Table, name: str) -> str | None:
    """The index of ``table`` that a partition's index ``name`` belongs to.

    PostgreSQL names a partition's copy of an index ``<partition>_<columns>_idx``, and an
    error names that copy: this finds the declared index again (for ConflictError's fields).
    """
    if partitioned(table) is None:
        return None
    for index in table.indexes:
        columns = "_".join(c.name for c in index.columns)
        if (
            index.name
            and is_partition_name(table.name, name[: -len(columns) - 5])
            and (name.endswith(f"_{columns}_idx"))
        ):
            return str(index.name)
    return None


def _literal(moment: dt.datetime) -> str:
    return f"'{moment:%Y-%m-%d %H:%M:%S}+00'"


def _qualified(preparer: Any, table: sa.Table, name: str) -> str:
    """A partition's quoted name, in its parent's schema."""
    if table.schema is None:
        return str(preparer.quote(name))
    return f"{preparer.quote_schema(table.schema)}.{preparer.quote(name)}"


def create_sql(
    table: sa.Table, start: dt.datetime | None, preparer: Any, move_from_default: bool = False
) -> list[str]:
    """The statements that add one partition (``start`` None: the DEFAULT one).

    With ``move_from_default``, rows the DEFAULT partition already holds for the new month are
    moved into it (PostgreSQL refuses the partition while the DEFAULT one holds its rows)."""
    info = partitioned(table)
    assert info is not None
    parent = preparer.format_table(table)
    child = _qualified(preparer, table, partition_name(table.name, start))
    if start is None:
        return [f"CREATE TABLE {child} PARTITION OF {parent} DEFAULT"]
    bounds = f"FOR VALUES FROM ({_literal(start)}) TO ({_literal(next_month(start))})"
    create = f"CREATE TABLE {child} PARTITION OF {parent} {bounds}"
    if not move_from_default:
        return [create]
    default = _qualified(preparer, table, partition_name(table.name, None))
    key = preparer.quote(info.key)
    within = f"{key} >= {_literal(start)} AND {key} < {_literal(next_month(start))}"
    columns = ", ".join(preparer.quote(c.name) for c in table.columns if c.computed is None)
    return [
        f"ALTER TABLE {parent} DETACH PARTITION {default}",
        create,
        f"INSERT INTO {parent} ({columns}) SELECT {columns} FROM {default} WHERE {within}",
        f"DELETE FROM {default} WHERE {within}",
        f"ALTER TABLE {parent} ATTACH PARTITION {default} DEFAULT",
    ]
