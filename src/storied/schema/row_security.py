"""Row-Level Security in schema sync: what each protected table still needs, as planned work.

For each tenant-scoped table of the target (``Target.row_security``, filled when the Database
has ``row_level_security=True``) the database must have RLS enabled and forced (so the table's
owner obeys it too) and storied's policy with the expected USING and WITH CHECK expressions.
What is missing is planned as safe steps; a policy whose text differs is replaced. The
policies are read back from ``pg_class`` and ``pg_policy`` and compared as text, so a plan
right after apply is empty. The SQL is the dialect's (``dialects/row_security.py``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.operations import ops

from ..dialects import row_security as rls
from .diff import Target
from .work import ADD_FOREIGN_KEY, Work

#: after every table, column and key exists (a new table gets its policy in the same plan)
PHASE = ADD_FOREIGN_KEY


def row_security_work(connection: sa.Connection, target: Target) -> list[Work]:
    """The steps that bring each protected table's RLS to what storied expects."""
    dialect = connection.dialect
    protected = target.row_security
    found = rls.read(connection, (table.name for table, _ in protected))
    out: list[Work] = []
    for table, column in protected:
        has = found.get(table.name, rls.Found(False, False, None))
        if not (has.enabled and has.forced):
            out.append(
                _work(
                    "enable row level security",
                    table.name,
                    None,
                    "(forced: the owner too)",
                    rls.enable_sql(table.name, dialect),
                )
            )
        expr = rls.expression(column, dialect)
        if has.policy is None:
            sql = rls.policy_sql(table.name, expr, dialect, replace=False)
            out.append(
                _work("create policy", table.name, rls.POLICY, f"({column.name} in scope)", sql)
            )
        elif not has.shape_ok or not rls.same(has.policy, expr):
            sql = rls.policy_sql(table.name, expr, dialect, replace=True)
            out.append(
                _work("alter policy", table.name, rls.POLICY, f"({column.name} in scope)", sql)
            )
    return out


def _work(action: str, table: str, subject: str | None, detail: str, sql: tuple[str, ...]) -> Work:
    return Work(action, table, subject, detail, tuple(ops.ExecuteSQLOp(s) for s in sql), PHASE)
