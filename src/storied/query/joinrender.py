"""Joins → FROM clause: the aliased related tables a shape's :class:`~.shapes.Join` nodes name.

Every joined model gets its tenant, soft-delete and time predicates from
:func:`~.scoping.row_predicates`, in the join's ON clause: a LEFT join then yields NULLs for a
related row that is deleted, another tenant's or not valid at the moment read, instead of
dropping the row. A many-to-many hop joins its link table and the target as one nested join,
so a link whose target is hidden adds no row either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .._compat import ClauseAdapter
from ..errors import ConfigurationError
from ..tenancy.scope import Scope, scope_for
from .scoping import row_predicates, tenant_predicates

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from .shapes import Join

Adapt = Callable[[Any], Any]


def _same(clause: Any) -> Any:
    return clause


class Joined:
    """The FROM clause of a query over ``mapped`` with ``joins``, and its columns by name."""

    def __init__(
        self, mapped: MappedModel, scope: Scope, registry: Registry, joins: tuple[Join, ...]
    ) -> None:
        self.mapped = mapped
        self.scope = scope
        self.registry = registry
        self.source: sa.FromClause = mapped.table
        self.models: dict[str, tuple[MappedModel, Adapt]] = {"": (mapped, _same)}
        for join in joins:
            self._join(join)

    def column(self, name: str) -> sa.ColumnElement[Any]:
        """A field of the query's model, or ``path.field`` on the joined rows at ``path``."""
        if "." not in name:
            return self.mapped.field_columns[name]
        prefix, field = name.rsplit(".", 1)
        target, on = self.models[prefix]
        return on(target.field_columns[field])  # type: ignore[no-any-return]

    def _join(self, join: Join) -> None:
        rel = join.relation
        parent, on_parent = self.models[join.parent]
        target = self.registry.mapped(rel.target)
        alias = target.table.alias(f"j{len(self.models)}")
        on_alias: Adapt = ClauseAdapter(alias).traverse
        preds = [on_alias(p) for p in self._visible(target, join.timed)]
        local = on_parent(parent.field_columns[rel.local])
        remote = on_alias(target.field_columns[rel.remote])
        right: sa.FromClause = alias
        on = sa.and_(remote == local, *preds)
        if rel.kind == "many_to_many":
            link_model, link_local, link_remote = rel.through()
            link = self.registry.mapped(link_model)
            link_alias = link.table.alias(f"j{len(self.models)}_link")
            on_link: Adapt = ClauseAdapter(link_alias).traverse
            right = link_alias.join(
                alias, sa.and_(on_link(link.field_columns[link_remote]) == remote, *preds)
            )
            on = sa.and_(
                on_link(link.field_columns[link_local]) == local,
                *(on_link(p) for p in self._visible(link, False)),
            )
        self.source = self.source.join(right, on, isouter=not join.inner)
        self.models[join.path] = (target, on_alias)

    def _visible(self, target: MappedModel, timed: bool) -> list[sa.ColumnElement[bool]]:
        """The joined model's row predicates; refused if it is tenant-scoped and the scope
        filters by tenant but no tenant predicate came out (fail closed)."""
        scope = scope_for(self.scope, target.spec)
        if target.spec.options.tenant and scope.filters() and not tenant_predicates(target, scope):
            raise ConfigurationError(
                f"{target.spec.name} is tenant-scoped but no tenant predicate could be built "
                "for its join; refusing to read it unscoped"
            )
        return row_predicates(target, scope, "live", timed)
