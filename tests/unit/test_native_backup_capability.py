"""Which native backup a backend makes is its dialect's capability, not a name check in admin/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.dialects import mssql, mysql, postgresql, sqlite

from storied.admin import native
from storied.dialects import capabilities


@pytest.mark.parametrize(
    ("dialect", "kind"),
    [
        (sqlite.dialect(), "sqlite"),
        (postgresql.dialect(), "pg_dump"),
        (mysql.dialect(), "mariadb-dump"),
        (mysql.dialect(is_mariadb=True), "mariadb-dump"),
        (mssql.dialect(), None),
    ],
    ids=["sqlite", "postgresql", "mysql", "mariadb", "mssql"],
)
def test_each_backend_names_its_native_backup(dialect: object, kind: str | None) -> None:
    found = capabilities(dialect).native_backup  # type: ignore[arg-type]
    assert found == kind
    if found is not None:
        assert found in native.MODULES  # a module makes and restores that kind


def test_admin_compares_no_dialect_names() -> None:
    admin = Path(native.__file__).parent.parent
    pattern = re.compile(r"dialect\.name\s*(==|!=|in\b)|\.get\([^)]*dialect\.name")
    offenders = [
        str(p.relative_to(admin)) for p in admin.rglob("*.py") if pattern.search(p.read_text())
    ]
    assert offenders == []
