"""The ER graph: plain dataclasses built from a Registry, rendered by mermaid.py and graphviz.py.

Registry → :class:`Graph` → text, each stage testable alone (the shape of Alembic's
autogenerate). The graph reads the tables storied built for each model through the Registry's
public methods (``registry.mapped(model)``), so what it shows is what the database holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from ..errors import ConfigurationError

if TYPE_CHECKING:
    from ..mapping.registry import Registry
    from ..models.base import Model

#: model: the table of a model (scd2: its versions); audit: a copy_on_change trail;
#: identity: one row per logical id of an scd2 model; extra: any other table a strategy adds
TableKind = Literal["model", "audit", "identity", "extra"]
Cardinality = Literal["many-to-one", "one-to-one"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    #: the SQL type as the chosen dialect spells it, e.g. ``NUMERIC(14, 2)``
    type: str
    nullable: bool
    primary_key: bool = False
    #: ``table.column`` this column references, if any
    foreign_key: str | None = None
    unique: bool = False
    #: the model's tenant column (rows belong to one tenant)
    tenant: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    kind: TableKind
    #: the model class name the table belongs to
    model: str
    #: the model's history strategy: "none", "copy_on_change" or "scd2"
    history: str
    columns: tuple[Column, ...]

    @property
    def is_history(self) -> bool:
        """A table that keeps the past (audit trail, scd2 identity) rather than current rows."""
        return self.kind in ("audit", "identity")


@dataclass(frozen=True, slots=True)
class Relation:
    """A foreign key: many (or one) ``child`` rows point at one ``parent`` row."""

    child: str
    parent: str
    columns: tuple[str, ...]
    cardinality: Cardinality
    #: the child's foreign key may be NULL (zero or one parent)
    optional: bool


@dataclass(frozen=True, slots=True)
class Graph:
    tables: tuple[Table, ...]
    relations: tuple[Relation, ...]

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def build_graph(
    registry: Registry,
    models: Iterable[type[Model]] | None = None,
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    history: bool = True,
    dialect: Dialect | None = None,
) -> Graph:
    """The ER graph of ``models`` (default: every model the registry maps).

    Args:
        include: table names to keep (default: all); names not mapped are an error.
        exclude: table names to leave out.
        history: also show audit and identity tables.
        dialect: spell column types as this dialect does (default: PostgreSQL's, the most
            descriptive: ``UUID``, ``JSON``, ``TIMESTAMP WITH TIME ZONE``).
    """
    spell: Dialect = dialect or postgresql.dialect()  # type: ignore[no-untyped-call]
    found: list[Table] = []
    for model in list(models) if models is not None else list(registry):
        mapped = registry.mapped(model)
        options = mapped.spec.options
        tenant = options.tenant_column if options.tenant else None
        kinds: list[tuple[sa.Table, TableKind]] = [(mapped.table, "model")]
        for extra in mapped.extra_tables:
            if extra is mapped.audit_table:
                kinds.append((extra, "audit"))
            elif extra is mapped.identity_table:
                kinds.append((extra, "identity"))
            else:
                kinds.append((extra, "extra"))
        # storied's unique fields are unique among live rows (an index over more columns)
        unique = {
            mapped.field_columns[name].name
            for names in mapped.unique_fields.values()
            for name in names
            if name in mapped.field_columns
        }
        for table, kind in kinds:
            if kind != "model" and not history:
                continue
            columns = tuple(
                _column(c, spell, tenant, c.name in unique and kind == "model")
                for c in table.columns
            )
            found.append(Table(table.fullname, kind, mapped.model_name, options.history, columns))
    names = {t.name for t in found}
    wanted = set(include) if include is not None else set(names)
    unknown = (wanted | set(exclude)) - names
    if unknown:
        raise ConfigurationError(
            f"ER diagram: unknown table(s) {sorted(unknown)}; mapped tables: {sorted(names)}"
        )
    kept = tuple(t for t in found if t.name in wanted and t.name not in set(exclude))
    return Graph(kept, _relations(registry, {t.name for t in kept}))


def _column(column: sa.Column[Any], dialect: Dialect, tenant: str | None, unique: bool) -> Column:
    targets = [fk.target_fullname for fk in column.foreign_keys]
    return Column(
        name=column.name,
        type=column.type.compile(dialect),
        nullable=bool(column.nullable),
        primary_key=column.primary_key,
        foreign_key=targets[0] if targets else None,
        unique=unique or _unique(column),
        tenant=column.name == tenant,
    )


def _unique(column: sa.Column[Any]) -> bool:
    """Unique on its own: a unique constraint or index over this one column only."""
    table = column.table
    if column.unique or (column.primary_key and len(table.primary_key.columns) == 1):
        return True
    single = [list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    single += [list(i.columns) for i in table.indexes if i.unique]
    return any(cols == [column] for cols in single)


def _relations(registry: Registry, kept: set[str]) -> tuple[Relation, ...]:
    out: list[Relation] = []
    for table in registry.metadata.sorted_tables:
        if table.fullname not in kept:
            continue
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.fullname
            if parent not in kept:
                continue
            columns = list(fk.columns)
            one = len(columns) == 1 and _unique(columns[0])
            out.append(
                Relation(
                    child=table.fullname,
                    parent=parent,
                    columns=tuple(c.name for c in columns),
                    cardinality="one-to-one" if one else "many-to-one",
                    optional=any(c.nullable for c in columns),
                )
            )
    return tuple(out)
