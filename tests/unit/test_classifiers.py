"""Each dialect's classifier, fed the exception classes its real drivers raise.

The exceptions are constructed as the drivers build them (class, args, sqlstate/errno);
tests/integration/test_driver_errors.py triggers the same on the real servers.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncmy.errors
import asyncpg.exceptions
import psycopg
import psycopg.errors
import pymysql.err
import pytest

from storied.dialects import ErrorInfo, mssql, mysql, postgresql, sqlite

CLASSIFIERS = [sqlite.classify, postgresql.classify, mysql.classify, mssql.classify]


def located(info: ErrorInfo | None) -> tuple[Any, ...] | None:
    """What the tables below pin down: the kind and where it is (codes are tested apart)."""
    return None if info is None else (info.kind, info.constraint, info.columns)


def sqlite_error(cls: type[sqlite3.Error], message: str, name: str) -> sqlite3.Error:
    exc = cls(message)
    exc.sqlite_errorname = name
    return exc


def asyncmy_error(cls: Any, errno: int, message: str, sqlstate: str) -> Any:
    exc = cls(errno, message)
    exc.sqlstate = sqlstate
    return exc


def pyodbc_error(message: str) -> Exception:
    """pyodbc is not installed here; an exception from a class of its module stands in."""
    cls = type("IntegrityError", (Exception,), {"__module__": "pyodbc"})
    return cls("23000", message)  # type: ignore[no-any-return]


SQLITE = [
    (
        sqlite_error(
            sqlite3.IntegrityError,
            "UNIQUE constraint failed: products.tenant_id, products.sku, products.live_key",
            "SQLITE_CONSTRAINT_UNIQUE",
        ),
        ErrorInfo("unique", columns=("tenant_id", "sku", "live_key")),
    ),
    (
        sqlite_error(
            sqlite3.IntegrityError,
            "UNIQUE constraint failed: products.id",
            "SQLITE_CONSTRAINT_PRIMARYKEY",
        ),
        ErrorInfo("unique", columns=("id",)),
    ),
    (
        sqlite_error(
            sqlite3.IntegrityError,
            "NOT NULL constraint failed: products.name",
            "SQLITE_CONSTRAINT_NOTNULL",
        ),
        ErrorInfo("not_null", columns=("name",)),
    ),
    (
        sqlite_error(
            sqlite3.IntegrityError,
            "CHECK constraint failed: ck_products_price_ge",
            "SQLITE_CONSTRAINT_CHECK",
        ),
        ErrorInfo("check"),
    ),
    (
        sqlite_error(
            sqlite3.IntegrityError, "FOREIGN KEY constraint failed", "SQLITE_CONSTRAINT_FOREIGNKEY"
        ),
        ErrorInfo("foreign_key"),
    ),
    (
        sqlite_error(sqlite3.OperationalError, "database is locked", "SQLITE_BUSY"),
        ErrorInfo("timeout"),
    ),
    (
        sqlite_error(sqlite3.OperationalError, "unable to open database file", "SQLITE_CANTOPEN"),
        ErrorInfo("operational"),
    ),
    (
        sqlite_error(sqlite3.OperationalError, "disk I/O error", "SQLITE_IOERR"),
        ErrorInfo("operational"),
    ),
    (
        sqlite_error(sqlite3.OperationalError, "database or disk is full", "SQLITE_FULL"),
        ErrorInfo("other"),
    ),
]

POSTGRESQL = [
    (psycopg.errors.UniqueViolation("duplicate key"), ErrorInfo("unique")),
    (psycopg.errors.ForeignKeyViolation("fk"), ErrorInfo("foreign_key")),
    (psycopg.errors.NotNullViolation("null"), ErrorInfo("not_null")),
    (psycopg.errors.CheckViolation("check"), ErrorInfo("check")),
    (psycopg.errors.StringDataRightTruncation("too long"), ErrorInfo("data")),
    (psycopg.errors.NumericValueOutOfRange("range"), ErrorInfo("data")),
    (psycopg.errors.SerializationFailure("serialize"), ErrorInfo("serialization")),
    (psycopg.errors.DeadlockDetected("deadlock"), ErrorInfo("deadlock")),
    (psycopg.errors.LockNotAvailable("nowait"), ErrorInfo("timeout")),
    (psycopg.errors.QueryCanceled("statement timeout"), ErrorInfo("timeout")),
    (psycopg.errors.AdminShutdown("shutdown"), ErrorInfo("operational")),
    (psycopg.OperationalError("connection refused"), ErrorInfo("operational")),
    (psycopg.errors.DivisionByZero("zero"), ErrorInfo("other")),
    (asyncpg.exceptions.UniqueViolationError("duplicate key"), ErrorInfo("unique")),
    (asyncpg.exceptions.ForeignKeyViolationError("fk"), ErrorInfo("foreign_key")),
    (asyncpg.exceptions.CheckViolationError("check"), ErrorInfo("check")),
    (asyncpg.exceptions.StringDataRightTruncationError("long"), ErrorInfo("data")),
    (asyncpg.exceptions.DeadlockDetectedError("deadlock"), ErrorInfo("deadlock")),
    (asyncpg.exceptions.LockNotAvailableError("nowait"), ErrorInfo("timeout")),
    (asyncpg.exceptions.ConnectionDoesNotExistError("gone"), ErrorInfo("operational")),
]

MYSQL = [
    (
        pymysql.err.IntegrityError(1062, "Duplicate entry 'x-A1-1' for key 'uq_products_sku'"),
        ErrorInfo("unique", constraint="uq_products_sku"),
    ),
    (
        pymysql.err.IntegrityError(
            1452,
            "Cannot add or update a child row: a foreign key constraint fails (`db`.`child`, "
            "CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`))",
        ),
        ErrorInfo("foreign_key", constraint="fk_child_parent"),
    ),
    (
        pymysql.err.IntegrityError(1048, "Column 'name' cannot be null"),
        ErrorInfo("not_null", columns=("name",)),
    ),
    (
        pymysql.err.OperationalError(
            4025, "CONSTRAINT `ck_products_price_ge` failed for `db`.`products`"
        ),
        ErrorInfo("check", constraint="ck_products_price_ge"),
    ),
    (
        pymysql.err.DataError(1406, "Data too long for column 'name' at row 1"),
        ErrorInfo("data"),
    ),
    (
        pymysql.err.OperationalError(1205, "Lock wait timeout exceeded"),
        ErrorInfo("timeout"),
    ),
    (pymysql.err.OperationalError(1213, "Deadlock found"), ErrorInfo("deadlock")),
    (
        pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1'"),
        ErrorInfo("operational"),
    ),
    (pymysql.err.InterfaceError(0, ""), ErrorInfo("operational")),
    (
        pymysql.err.OperationalError(1317, "Query execution was interrupted", sqlstate="70100"),
        ErrorInfo("other"),
    ),
    (
        asyncmy_error(
            asyncmy.errors.IntegrityError,
            1062,
            "Duplicate entry 'x-A1-1' for key 'uq_products_sku'",
            "23000",
        ),
        ErrorInfo("unique", constraint="uq_products_sku"),
    ),
    (
        asyncmy_error(asyncmy.errors.OperationalError, 1205, "Lock wait timeout", "HY000"),
        ErrorInfo("timeout"),
    ),
]

MSSQL = [
    (pyodbc_error("[23000] Cannot insert duplicate key row (2601)"), ErrorInfo("unique")),
    (pyodbc_error("[23000] Violation of UNIQUE KEY constraint (2627)"), ErrorInfo("unique")),
    (
        pyodbc_error("[23000] The INSERT conflicted with the FOREIGN KEY (547)"),
        ErrorInfo("foreign_key"),
    ),
    (pyodbc_error("[23000] Cannot insert the value NULL (515)"), ErrorInfo("not_null")),
    (pyodbc_error("[40001] Transaction was deadlocked (1205)"), ErrorInfo("deadlock")),
]


@pytest.mark.parametrize(("exc", "expected"), SQLITE, ids=lambda v: getattr(v, "kind", None))
def test_sqlite(exc: BaseException, expected: ErrorInfo) -> None:
    assert located(sqlite.classify(exc)) == located(expected)


@pytest.mark.parametrize(("exc", "expected"), POSTGRESQL, ids=lambda v: getattr(v, "kind", None))
def test_postgresql(exc: BaseException, expected: ErrorInfo) -> None:
    assert located(postgresql.classify(exc)) == located(expected)


@pytest.mark.parametrize(("exc", "expected"), MYSQL, ids=lambda v: getattr(v, "kind", None))
def test_mysql(exc: BaseException, expected: ErrorInfo) -> None:
    assert located(mysql.classify(exc)) == located(expected)


@pytest.mark.parametrize(("exc", "expected"), MSSQL, ids=lambda v: getattr(v, "kind", None))
def test_mssql(exc: BaseException, expected: ErrorInfo) -> None:
    assert located(mssql.classify(exc)) == located(expected)


def test_postgresql_reads_the_constraint_name_from_the_driver() -> None:
    exc = asyncpg.exceptions.UniqueViolationError("duplicate key")
    exc.constraint_name = "uq_products_sku"
    assert located(postgresql.classify(exc)) == located(
        ErrorInfo("unique", constraint="uq_products_sku")
    )


PROGRAMMING_ERRORS = [
    (sqlite.classify, sqlite_error(sqlite3.OperationalError, 'near "SELEC"', "SQLITE_ERROR")),
    (sqlite.classify, sqlite3.ProgrammingError("Incorrect number of bindings supplied")),
    (sqlite.classify, sqlite3.InterfaceError("Error binding parameter 1")),
    (postgresql.classify, psycopg.errors.SyntaxError("syntax error at or near")),
    (postgresql.classify, psycopg.errors.UndefinedColumn("column does not exist")),
    (postgresql.classify, asyncpg.exceptions.PostgresSyntaxError("syntax error")),
    (postgresql.classify, asyncpg.exceptions.UndefinedColumnError("no column")),
    (mysql.classify, pymysql.err.ProgrammingError(1064, "You have an error in your SQL syntax")),
    (mysql.classify, pymysql.err.OperationalError(1054, "Unknown column", sqlstate="42S22")),
    (
        mysql.classify,
        asyncmy_error(asyncmy.errors.OperationalError, 1054, "Unknown column", "42S22"),
    ),
    (
        mysql.classify,
        asyncmy_error(asyncmy.errors.ProgrammingError, 1064, "SQL syntax", "42000"),
    ),
]


@pytest.mark.parametrize(("classify", "exc"), PROGRAMMING_ERRORS)
def test_programming_errors_are_left_alone(classify: Any, exc: BaseException) -> None:
    assert classify(exc) is None


@pytest.mark.parametrize("classify", CLASSIFIERS)
@pytest.mark.parametrize(
    "exc", [AttributeError("x"), TypeError("x"), KeyError("x"), ValueError("x"), OSError(1, "x")]
)
def test_python_errors_are_never_database_errors(classify: Any, exc: BaseException) -> None:
    assert classify(exc) is None


@pytest.mark.parametrize(
    ("classify", "foreign"),
    [
        (sqlite.classify, psycopg.errors.UniqueViolation("dup")),
        (postgresql.classify, pymysql.err.IntegrityError(1062, "Duplicate")),
        (mysql.classify, sqlite_error(sqlite3.IntegrityError, "dup", "SQLITE_CONSTRAINT_UNIQUE")),
        (mssql.classify, psycopg.errors.UniqueViolation("dup")),
    ],
)
def test_a_classifier_ignores_other_drivers(classify: Any, foreign: BaseException) -> None:
    assert classify(foreign) is None


MISSING_TABLES = [
    (sqlite.classify, sqlite_error(sqlite3.OperationalError, "no such table: x", "SQLITE_ERROR")),
    (postgresql.classify, psycopg.errors.UndefinedTable('relation "x" does not exist')),
    (postgresql.classify, asyncpg.exceptions.UndefinedTableError('relation "x" does not exist')),
    (mysql.classify, pymysql.err.ProgrammingError(1146, "Table 'db.x' doesn't exist")),
    (
        mysql.classify,
        asyncmy_error(asyncmy.errors.ProgrammingError, 1146, "Table 'db.x' doesn't exist", "42S02"),
    ),
]


@pytest.mark.parametrize(("classify", "exc"), MISSING_TABLES)
def test_a_missing_table_is_classified_with_its_name(classify: Any, exc: BaseException) -> None:
    info = classify(exc)
    assert info is not None
    assert (info.kind, info.table) == ("missing_table", "x")


#: client-side refusals: the connection is fine, so none of them may be a connection failure
CLIENT_SIDE = [
    psycopg.OperationalError(
        "sending query and params failed: number of parameters must be between 0 and 65535"
    ),
    asyncpg.exceptions.InterfaceError("the number of query arguments cannot exceed 32767"),
]


@pytest.mark.parametrize("exc", CLIENT_SIDE, ids=type)
def test_client_side_refusals_are_not_connection_failures(exc: BaseException) -> None:
    info = postgresql.classify(exc)
    assert info is not None
    assert info.kind == "other"


#: (exception, classifier, unsent): only a connection the driver knew closed sent nothing
SENT_OR_NOT = [
    (psycopg.OperationalError("the connection is closed"), postgresql.classify, True),
    (asyncpg.exceptions.InterfaceError("connection is closed"), postgresql.classify, True),
    (psycopg.errors.AdminShutdown("terminating connection"), postgresql.classify, False),
    (
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        postgresql.classify,
        False,
    ),
    (ConnectionResetError(104, "Connection reset by peer"), postgresql.classify, False),
    (pymysql.err.InterfaceError(0, ""), mysql.classify, True),
    (pymysql.err.OperationalError(2006, "MySQL server has gone away"), mysql.classify, True),
    (pymysql.err.OperationalError(2013, "Lost connection during query"), mysql.classify, False),
    (asyncmy.errors.InterfaceError(0, "Not connected"), mysql.classify, True),
]


@pytest.mark.parametrize(("exc", "classify", "unsent"), SENT_OR_NOT)
def test_lost_connections_say_whether_anything_was_sent(
    exc: BaseException, classify: Any, unsent: bool
) -> None:
    info = classify(exc)
    assert info is not None
    assert (info.kind, info.unsent) == ("operational", unsent)


def test_driver_codes_are_kept() -> None:
    pg = postgresql.classify(psycopg.errors.UniqueViolation("duplicate key"))
    assert pg is not None
    assert (pg.sqlstate, pg.code) == ("23505", "23505")
    my = mysql.classify(pymysql.err.IntegrityError(1062, "Duplicate entry 'x' for key 'uq'"))
    assert my is not None
    assert my.code == 1062
    lite = sqlite.classify(
        sqlite_error(
            sqlite3.IntegrityError, "UNIQUE constraint failed: t.a", "SQLITE_CONSTRAINT_UNIQUE"
        )
    )
    assert lite is not None
    assert lite.code == "SQLITE_CONSTRAINT_UNIQUE"


def test_an_interrupted_sqlite_statement_is_a_timeout() -> None:
    exc = sqlite_error(sqlite3.OperationalError, "interrupted", "SQLITE_INTERRUPT")
    info = sqlite.classify(exc)
    assert info is not None
    assert info.kind == "timeout"
