"""The raw SQL of an update per temporal strategy: the statements storied sends, by hand.

``python -m bench history --show-sql`` prints them beside storied's. Per update:

- ``none``: one UPDATE … RETURNING (MariaDB: BEGIN, UPDATE, SELECT, COMMIT), as in the crud bench.
- ``copy_on_change``: BEGIN (IMMEDIATE on SQLite); SELECT the row FOR UPDATE (SQLite: the write
  lock is the transaction); UPDATE it; INSERT one audit row per changed field; COMMIT.
- ``scd2`` where UPDATE has RETURNING: BEGIN; UPDATE closing the current version (its WHERE
  clause takes the id's identity-row lock in a sub-select where rows lock, checks that the
  clock moved on and that the value really changes) RETURNING the old version; INSERT the next
  version; COMMIT. MariaDB: BEGIN; lock the identity row; SELECT the current version FOR
  UPDATE; UPDATE its ``valid_to``; INSERT the next; COMMIT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .raw import COLUMNS, SQL

AUDIT_COLUMNS = (
    "record_id",
    "tenant_id",
    "change_set",
    "operation",
    "field",
    "old_value",
    "new_value",
    "actor",
    "changed_at",
)
VERSION_COLUMNS = (*COLUMNS, "valid_from", "valid_to")
STOCK = COLUMNS.index("stock")
VERSION = COLUMNS.index("version")


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between the backends' SQL, as the raw side needs it."""

    placeholder: Callable[[int], str]
    begin: str
    #: UPDATE … RETURNING exists (PostgreSQL, SQLite); else MariaDB's lock-and-read path
    returning: bool
    #: SELECT … FOR UPDATE locks rows (not on SQLite, whose write lock is the transaction)
    row_locks: bool
    #: "a differs from b, NULLs included"
    distinct: str


def _fill(template: str, placeholder: Callable[[int], str]) -> str:
    """Replace each ``{}`` with the next placeholder: ``?``, ``%s`` or ``$1, $2, …``."""
    count = template.count("{}")
    return template.format(*(placeholder(i) for i in range(1, count + 1)))


@dataclass(frozen=True, slots=True)
class HistorySQL:
    none: SQL
    #: copy_on_change: lock-read, UPDATE, audit INSERT
    cc_lock: str
    cc_update: str
    cc_audit: str
    #: scd2 with RETURNING: the close; without: identity lock, current lock, close by row_id
    close: str
    identity_lock: str
    current_lock: str
    close_row: str
    insert_version: str
    begin: str
    returning: bool

    @classmethod
    def build(cls, d: Dialect) -> HistorySQL:
        cols = ", ".join(COLUMNS)
        live = "deleted_at IS NULL"
        lock = " FOR UPDATE" if d.row_locks else ""
        p = d.placeholder
        identity = "SELECT id FROM stock_versioned_identity WHERE id = {} AND tenant_id = {}"
        identity += " ORDER BY id FOR UPDATE"
        in_lock = f"id = ({identity}) AND " if d.row_locks else ""
        close = (
            "UPDATE stock_versioned SET valid_to = {} WHERE "
            f"{in_lock}id = {{}} AND tenant_id = {{}} AND {live} AND current_key = 1 "
            f"AND valid_from < {{}} AND {d.distinct} RETURNING {cols}"
        )
        audit = ", ".join(AUDIT_COLUMNS)
        versions = ", ".join(VERSION_COLUMNS)
        return cls(
            none=SQL.build(p, d.returning, "stock_none"),
            cc_lock=_fill(
                f"SELECT {cols} FROM stock_audited WHERE id = {{}} AND tenant_id = {{}} "
                f"AND {live}{lock}",
                p,
            ),
            cc_update=_fill(
                "UPDATE stock_audited SET stock = {}, version = version + 1, updated_at = {}, "
                f"updated_by = {{}} WHERE id = {{}} AND tenant_id = {{}} AND {live}",
                p,
            ),
            cc_audit=_fill(
                f"INSERT INTO stock_audited_audit ({audit}) VALUES "
                f"({', '.join('{}' for _ in AUDIT_COLUMNS)})",
                p,
            ),
            close=_fill(close, p),
            identity_lock=_fill(identity, p),
            current_lock=_fill(
                f"SELECT {cols}, row_id, valid_from, valid_to FROM stock_versioned "
                f"WHERE id = {{}} AND tenant_id = {{}} AND {live} AND current_key = 1{lock}",
                p,
            ),
            close_row=_fill("UPDATE stock_versioned SET valid_to = {} WHERE row_id = {}", p),
            insert_version=_fill(
                f"INSERT INTO stock_versioned ({versions}) VALUES "
                f"({', '.join('{}' for _ in VERSION_COLUMNS)})",
                p,
            ),
            begin=d.begin,
            returning=d.returning,
        )

    def statements(self) -> dict[str, list[str]]:
        """What one update sends, per strategy (BEGIN/COMMIT included)."""
        if self.returning:
            scd2 = [self.begin, self.close, self.insert_version, "COMMIT"]
        else:
            scd2 = [self.begin, self.identity_lock, self.current_lock, self.close_row]
            scd2 += [self.insert_version, "COMMIT"]
        return {
            "none": self.none.statements()[2:3],
            "copy_on_change": [self.begin, self.cc_lock, self.cc_update, self.cc_audit, "COMMIT"],
            "scd2": scd2,
        }


def qmark(i: int) -> str:
    return "?"


def pyformat(i: int) -> str:
    return "%s"


def numeric(i: int) -> str:
    return f"${i}"


DIALECTS = {
    "sqlite": Dialect(qmark, "BEGIN IMMEDIATE", True, False, "stock IS NOT {}"),
    "postgresql": Dialect(pyformat, "BEGIN", True, True, "stock IS DISTINCT FROM {}"),
    "mysql": Dialect(pyformat, "BEGIN", False, True, "NOT (stock <=> {})"),
}


def history_sql(backend: str, dollar: bool = False) -> HistorySQL:
    """The statements for ``backend``; ``dollar`` placeholders ($1, $2, …) for asyncpg."""
    d = DIALECTS[backend]
    if dollar:
        d = Dialect(numeric, d.begin, d.returning, d.row_locks, d.distinct)
    return HistorySQL.build(d)
