"""Scoping: the one place where tenancy, soft-delete and temporal predicates join a statement.

Every read path (get by id, queries, EXISTS over related models, eager loads, history and audit
reads) and every write's lock-and-read takes its WHERE clause from :func:`row_predicates` (or,
for tables with no soft delete or versions of their own, :func:`tenant_predicates`).
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from ..mapping.registry import MappedModel
from ..sql.unindexed import Unindexed
from ..tenancy.scope import Scope

Visibility = Literal["live", "deleted", "any"]


def tenant_predicates(
    mapped: MappedModel, scope: Scope, table: sa.Table | None = None, *, indexed: bool = True
) -> list[sa.ColumnElement[bool]]:
    """The scope's tenant predicate on ``table`` (the model's table by default), if any.

    ``indexed=False`` keeps the tenant column out of the planner's choice of index, for
    reads whose other predicate picks the rows (a list of ids; see :mod:`.unindexed`).
    """
    if not scope.filters():
        return []
    table = mapped.table if table is None else table
    column: sa.ColumnElement[Any] = table.c.tenant_id if indexed else Unindexed(table.c.tenant_id)
    tenant = scope.predicate(column)
    return [tenant] if tenant is not None else []


def row_predicates(
    mapped: MappedModel,
    scope: Scope,
    visibility: Visibility = "live",
    as_of: bool = False,
    *,
    tenant_indexed: bool = True,
) -> list[sa.ColumnElement[bool]]:
    """Tenant, soft-delete and temporal predicates every statement on ``mapped`` must carry."""
    table = mapped.table
    preds = tenant_predicates(mapped, scope, table, indexed=tenant_indexed)
    if mapped.spec.options.soft_delete and visibility != "any":
        deleted = table.c.deleted_at
        preds.append(deleted.is_(None) if visibility == "live" else deleted.is_not(None))
    layout = mapped.layout
    current = layout.as_of(mapped) if as_of else layout.current_predicate(mapped)
    if current is not None:
        preds.append(current)
    return preds


def by_id(
    mapped: MappedModel, scope: Scope, visibility: Visibility = "live", as_of: bool = False
) -> list[Any]:
    return [
        mapped.table.c.id == sa.bindparam("_id"),
        *row_predicates(mapped, scope, visibility, as_of),
    ]
