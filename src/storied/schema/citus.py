"""Citus (distributed PostgreSQL): which tables distribute by the tenant column, and whether
their keys let them.

Citus shards a distributed table by one column and keeps a reference table whole on every
node. storied distributes every tenant-scoped model's tables by their tenant column and makes
the other tables reference tables. For that, on each tenant-scoped table:

- the primary key and every unique constraint or unique index must include the tenant column
  (Citus refuses ``create_distributed_table`` otherwise); storied asks that it *lead*, so the
  tenant's rows are one index range;
- every other index leads with it too (GIN/GiST indexes are exempt: without the btree_gin
  extension they cannot, and Citus does not need them to; so is the plain index on ``id``
  that unscoped reads by id use, see ``mapping/keys.py``);
- a foreign key to another tenant-scoped table is ``(tenant, …) → (tenant, …)``: both shards
  on one node (co-located); one to a reference table is free;

and no reference table may have a foreign key to a distributed table.

:func:`check` lists what breaks these rules; :func:`distribution_sql` renders the
``create_reference_table`` / ``create_distributed_table`` calls for a set of tables, reference
tables first and every table after the tables it references. No Citus server runs here: the
rules and the SQL are tested compiled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import PGDialect

from ..dialects.types import index_method
from ..mapping.keys import ID_LOOKUP

if TYPE_CHECKING:
    from ..mapping.registry import Registry
    from .plan import Plan


@dataclass(frozen=True, slots=True)
class Problem:
    """One key or index of a table that Citus cannot distribute as it is."""

    table: str
    #: "primary key", "unique", "index", "foreign key" or "reference"
    kind: str
    #: the constraint or index name (None for an unnamed primary key)
    name: str | None
    detail: str

    def __str__(self) -> str:
        what = f"{self.kind} {self.name}" if self.name else self.kind
        return f"{self.table}: {what} {self.detail}"


@dataclass(frozen=True, slots=True)
class Layout:
    """How each table of a registry goes onto Citus: distributed by which column, or reference."""

    #: table (``Table.fullname``) → its tenant column's name
    distributed: dict[str, str]
    reference: tuple[str, ...]


def layout(registry: Registry) -> Layout:
    """Every table the registry maps: the tenant-scoped models' distributed by their tenant
    column, all others reference tables."""
    distributed: dict[str, str] = {}
    for model in registry:
        mapped = registry.mapped(model)
        if not mapped.spec.options.tenant:
            continue
        for table in (mapped.table, *mapped.extra_tables):
            distributed[table.fullname] = table.c.tenant_id.name
    others = tuple(
        t.fullname for t in registry.metadata.sorted_tables if t.fullname not in distributed
    )
    return Layout(distributed, others)


def check(registry: Registry) -> list[Problem]:
    """What keeps the registry's tables from distributing on Citus (empty: nothing)."""
    plan = layout(registry)
    tables = registry.metadata.tables
    problems: list[Problem] = []
    for name in tables:
        table = tables[name]
        tenant = plan.distributed.get(name)
        if tenant is None:
            problems += _reference_problems(table, plan)
        else:
            problems += _distributed_problems(table, tenant, plan)
    return problems


def _leads(columns: Sequence[Any], tenant: str) -> bool:
    return bool(columns) and getattr(columns[0], "name", None) == tenant


def _names(columns: Iterable[Any]) -> str:
    return "(" + ", ".join(str(getattr(c, "name", c)) for c in columns) + ")"


def _distributed_problems(table: sa.Table, tenant: str, plan: Layout) -> list[Problem]:
    out: list[Problem] = []
    lead = f"does not lead with the tenant column {tenant}"
    pk = list(table.primary_key.columns)
    if pk and not _leads(pk, tenant):
        out.append(
            Problem(
                table.fullname,
                "primary key",
                _name(table.primary_key.name),
                _names(pk) + " " + lead,
            )
        )
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            cols = list(constraint.columns)
            if not _leads(cols, tenant):
                out.append(
                    Problem(
                        table.fullname, "unique", _name(constraint.name), _names(cols) + " " + lead
                    )
                )
        elif isinstance(constraint, sa.ForeignKeyConstraint):
            out += _foreign_key_problems(table, constraint, tenant, plan)
    for index in table.indexes:
        expressions: list[Any] = list(index.expressions)
        if _leads(expressions, tenant) or (not index.unique and _exempt(index)):
            continue
        kind = "unique" if index.unique else "index"
        detail = _names(expressions) + " " + lead
        out.append(Problem(table.fullname, kind, _name(index.name), detail))
    return out


