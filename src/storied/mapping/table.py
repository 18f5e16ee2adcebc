"""ModelSpec → sqlalchemy.Table: columns, keys, indexes and constraints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from ..dialects import capabilities
from ..dialects import types as variants
from ..errors import ModelDefinitionError
from ..models.references import reference_target
from ..models.spec import ModelSpec
from .types import UTCDateTime, column_type

#: Generated column that is 1 on live rows and NULL on deleted ones; unique indexes include it,
#: so uniqueness ignores soft-deleted rows on every backend.
LIVE_MARKER = "live_key"
ACTOR = sa.String(255)


def tenant_type(spec: ModelSpec) -> sa.types.TypeEngine[Any]:
    kind = spec.options.tenant_type
    if kind is UUID:
        return sa.Uuid(as_uuid=True)
    if kind is int:
        return variants.big_integer()
    return sa.String(64)


def tenant_column(spec: ModelSpec) -> sa.Column[Any]:
    """The tenant column: named by the model's ``tenant_column`` option, keyed ``tenant_id``."""
    return sa.Column(spec.options.tenant_column, tenant_type(spec), key="tenant_id", nullable=False)


def id_column(spec: ModelSpec, name: str = "id", *, primary_key: bool = True) -> sa.Column[Any]:
    if spec.options.primary_key == "int":
        return sa.Column(
            name,
            variants.big_integer(),
            primary_key=primary_key,
            autoincrement=primary_key,
            nullable=False,
        )
    return sa.Column(name, sa.Uuid(as_uuid=True), primary_key=primary_key, nullable=False)


def key_table_options(spec: ModelSpec) -> dict[str, Any]:
    """Table options that keep an integer key from ever being handed out twice.

    SQLite gives a new row the largest rowid + 1, so purging the newest row frees its id for
    the next insert (whose history would then show the purged row's changes); AUTOINCREMENT
    makes it never go back. PostgreSQL sequences never do, nor does InnoDB's counter, which
    MariaDB ≥ 10.2.4 and MySQL ≥ 8.0 also keep across restarts.
    """
    return {"sqlite_autoincrement": True} if spec.options.primary_key == "int" else {}


def identity_table_name(spec: ModelSpec) -> str:
    """The table of an scd2 model that holds one row per logical id."""
    return f"{spec.options.table}_identity"


def referenced_table(spec: ModelSpec) -> str:
    """The table a foreign key to this model points at: for scd2 models the identity table,
    which holds one row per logical id (the versions table holds many)."""
    opts = spec.options
    table = identity_table_name(spec) if opts.history == "scd2" else opts.table
    return f"{opts.db_schema}.{table}" if opts.db_schema else table


def referenced_key(spec: ModelSpec) -> str:
    """``table.id`` a foreign key to this model points at (see :func:`referenced_table`)."""
    return f"{referenced_table(spec)}.id"


#: referential actions that would write NULL (or a default) into the tenant column too
_TENANT_UNSAFE = ("SET NULL", "SET DEFAULT")


def tenant_reference(spec: ModelSpec, name: str) -> ModelSpec | None:
    """The target of field ``name`` when both ends are tenant-scoped, else None.

    Such a reference is enforced on (tenant, id): a row can only point at a row of its own
    tenant, so another tenant's id is refused exactly like a missing one.
    """
    target = reference_target(spec, name)
    if target is None or not spec.options.tenant:
        return None
    other = spec if target is spec.model else target.storied_spec()
    if not other.options.tenant:
        return None
    if other.options.tenant_type is not spec.options.tenant_type:
        raise ModelDefinitionError(
            f"{spec.name}.{name}: references {other.name}, whose tenant type differs; "
            "tenant-scoped models that reference each other need the same tenant_type"
        )
    action = spec.fields[name].column_info.on_delete
    if action in _TENANT_UNSAFE:
        raise ModelDefinitionError(
            f"{spec.name}.{name}: on_delete={action!r} cannot be used between tenant-scoped "
            "models: the key includes the tenant column, which the database would clear too; "
            "use 'CASCADE', 'RESTRICT' or 'NO ACTION'"
        )
    return other


def field_columns(spec: ModelSpec) -> list[sa.Column[Any]]:
    """Columns of the user fields; a foreign key on (tenant, id) is added by :func:`constraints`."""
    columns: list[sa.Column[Any]] = []
    for f in spec.fields.values():
        col = f.column_info
        fk: list[sa.ForeignKey] = []
        if col.foreign_key is not None and tenant_reference(spec, f.name) is None:
            target = col.foreign_key
            if isinstance(target, type):
                target = referenced_key(target.storied_spec())  # type: ignore[attr-defined]
            else:
                found = reference_target(spec, f.name)
                if found is not None and found is not spec.model:
                    target = referenced_key(found.storied_spec())
            fk.append(sa.ForeignKey(target, ondelete=col.on_delete))
        columns.append(
            sa.Column(
                f.column,
                column_type(f, spec.name),
                *fk,
                key=f.name,
                nullable=f.nullable,
                server_default=sa.text(col.server_default) if col.server_default else None,
            )
        )
    return columns


