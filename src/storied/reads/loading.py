"""Eager loading: one batched IN query per relation, whatever the number of rows.

Related rows are read through the same predicates as any read (tenant scope, soft delete, and
for versioned targets the version valid at the query's ``as_of`` moment), so a relation can
never reach another tenant's rows or a version from another time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import ConfigurationError
from ..models.relations import set_loaded
from ..ops.requests import Exec, Operation, Statement
from ..query.scoping import row_predicates
from ..relationships.resolve import Relation, resolve
from ..sql.inlist import in_chunks, key_binds
from ..tenancy.scope import Scope, scope_for, shaped
from .rows import rows_where_in

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from ..models.base import Model

Tree = dict[str, "Tree"]


def parse_paths(paths: Sequence[str]) -> Tree:
    """``("posts", "posts.comments")`` → ``{"posts": {"comments": {}}}``."""
    tree: Tree = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            if not part:
                raise ConfigurationError(f"invalid relation path {path!r}")
            node = node.setdefault(part, {})
    return tree


def check_paths(registry: Registry, owner: type[Model], paths: Sequence[str]) -> None:
    """Resolve every relation a load names (UnknownFieldError for a typo)."""

    def walk(model: type[Model], tree: Tree) -> None:
        for name, subtree in tree.items():
            walk(resolve(registry, model, name).target, subtree)

    walk(owner, parse_paths(paths))


def load(
    registry: Registry,
    mapped: MappedModel,
    scope: Scope,
    models: Sequence[Model],
    paths: Sequence[str],
    as_of: dt.datetime | None,
) -> Operation[None]:
    yield from _level(registry, mapped.spec.model, scope, list(models), parse_paths(paths), as_of)


def _level(
    registry: Registry,
    owner: type[Model],
    scope: Scope,
    models: list[Model],
    tree: Tree,
    as_of: dt.datetime | None,
) -> Operation[None]:
    for name, subtree in tree.items():
        rel = resolve(registry, owner, name)
        target = registry.mapped(rel.target)
        target_scope = scope_for(scope, target.spec)
        keys = [k for k in dict.fromkeys(getattr(m, rel.local) for m in models) if k is not None]
        moment = as_of if target.identity_table is not None else None
        if not keys:
            related: list[tuple[Any, Model]] = []
        elif rel.kind == "many_to_many":
            related = yield from _through_link(registry, rel, target, target_scope, keys, moment)
        else:
            rows = yield from rows_where_in(target, target_scope, rel.remote, keys, as_of=moment)
            related = [(getattr(m, rel.remote), m) for m in map(target.to_model, rows)]
        groups: dict[Any, list[Model]] = {}
        for key, model in related:
            groups.setdefault(key, []).append(model)
        for model in models:
            found = groups.get(getattr(model, rel.local), [])
            set_loaded(model, name, found if rel.many else (found[0] if found else None))
        if subtree:
            children = list({id(m): m for _, m in related}.values())
            yield from _level(registry, rel.target, target_scope, children, subtree, as_of)


def _through_link(
    registry: Registry,
    rel: Relation,
    target: MappedModel,
    scope: Scope,
    keys: list[Any],
    as_of: dt.datetime | None,
) -> Operation[list[tuple[Any, Model]]]:
    """Targets joined to the link rows whose owner-side key is among ``keys``."""
    assert rel.link is not None
    link = registry.mapped(rel.link)
    link_scope = scope_for(scope, link.spec)
    link_as_of = as_of if link.identity_table is not None else None
    out: list[tuple[Any, Model]] = []
    timed, link_timed = as_of is not None, link_as_of is not None
    for size, chunk in in_chunks(keys):
        params: dict[str, Any] = {**chunk, **scope.params(), **link_scope.params()}
        if as_of is not None or link_as_of is not None:
            params["_asof"] = as_of or link_as_of
        args = (registry, rel, target, scope.shape, link_scope.shape, size, timed, link_timed)
        result = yield Exec(Statement(through_stmt, args), params, fetch=True)
        n = len(target.columns)
        out += [(row[n], target.to_model(row[:n])) for row in result.rows]
    return out


def through_stmt(
    registry: Registry,
    rel: Relation,
    target: MappedModel,
    scope: Hashable,
    link_scope: Hashable,
    size: int,
    timed: bool,
    link_timed: bool,
) -> sa.Select[Any]:
    """Targets joined to the link rows whose owner-side key is among ``size`` bound keys."""
    assert rel.link is not None
    assert rel.link_local is not None
    assert rel.link_remote is not None
    link = registry.mapped(rel.link)
    link_local = link.field_columns[rel.link_local]
    link_remote = link.field_columns[rel.link_remote]
    keys_in = link_local.in_(key_binds(link_local, size))
    on = link_remote == target.field_columns[rel.remote]
    return (
        sa.select(*target.columns, link_local)
        .select_from(target.table.join(link.table, on))
        .where(
            keys_in,
            *row_predicates(target, shaped(scope), "live", timed),
            *row_predicates(link, shaped(link_scope), "live", link_timed),
        )
    )
