"""Row-Level Security (PostgreSQL): the policy storied puts on each tenant-scoped table, the
setting it reads, and how schema sync reads back what the database has.

The policy admits a row when its tenant column is in the session's scope, which storied keeps
in two settings of the connection (``set_config``, see ``engine/session.py``):

- ``storied.tenant_ids``: the scope's tenants as an array literal (``{"a","b"}``);
- ``storied.unscoped``: ``on`` for the explicit admin scope.

A connection on which neither is set (a missing setting reads as NULL) sees no row and may
write none: the policy fails closed. The expressions are written exactly as PostgreSQL prints
them back (``pg_policies.qual``), so that schema sync compares them as text and a re-plan
after apply is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

#: the policy's name on every table storied protects
POLICY = "storied_tenant_scope"
TENANTS_SETTING = "storied.tenant_ids"
UNSCOPED_SETTING = "storied.unscoped"
#: one statement sets both settings for the session (not ``is_local``: see engine/session.py)
SET_SCOPE = (
    f"SELECT set_config('{TENANTS_SETTING}', :tenants, false), "
    f"set_config('{UNSCOPED_SETTING}', :unscoped, false)"
)

_READ = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.polname,
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
       p.polcmd, p.polpermissive
FROM pg_class c
LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = :policy
WHERE c.relnamespace = to_regnamespace(current_schema())::oid AND c.relname IN :names
"""


@dataclass(frozen=True, slots=True)
class Found:
    """What one table has: RLS enabled, forced, and storied's policy (None: not there)."""

    enabled: bool
    forced: bool
    #: (USING, WITH CHECK) as PostgreSQL prints them; None when the policy is missing
    policy: tuple[str | None, str | None] | None
    #: the policy applies to every command and is permissive (what storied makes)
    shape_ok: bool = True


def expression(column: sa.Column[Any], dialect: sa.Dialect) -> str:
    """The policy's expression for a table whose tenant column is ``column``."""
    name = dialect.identifier_preparer.quote(column.name)
    if isinstance(column.type, sa.String):
        left, element = f"({name})::text", "text"
    else:
        left, element = name, column.type.compile(dialect=dialect).lower()
    # each setting is read in a scalar subquery: an InitPlan, evaluated once per statement
    # (a bare current_setting(…)::uuid[] is parsed again for every row: ~10x the cost on a
    # list of 20,000 rows, measured here)
    return (
        f"((( SELECT current_setting('{UNSCOPED_SETTING}'::text, true) AS current_setting)"
        f" = 'on'::text) OR ({left} = ANY (( SELECT (current_setting('{TENANTS_SETTING}'"
        f"::text, true))::{element}[] AS current_setting)::{element}[])))"
    )


def enable_sql(table: str, dialect: sa.Dialect) -> tuple[str, ...]:
    quoted = dialect.identifier_preparer.quote(table)
    return (
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY",
    )


def policy_sql(table: str, expr: str, dialect: sa.Dialect, *, replace: bool) -> tuple[str, ...]:
    quoted = dialect.identifier_preparer.quote(table)
    create = (
        f"CREATE POLICY {POLICY} ON {quoted} AS PERMISSIVE FOR ALL USING {expr} WITH CHECK {expr}"
    )
    if not replace:
        return (create,)
    return (f"DROP POLICY {POLICY} ON {quoted}", create)


def read(connection: sa.Connection, tables: Iterable[str]) -> dict[str, Found]:
    """What the database has for each of ``tables`` that exists."""
    names = sorted(set(tables))
    if not names:
        return {}
    statement = sa.text(_READ).bindparams(sa.bindparam("names", expanding=True))
    rows = connection.execute(statement, {"policy": POLICY, "names": names}).all()
    out: dict[str, Found] = {}
    for name, enabled, forced, policy, qual, check, cmd, permissive in rows:
        found = (qual, check) if policy is not None else None
        shape = policy is None or (cmd == "*" and bool(permissive))
        out[name] = Found(bool(enabled), bool(forced), found, shape)
    return out


def same(found: tuple[str | None, str | None], expr: str) -> bool:
    """Whether the policy found has ``expr`` as both USING and WITH CHECK (spaces aside)."""
    return all(_squeeze(part) == _squeeze(expr) for part in found)


def _squeeze(text: str | None) -> str:
    return " ".join((text or "").split())


def refused(backend: str) -> str:
    """Why ``row_level_security=True`` is refused on ``backend``."""
    return (
        f"row_level_security=True needs PostgreSQL; {backend} has no Row-Level Security "
        "(leave it off: storied's tenant predicates still scope every read and write)"
    )


def array_literal(values: Sequence[Any]) -> str:
    """``values`` as a PostgreSQL array literal, each element quoted."""
    parts = []
    for value in values:
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'"{text}"')
    return "{" + ",".join(parts) + "}"
