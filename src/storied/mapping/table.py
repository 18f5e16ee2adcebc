"""ModelSpec → sqlalchemy.Table: columns, keys, indexes and constraints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from ..dialects import types as variants
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


def identity_table_name(spec: ModelSpec) -> str:
    """The table of an scd2 model that holds one row per logical id."""
    return f"{spec.options.table}_identity"


def referenced_key(spec: ModelSpec) -> str:
    """``table.id`` a foreign key to this model points at: for scd2 models the identity table,
    which holds one row per logical id (the versions table holds many)."""
    opts = spec.options
    table = identity_table_name(spec) if opts.history == "scd2" else opts.table
    return f"{opts.db_schema}.{table}.id" if opts.db_schema else f"{table}.id"


def field_columns(spec: ModelSpec) -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = []
    for f in spec.fields.values():
        col = f.column_info
        fk: list[sa.ForeignKey] = []
        if col.foreign_key is not None:
            target = col.foreign_key
            if isinstance(target, type):
                target = referenced_key(target.storied_spec())  # type: ignore[attr-defined]
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
) -> list[sa.Index | sa.CheckConstraint]:
    """Unique and plain indexes (tenant first), CHECKs from bounds, choices and ``check=``."""
    name = spec.options.table
    lead: list[sa.Column[Any]] = [table.c.tenant_id] if spec.options.tenant else []
    items: list[sa.Index | sa.CheckConstraint] = []
    for f in spec.fields.values():
        column = table.c[f.name]
        info = f.column_info
        if info.unique:
            cols: Sequence[sa.Column[Any]] = [*lead, column, *([live] if live is not None else [])]
            extra: dict[str, Any] = variants.live_unique_kwargs(live) if live is not None else {}
            items.append(sa.Index(f"uq_{name}_{f.column}", *cols, unique=True, **extra))
        elif info.index:
            extra = (
                variants.partial_index_kwargs(sa.text(info.index_where)) if info.index_where else {}
            )
            method = variants.index_method_kwargs(column, info.index_using, info.index_ops)
            # a GIN/GiST index cannot lead with a uuid or int tenant column without the
            # btree_gin/btree_gist extensions: it indexes the column alone
            first = lead if not method or info.index_using in (None, "btree") else []
            items.append(
                sa.Index(f"ix_{name}_{f.column}", *first, column, **extra, **method)
            )
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
