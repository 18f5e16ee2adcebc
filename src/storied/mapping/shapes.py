"""The tables each history option keeps, assembled from a ModelSpec.

- every model: the current-row table (id, tenant, fields, bookkeeping);
- ``copy_on_change``: plus a field-level audit table;
- ``scd2``: a versions table in place of the current-row table, plus an identity table (one
  row per logical id, the target of foreign keys).

The versions table's two generated marker columns make its rules the database's own:
``current_key`` (1 on current versions) is unique per id, so no id can have two current
versions; ``live_key`` (1 on current, undeleted versions) joins the unique indexes of unique
fields, so uniqueness applies among current versions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..dialects import types as variants
from ..dialects.ddl import KEYLESS
from ..errors import ModelDefinitionError
from ..models.spec import ModelSpec
from . import keys
from . import table as tables
from .partitions import HistoryPartitions, mark
from .types import UTCDateTime

CURRENT_MARKER = "current_key"
#: on scd2 versions: the operation a version records when it is not derived from its
#: predecessor ("import"); NULL on every other version
RECORDED_AS = "recorded_as"


@dataclass(slots=True)
class TableSet:
    """A model's tables: the one rows are read from, and the ones beside it."""

    table: sa.Table
    #: columns read for a model, and the model field each fills
    columns: tuple[sa.Column[Any], ...]
    names: tuple[str, ...]
    extra_tables: tuple[sa.Table, ...] = ()
    audit_table: sa.Table | None = None
    identity_table: sa.Table | None = None
    unique_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _row_columns(spec: ModelSpec, id_col: sa.Column[Any]) -> tuple[list[sa.Column[Any]], list[str]]:
    """id, tenant, the fields and the bookkeeping columns, with the model field each fills."""
    columns: list[sa.Column[Any]] = [id_col]
    names = ["id"]
    if spec.options.tenant:
        columns.append(tables.tenant_column(spec))
        names.append("tenant_id")
    columns += tables.field_columns(spec)
    names += list(spec.fields)
    book = tables.bookkeeping_columns(spec)
    columns += book
    names += [c.name for c in book]
    return columns, names


def _add_constraints(spec: ModelSpec, table: sa.Table, live: sa.Column[Any] | None) -> None:
    for item in tables.constraints(spec, table, table.c[live.name] if live is not None else None):
        if isinstance(item, sa.Constraint):
            table.append_constraint(item)


def main_table(
    spec: ModelSpec,
    metadata: sa.MetaData,
    partitions: HistoryPartitions | None = None,
    leading: bool = False,
) -> TableSet:
    """The current-row table every non-versioned model keeps (``leading``: the
    tenant-leading keys of :mod:`.keys`)."""
    opts = spec.options
    lead = keys.leads(spec, leading)
    id_col = tables.id_column(spec, primary_key=not lead, generated=True if lead else None)
    columns, names = _row_columns(spec, id_col)
    has_unique = any(f.column_info.unique for f in spec.fields.values())
    live = tables.live_marker("deleted_at IS NULL") if opts.soft_delete and has_unique else None
    table = sa.Table(
        opts.table,
        metadata,
        *columns,
        *([live] if live is not None else []),
        schema=opts.db_schema,
        **variants.table_options(),
        **tables.key_table_options(spec),
    )
    _add_constraints(spec, table, live)
    if lead:  # the key is (tenant, id), which tenant-scoped foreign keys reference
        keys.primary_key(table, table.c.id)
        keys.id_lookup(table)
    elif opts.tenant:
        tables.tenant_key(table)
    return TableSet(
        table=table,
        columns=tuple(table.c[c.key] for c in columns),
        names=tuple(names),
        unique_fields=tables.unique_index_fields(spec),
    )


def audit_table(
    spec: ModelSpec,
    metadata: sa.MetaData,
    partitions: HistoryPartitions | None = None,
    leading: bool = False,
) -> sa.Table:
    """The field-level audit trail of a ``copy_on_change`` model (partitioned by
    ``changed_at`` with ``partitions``: see :mod:`.partitions`)."""
    opts = spec.options
    keyed = keys.leads(spec, leading)
    name = f"{opts.table}_audit"
    lead: list[sa.Column[Any]] = []
    if opts.tenant:
        lead.append(tables.tenant_column(spec))
    table = sa.Table(
        name,
        metadata,
        sa.Column("audit_id", variants.big_integer(), primary_key=not keyed, autoincrement=True),
        tables.id_column(spec, "record_id", primary_key=False),
        *lead,
        sa.Column("change_set", sa.Uuid(as_uuid=True), nullable=False),
        sa.Column("operation", sa.String(8), nullable=False),
        sa.Column("field", sa.String(64), nullable=True),
        sa.Column("old_value", variants.json(), nullable=True),
        sa.Column("new_value", variants.json(), nullable=True),
        sa.Column("actor", tables.ACTOR, nullable=True),
        sa.Column(
            "changed_at",
            UTCDateTime(),
            nullable=False,
            primary_key=partitions is not None and not keyed,
        ),
        schema=opts.db_schema,
        **variants.table_options(),
    )
    if keyed:
        partition_key = [table.c.changed_at] if partitions is not None else []
        keys.primary_key(table, table.c.audit_id, *partition_key)
    if partitions is not None:  # the partition key joins the primary key
        table.kwargs.update(mark(table, "changed_at", partitions))
    tenant = [table.c.tenant_id] if opts.tenant else []
    sa.Index(f"ix_{name}_record", *tenant, table.c.record_id, table.c.audit_id)
    sa.Index(f"ix_{name}_time", *tenant, table.c.changed_at)
    return table


