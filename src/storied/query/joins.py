"""Dotted paths across relations (``F["team.name"]``) outside filters: the joins they need.

A filter on a related field stays an ``EXISTS`` (:class:`~.shapes.Related`). A related field
that is *projected*, *ordered by*, *grouped by* or *aggregated* needs the related row in the
query's own FROM clause: each distinct path prefix (``team``, ``team.company``) becomes one
aliased join along its declared relationship, LEFT OUTER unless ``query.join(path)`` asked
for an INNER one. :class:`JoinPlanner` checks every hop and field of such a path (before any
SQL runs) and names the joins a shape holds; :mod:`.joinrender` renders them, with tenancy,
soft delete and time on every joined model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..relationships.resolve import resolve
from ..tenancy.scope import Scope, scope_for
from .expressions import Aggregate, Condition, FieldRef, Window
from .shapes import Join

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from .query import Query


class JoinPlanner:
    """The joins of one query over ``mapped``: one per path prefix, parents first."""

    def __init__(self, mapped: MappedModel, scope: Scope, registry: Registry, timed: bool) -> None:
        self.mapped = mapped
        self.scope = scope
        self.registry = registry
        self.timed = timed
        self.joins: dict[str, Join] = {}
        #: the model each path reaches
        self.models: dict[str, MappedModel] = {"": mapped}

    def explicit(self, paths: tuple[tuple[str, bool], ...]) -> None:
        """``query.join(path)`` (inner) and ``left_join(path)``: inner wins for a path named
        both ways, and an inner join's prefixes are inner too."""
        for path, inner in paths:
            self.reach(path, inner)

    def field(self, name: str) -> tuple[MappedModel, str]:
        """The model and field a (possibly dotted) name reads; checked, and joined if dotted."""
        if "." not in name:
            self.mapped.spec.check_readable(name)
            return self.mapped, name
        prefix, last = name.rsplit(".", 1)
        target = self.reach(prefix, False)
        target.spec.check_readable(last)
        return target, last

    def reach(self, path: str, inner: bool) -> MappedModel:
        parent = ""
        current = self.mapped
        for hop in path.split("."):
            here = f"{parent}.{hop}" if parent else hop
            seen = self.joins.get(here)
            if seen is not None:
                current = self.models[here]
                if inner and not seen.inner:
                    self.joins[here] = Join(here, parent, seen.relation, seen.timed, True)
            else:
                rel = resolve(self.registry, current.spec.model, hop)
                current = self.registry.mapped(rel.target)
                scope_for(self.scope, current.spec)  # fails closed before anything runs
                if rel.link is not None:
                    scope_for(self.scope, self.registry.mapped(rel.link).spec)
                timed = self.timed and current.identity_table is not None
                self.joins[here] = Join(here, parent, rel, timed, inner)
                self.models[here] = current
            parent = here
        return current

    def refuse_many(self) -> None:
        """A whole-model query returns each row once: no join may repeat it."""
        for join in self.joins.values():
            if join.relation.many:
                raise ValidationError(
                    f"{join.path!r} is a to-many relation: joining it would repeat "
                    f"{self.mapped.model_name} rows; select() the fields with group_by() and "
                    "aggregates, or filter on it (filters test related rows with EXISTS)"
                )


def owner_of(registry: Registry, mapped: MappedModel, name: str) -> tuple[MappedModel, str]:
    """The model a dotted name's last field belongs to, and that field (no checks: the
    query was shaped, so the path is known good)."""
    if "." not in name:
        return mapped, name
    *hops, last = name.split(".")
    for hop in hops:
        mapped = registry.mapped(resolve(registry, mapped.spec.model, hop).target)
    return mapped, last


def joins_of(query: Query[Any]) -> bool:
    """Whether a query joins anything (an explicit join, or a dotted path anywhere but in
    its filters)."""
    if query.joins or any("." in o.field for o in query.orders):
        return True
    if any("." in g for g in query.grouping):
        return True
    for item in query.projection:
        if isinstance(item, Window):  # its names are the model's own (windows.py checks)
            continue
        name = item.name if isinstance(item, FieldRef) else item.field
        if name is not None and "." in name:
            return True
    return any(_aggregates_dotted(c) for c in query.having_conditions)


def _aggregates_dotted(cond: Condition) -> bool:
    field = cond.field
    if isinstance(field, Aggregate) and field.field is not None and "." in field.field:
        return True
    return any(_aggregates_dotted(c) for c in cond.children)