def tenant_foreign_key(
    table: sa.Table, column: sa.Column[Any], target: str, name: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    """``(tenant, column) → target(tenant, id)``: the tenant column leads, as Citus needs."""
    return sa.ForeignKeyConstraint(
        [table.c.tenant_id, column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=name,
        ondelete=ondelete,
    )


def tenant_key(table: sa.Table) -> None:
    """Unique (tenant, id): what a tenant-scoped foreign key to this table references.

    A constraint, not an index, so it is part of CREATE TABLE: a new child table (or the table
    itself, for self-references) can reference it in the same plan.
    """
    name = f"ux_{table.name}_tenant_key"
    table.append_constraint(sa.UniqueConstraint(table.c.tenant_id, table.c.id, name=name))


def bookkeeping_columns(spec: ModelSpec) -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [
        sa.Column("version", variants.big_integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", ACTOR, nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", ACTOR, nullable=True),
    ]
    if spec.options.soft_delete:
        columns += [
            sa.Column("deleted_at", UTCDateTime(), nullable=True),
            sa.Column("deleted_by", ACTOR, nullable=True),
        ]
    return columns


def constraints(
    spec: ModelSpec, table: sa.Table, live: sa.Column[Any] | None
) -> list[sa.Index | sa.Constraint]:
    """Unique and plain indexes and foreign keys (tenant first), CHECKs from bounds, choices
    and ``check=``."""
    name = spec.options.table
    lead: list[sa.Column[Any]] = [table.c.tenant_id] if spec.options.tenant else []
    items: list[sa.Index | sa.Constraint] = []
    for f in spec.fields.values():
        column = table.c[f.name]
        info = f.column_info
        target = tenant_reference(spec, f.name)
        if target is not None:
            referred = referenced_table(target).rsplit(".", 1)[-1]
            fk_name = f"fk_{name}_{f.column}_{referred}"
            items.append(
                tenant_foreign_key(table, column, referenced_table(target), fk_name, info.on_delete)
            )
        if info.unique:
            cols: Sequence[sa.Column[Any]] = [*lead, column, *([live] if live is not None else [])]
            extra: dict[str, Any] = variants.live_unique_kwargs(live) if live is not None else {}
            if info.index_where:
                extra = _partial_unique(sa.text(info.index_where), extra)
            index = sa.Index(f"uq_{name}_{f.column}", *cols, unique=True, **extra)
            if info.index_where:
                index.info[PARTIAL_UNIQUE] = f"{spec.name}.{f.name}"
                if not sa.event.contains(table, "before_create", _refuse_partial):
                    sa.event.listen(table, "before_create", _refuse_partial)
            items.append(index)
        elif info.index:
            extra = (
                variants.partial_index_kwargs(sa.text(info.index_where)) if info.index_where else {}
            )
            method = variants.index_method_kwargs(column, info.index_using, info.index_ops)
            # a GIN/GiST index cannot lead with a uuid or int tenant column without the
            # btree_gin/btree_gist extensions: it indexes the column alone
            first = lead if not method or info.index_using in (None, "btree") else []
            items.append(sa.Index(f"ix_{name}_{f.column}", *first, column, **extra, **method))
        ops = {"ge": column.__ge__, "gt": column.__gt__, "le": column.__le__, "lt": column.__lt__}
        for op, bound in f.bounds.items():
            items.append(sa.CheckConstraint(ops[op](bound), name=f"ck_{name}_{f.column}_{op}"))
        if f.choices:
            items.append(
                sa.CheckConstraint(column.in_(f.choices), name=f"ck_{name}_{f.column}_choice")
            )
        if info.check:
            items.append(sa.CheckConstraint(sa.text(info.check), name=f"ck_{name}_{f.column}"))
    return items


#: ``Index.info`` key of a partial unique index: the field it belongs to (for refusals)
PARTIAL_UNIQUE = "storied_partial_unique"


def _partial_unique(predicate: sa.TextClause, live: dict[str, Any]) -> dict[str, Any]:
    """The WHERE of ``index_where``, and SQL Server's live-row filter too where it has one."""
    kwargs = variants.partial_index_kwargs(predicate)
    for key, value in live.items():
        kwargs[key] = sa.and_(value, predicate)
    return kwargs


def check_partial_indexes(tables: Iterable[sa.Table], dialect: sa.Dialect) -> None:
    """Refuse a unique ``index_where`` on a backend without partial indexes (MySQL/MariaDB):
    a plain unique index would refuse rows the model allows."""
    if capabilities(dialect).partial_indexes:
        return
    for table in tables:
        for index in table.indexes:
            owner = index.info.get(PARTIAL_UNIQUE)
            if owner is not None:
                raise ModelDefinitionError(
                    f"{owner}: unique=True with index_where needs a partial unique index, "
                    f"which {dialect.name} does not have; drop index_where, or keep the rule "
                    "in a CHECK or in application code"
                )


def _refuse_partial(table: sa.Table, connection: sa.Connection, **kw: Any) -> None:
    check_partial_indexes([table], connection.dialect)


def unique_index_fields(spec: ModelSpec) -> dict[str, tuple[str, ...]]:
    """Unique index name → the fields it protects (ConflictError names them)."""
    return {
        f"uq_{spec.options.table}_{f.column}": (f.name,)
        for f in spec.fields.values()
        if f.column_info.unique
    }


def live_marker(condition: str, name: str = LIVE_MARKER) -> sa.Column[Any]:
    """``1`` while ``condition`` holds, else NULL; the database computes and stores it.

    ``condition`` is fixed model-mapping SQL over storied's own columns, never user input.
    """
    return sa.Column(
        name,
        sa.SmallInteger(),
        sa.Computed(f"CASE WHEN {condition} THEN 1 END", persisted=True),
        nullable=True,
    )