def with_audit(
    spec: ModelSpec,
    metadata: sa.MetaData,
    partitions: HistoryPartitions | None = None,
    leading: bool = False,
) -> TableSet:
    """``copy_on_change``: the current-row table and its audit table."""
    built = main_table(spec, metadata, leading=leading)
    built.audit_table = audit_table(spec, metadata, partitions, leading)
    built.extra_tables = (built.audit_table,)
    return built


def _identity_table(spec: ModelSpec, metadata: sa.MetaData, lead: bool) -> sa.Table:
    opts = spec.options
    tenant = [tables.tenant_column(spec)] if opts.tenant else []
    identity = sa.Table(
        tables.identity_table_name(spec),
        metadata,
        tables.id_column(spec, primary_key=not lead),
        *tenant,
        sa.Column("created_at", UTCDateTime(), nullable=False),
        schema=opts.db_schema,
        **variants.table_options(),
    )
    if lead:
        keys.primary_key(identity, identity.c.id)
    elif opts.tenant:
        tables.tenant_key(identity)
    return identity


def versions_tables(
    spec: ModelSpec,
    metadata: sa.MetaData,
    partitions: HistoryPartitions | None = None,
    leading: bool = False,
) -> TableSet:
    """``scd2``: one table of every version of every row, and the identity table (the
    versions partitioned by ``valid_to`` with ``partitions``: see :mod:`.partitions`)."""
    opts = spec.options
    if opts.primary_key != "uuid":
        raise ModelDefinitionError(f"{spec.name}: history='scd2' needs primary_key='uuid'")
    if not opts.soft_delete:
        raise ModelDefinitionError(
            f"{spec.name}: history='scd2' keeps deletes as versions; it needs soft_delete=True"
        )
    lead = keys.leads(spec, leading)
    identity = _identity_table(spec, metadata, lead)
    id_col = tables.id_column(spec, primary_key=False)
    if not opts.tenant:
        id_col.append_foreign_key(sa.ForeignKey(tables.referenced_key(spec), ondelete="CASCADE"))
    columns, names = _row_columns(spec, id_col)
    has_unique = any(f.column_info.unique for f in spec.fields.values())
    live = tables.live_marker("valid_to IS NULL AND deleted_at IS NULL") if has_unique else None
    current = tables.live_marker("valid_to IS NULL", CURRENT_MARKER)
    table = sa.Table(
        opts.table,
        metadata,
        sa.Column("row_id", variants.big_integer(), primary_key=not lead, autoincrement=True),
        *columns,
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("valid_to", UTCDateTime(), nullable=True),
        sa.Column(RECORDED_AS, sa.String(8), nullable=True),
        current,
        *([live] if live is not None else []),
        schema=opts.db_schema,
        **variants.table_options(),
    )
    if lead:
        keys.primary_key(table, table.c.row_id)
    if partitions is not None:
        table.kwargs.update(mark(table, "valid_to", partitions))
        table.info[KEYLESS] = True  # row_id stays storied's row key: see ux_<table>_row
    _add_constraints(spec, table, live)
    name = opts.table
    if opts.tenant:  # each version belongs to its id's identity row, in the same tenant
        fk_name = f"fk_{name}_id_{tables.identity_table_name(spec)}"
        target = tables.referenced_table(spec)
        table.append_constraint(
            tables.tenant_foreign_key(table, table.c.id, target, fk_name, "CASCADE")
        )
    chain = [table.c.tenant_id, table.c.id] if lead else [table.c.id]
    sa.Index(
        f"ux_{name}_current",
        *chain,
        table.c[CURRENT_MARKER],
        unique=True,
        **variants.live_unique_kwargs(table.c[CURRENT_MARKER]),
    )
    sa.Index(f"ux_{name}_version", *chain, table.c.version, unique=True)
    sa.Index(f"ux_{name}_valid_from", *chain, table.c.valid_from, unique=True)
    if lead:
        keys.id_lookup(table)
    if partitions is not None:
        sa.Index(f"ux_{name}_row", *chain[:-1], table.c.row_id, unique=True)
        _with_partition_key(table)
    return TableSet(
        table=table,
        columns=tuple(table.c[c.key] for c in columns),
        names=tuple(names),
        extra_tables=(identity,),
        identity_table=identity,
        unique_fields=tables.unique_index_fields(spec),
    )


def _with_partition_key(table: sa.Table) -> None:
    """End every unique index of a partitioned versions table with ``valid_to``, NULLs not
    distinct: PostgreSQL wants the partition key in each; all current versions are in the
    DEFAULT partition with ``valid_to`` NULL, so uniqueness among them is unchanged. An index
    over a marker column skips the rows whose marker is NULL, as a NULL-distinct one did."""
    markers = {c for c in table.c if c.computed is not None}
    for index in [i for i in table.indexes if i.unique]:
        table.indexes.discard(index)
        options = {**index.dialect_kwargs, "postgresql_nulls_not_distinct": True}
        marker = next((c for c in index.columns if c in markers), None)
        if marker is not None:  # NULL markers (closed or deleted versions) are not keys
            where = marker.is_not(None)
            given = options.get("postgresql_where")
            options["postgresql_where"] = where if given is None else sa.and_(given, where)
        rebuilt = sa.Index(index.name, *index.expressions, table.c.valid_to, unique=True, **options)
        rebuilt.info.update(index.info)
