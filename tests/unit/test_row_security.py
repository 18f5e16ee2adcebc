"""Row-Level Security without a server: who may ask for it, the scope a session carries, the
policy text, and how a policy's refusal is classified (the behaviour on PostgreSQL is tested
in tests/integration/row_security/)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect

from storied import AsyncDatabase, ConfigurationError, Database
from storied.dialects import postgresql
from storied.dialects.row_security import array_literal, expression
from storied.tenancy.scope import UNSCOPED, Scope
from storied.tenancy.session import ADMIN, given_scope, session_scope

REFUSED = ["sqlite://", "mysql://root@localhost/x", "mariadb://root@localhost/x"]


@pytest.mark.parametrize("url", REFUSED)
@pytest.mark.parametrize("cls", [Database, AsyncDatabase])
def test_backends_without_row_security_refuse_it(cls: Any, url: str) -> None:
    with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
        cls(url, row_level_security=True)
    cls(url)  # off by default


def test_the_option_is_a_bool() -> None:
    with pytest.raises(ConfigurationError):
        Database("postgresql://x@localhost/x", row_level_security="yes")  # type: ignore[arg-type]
    assert Database("postgresql://x@localhost/x", row_level_security=True).row_level_security


def test_tenant_scope_takes_exactly_one_scope() -> None:
    db = Database("postgresql://x@localhost/x", row_level_security=True)
    for bad in ({}, {"tenant_id": 1, "unscoped": True}, {"tenant_ids": []}, {"tenant_ids": [None]}):
        with pytest.raises(ConfigurationError), db.tenant_scope(**bad):
            pass


def test_a_scope_becomes_the_settings_the_policy_reads() -> None:
    a = UUID(int=1)
    assert session_scope(Scope("tenant", (a,))) == (f'{{"{a}"}}', "")
    assert session_scope(Scope("tenants", (1, 2))) == ('{"1","2"}', "")
    assert session_scope(UNSCOPED) == ADMIN == ("{}", "on")
    assert session_scope(Scope("untenanted")) is None
    assert given_scope(tenant_ids=[3, 3, 4]) == ('{"3","4"}', "")


def test_array_literals_quote_every_element() -> None:
    assert array_literal(['a"b', "c,d", "{e}", "f\\g"]) == '{"a\\"b","c,d","{e}","f\\\\g"}'


@pytest.mark.parametrize(
    ("column", "left", "element"),
    [
        (sa.Column("tenant_id", sa.Uuid()), "tenant_id", "uuid"),
        (sa.Column("org", sa.String(64)), "(org)::text", "text"),
        (sa.Column("tenant_id", sa.BigInteger()), "tenant_id", "bigint"),
        (sa.Column("Group", sa.Integer()), '("Group")::text', None),
    ],
)
def test_the_policy_is_written_as_postgresql_prints_it(
    column: sa.Column[Any], left: str, element: str | None
) -> None:
    text = expression(column, pg_dialect.dialect())
    if element is None:  # a quoted name stays quoted
        assert '"Group" = ANY' in text
        return
    assert text == (
        "((( SELECT current_setting('storied.unscoped'::text, true) AS current_setting) = "
        f"'on'::text) OR ({left} = ANY (( SELECT (current_setting('storied.tenant_ids'::text, "
        f"true))::{element}[] AS current_setting)::{element}[])))"
    )


@pytest.mark.parametrize(
    "exc",
    [
        psycopg.errors.InsufficientPrivilege(
            'new row violates row-level security policy for table "x"'
        ),
        asyncpg.exceptions.InsufficientPrivilegeError(
            'new row violates row-level security policy for table "x"'
        ),
    ],
    ids=type,
)
def test_a_policy_refusal_is_classified(exc: BaseException) -> None:
    info = postgresql.classify(exc)
    assert info is not None
    assert info.kind == "row_security"


def test_other_missing_privileges_stay_programming_errors() -> None:
    exc = psycopg.errors.InsufficientPrivilege("permission denied for table x")
    assert postgresql.classify(exc) is None
