"""engine/translate.py: every kind a dialect reports has exactly one storied error."""

from __future__ import annotations

import sqlite3
from typing import Any, get_args

import pytest

from storied import errors
from storied.dialects import Backend, ErrorInfo, ErrorKind, mssql, mysql, postgresql, sqlite
from storied.engine.executor_base import ExecutorBase
from storied.engine.pool import Lease
from storied.engine.translate import TRANSLATIONS, translate

EXPECTED: dict[str, type[errors.StoriedError]] = {
    "unique": errors.ConflictError,
    "foreign_key": errors.IntegrityError,
    "not_null": errors.IntegrityError,
    "check": errors.IntegrityError,
    "data": errors.ValidationError,
    "timeout": errors.DatabaseTimeout,
    "deadlock": errors.TransactionConflict,
    "serialization": errors.TransactionConflict,
    "operational": errors.OperationalError,
    "missing_table": errors.SchemaError,
    "row_security": errors.TenantViolation,
    "other": errors.DatabaseError,
}


class Context:
    """What an operation tells the translator: the model and a constraint → fields lookup."""

    model_name = "Product"
    key = "products"

    def fields_for(self, constraint: str | None, columns: tuple[str, ...]) -> tuple[str, ...]:
        if constraint == "uq_products_sku":
            return ("sku",)
        return tuple(c for c in columns if c not in ("tenant_id", "live_key"))


def test_the_table_covers_every_error_kind() -> None:
    assert set(TRANSLATIONS) == set(get_args(ErrorKind))


def test_the_expectations_here_cover_every_kind_too() -> None:
    assert set(EXPECTED) == set(get_args(ErrorKind))


@pytest.mark.parametrize("kind", list(get_args(ErrorKind)))
@pytest.mark.parametrize("ctx", [Context(), None], ids=["with-model", "without"])
def test_each_kind_becomes_its_storied_error(kind: Any, ctx: Context | None) -> None:
    exc = translate(ErrorInfo(kind), ctx)
    assert type(exc) is EXPECTED[kind]
    assert isinstance(exc, errors.DataError)
    assert str(exc)
    if ctx is not None:
        assert str(exc).startswith("Product")


@pytest.mark.parametrize(
    "table",
    [sqlite._BY_NAME, postgresql._BY_SQLSTATE, mysql._BY_ERRNO, mssql._BY_NUMBER],
    ids=["sqlite", "postgresql", "mysql", "mssql"],
)
def test_dialects_only_report_kinds_the_table_knows(table: dict[Any, str]) -> None:
    assert set(table.values()) <= set(TRANSLATIONS)


def test_a_unique_violation_names_the_fields_from_the_constraint() -> None:
    exc = translate(ErrorInfo("unique", constraint="uq_products_sku"), Context())
    assert isinstance(exc, errors.ConflictError)
    assert exc.fields == ("sku",)
    assert exc.model == "Product"
    assert str(exc) == "Product: another live row already has this sku"


def test_a_unique_violation_names_the_fields_from_the_columns() -> None:
    info = ErrorInfo("unique", columns=("tenant_id", "sku", "live_key"))
    exc = translate(info, Context())
    assert isinstance(exc, errors.ConflictError)
    assert exc.fields == ("sku",)


def test_integrity_errors_keep_kind_and_constraint() -> None:
    exc = translate(ErrorInfo("check", constraint="ck_products_price_ge"), Context())
    assert isinstance(exc, errors.IntegrityError)
    assert (exc.kind, exc.constraint) == ("check", "ck_products_price_ge")
    assert "ck_products_price_ge" in str(exc)


def test_timeouts_are_timeout_errors() -> None:
    assert isinstance(translate(ErrorInfo("timeout"), None), TimeoutError)


def test_deadlocks_and_serialization_failures_are_retryable_conflicts() -> None:
    for kind in ("deadlock", "serialization"):
        exc = translate(ErrorInfo(kind), None)  # type: ignore[arg-type]
        assert isinstance(exc, errors.TransactionConflict)
        assert isinstance(exc, errors.ConflictError)


# --- the executor boundary -------------------------------------------------------------------
def boundary() -> ExecutorBase:
    return ExecutorBase(Backend(sqlite.CAPABILITIES, sqlite.classify, None), cache=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bug",
    [
        AttributeError("'NoneType' object has no attribute 'x'"),
        TypeError("unsupported operand"),
        sqlite3.ProgrammingError("Incorrect number of bindings supplied"),
    ],
)
def test_the_boundary_hands_programming_errors_back_unchanged(bug: Exception) -> None:
    lease = Lease(None, None)  # type: ignore[arg-type]
    assert boundary()._fail(bug, lease, Context()) is None  # the executor re-raises it
    assert lease.broken is False


def test_the_boundary_translates_database_conditions() -> None:
    exc = sqlite3.IntegrityError("UNIQUE constraint failed: products.tenant_id, products.sku")
    exc.sqlite_errorname = "SQLITE_CONSTRAINT_UNIQUE"
    lease = Lease(None, None)  # type: ignore[arg-type]
    translated = boundary()._fail(exc, lease, Context())
    assert isinstance(translated, errors.ConflictError)
    assert translated.fields == ("sku",)
    assert lease.broken is False


def test_a_lost_connection_is_not_reused() -> None:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorname = "SQLITE_IOERR"
    lease = Lease(None, None)  # type: ignore[arg-type]
    assert isinstance(boundary()._fail(exc, lease, None), errors.OperationalError)
    assert lease.broken is True