def _foreign_key_problems(
    table: sa.Table, fk: sa.ForeignKeyConstraint, tenant: str, plan: Layout
) -> list[Problem]:
    target = fk.referred_table
    target_tenant = plan.distributed.get(target.fullname)
    if target_tenant is None:
        return []  # to a reference table: any columns will do
    local = list(fk.columns)
    remote = [e.column for e in fk.elements]
    if _leads(local, tenant) and _leads(remote, target_tenant):
        return []
    detail = (
        f"{_names(local)} → {target.fullname}{_names(remote)} is not tenant to tenant: "
        "the rows would live on different nodes"
    )
    return [Problem(table.fullname, "foreign key", _name(fk.name), detail)]


def _reference_problems(table: sa.Table, plan: Layout) -> list[Problem]:
    out = []
    for fk in table.foreign_key_constraints:
        target = fk.referred_table.fullname
        if target in plan.distributed:
            detail = (
                f"→ {target}: a reference table (not tenant-scoped) cannot reference a "
                "distributed (tenant-scoped) one"
            )
            out.append(Problem(table.fullname, "reference", _name(fk.name), detail))
    return out


def _exempt(index: sa.Index) -> bool:
    """A plain index Citus takes as it is: GIN/GiST, or storied's id lookup for unscoped
    reads by id (``mapping/keys.py``)."""
    return bool(index.info.get(ID_LOOKUP)) or index_method(index) not in (None, "btree")


def _name(name: Any) -> str | None:
    return None if name is None else str(name)


def distribution_sql(
    registry: Registry, tables: Iterable[str] | None = None, *, dialect: sa.Dialect | None = None
) -> list[str]:
    """``SELECT create_reference_table(…)`` / ``create_distributed_table(…, tenant column)``
    for ``tables`` (names or full names; default: all the registry maps), to run after the
    DDL that creates them: reference tables first, then the distributed ones, each after the
    tables it references (Citus needs the referenced table distributed first)."""
    plan = layout(registry)
    metadata = registry.metadata
    wanted = None if tables is None else set(tables)
    ordered = [
        t
        for t in metadata.sorted_tables
        if wanted is None or t.fullname in wanted or t.name in wanted
    ]
    from_dialect = dialect if dialect is not None else PGDialect()  # type: ignore[no-untyped-call]
    preparer = from_dialect.identifier_preparer
    out = [
        _call(from_dialect, "create_reference_table", preparer.format_table(t))
        for t in ordered
        if t.fullname not in plan.distributed
    ]
    out += [
        _call(
            from_dialect,
            "create_distributed_table",
            preparer.format_table(t),
            plan.distributed[t.fullname],
        )
        for t in ordered
        if t.fullname in plan.distributed
    ]
    return out


def _call(dialect: sa.Dialect, function: str, *arguments: str) -> str:
    """``SELECT function('arg', …)``: the arguments rendered as SQL string literals by
    SQLAlchemy (quotes escaped), the function name being one of ours."""
    names = [f"a{i}" for i in range(len(arguments))]
    stmt = sa.text(f"SELECT {function}({', '.join(':' + n for n in names)})").bindparams(
        *(sa.bindparam(n, a, type_=sa.String()) for n, a in zip(names, arguments, strict=True))
    )
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def plan_sql(plan: Plan, registry: Registry) -> str:
    """The Citus calls for the tables ``plan`` creates, as a script to run after its DDL;
    what would make Citus refuse one of them is listed first, as comments."""
    created = {c.table for c in plan.changes if c.action == "create table"}
    if not created:
        return "-- Citus: the plan creates no table to distribute\n"
    lines = ["-- Citus: distribute the tables this plan creates (after its DDL)"]
    lines += [
        f"-- refused by Citus until fixed: {p}"
        for p in check(registry)
        if p.table in created or p.table.rsplit(".", 1)[-1] in created
    ]
    lines += [f"{statement};" for statement in distribution_sql(registry, created)]
    return "\n".join(lines) + "\n"
