"""Primary keys of tenant-scoped tables in the tenant-leading layout, and their id lookups.

By default each table's primary key is its own row key alone (``id``, an audit table's
``audit_id``, an scd2 version table's ``row_id``), and a unique ``(tenant_id, id)`` is what
tenant-scoped foreign keys reference. ``Registry(tenant_leading_keys=True)`` (or
``Database(..., tenant_leading_keys=True)``) puts the tenant column first in the primary key
of every tenant-scoped table (``(tenant_id, id)``, ``(tenant_id, audit_id)``,
``(tenant_id, row_id)``, with the partition key after them on partitioned history) and in
scd2's chain indexes, so that Citus can distribute each table by its tenant column
(``schema/citus.py``). The primary key then is what foreign keys reference.

A read by id alone (an unscoped, admin scope has no tenant to compare) could not use a key
that leads with the tenant, so the tables such reads go to (the current-row table, scd2's
versions) also get a plain index on ``id``, marked :data:`ID_LOOKUP`. Citus accepts it: a
non-unique index needs no distribution column; an unscoped read by id is sent to every shard
and each uses its own part of the index. Every tenant-scoped read path carries the tenant
(``tests/integration/test_tenant_query_shapes.py``), so only unscoped reads use it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..models.spec import ModelSpec

#: ``Index.info`` flag: the plain index on ``id`` for reads by id alone (see the docstring)
ID_LOOKUP = "storied_id_lookup"


def leads(spec: ModelSpec, tenant_leading_keys: bool) -> bool:
    """Whether this model's tables take the tenant-leading layout."""
    return tenant_leading_keys and spec.options.tenant


def primary_key(table: sa.Table, *columns: sa.Column[Any]) -> None:
    """``PRIMARY KEY (tenant_id, *columns)``."""
    table.append_constraint(sa.PrimaryKeyConstraint(table.c.tenant_id, *columns))


def id_lookup(table: sa.Table) -> None:
    """The plain index on ``id`` that an unscoped read by id uses."""
    index = sa.Index(f"ix_{table.name}_id", table.c.id)
    index.info[ID_LOOKUP] = True


def row_key(table: sa.Table) -> sa.Column[Any]:
    """The table's own row key: its primary key's column that is not the tenant column."""
    return next(c for c in table.primary_key.columns if c.key != "tenant_id")
