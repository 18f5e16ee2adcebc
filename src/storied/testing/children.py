"""One-to-many children of factory-made rows: ``create_batch(repo, n, children={"posts": 2})``.

Each created parent gets that many children, made by a factory of the relation's target
(seeded from the parent's factory) with the foreign key set to the parent, created after the
parents in the same tenant (their own required parents are made as usual).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..models.base import Model
from ..models.relations import relationships
from .parents import parent_repo

if TYPE_CHECKING:
    from .factories import Factory


def plan_children(
    owner: Factory[Any], repo: Any, counts: Mapping[str, int]
) -> list[tuple[Factory[Any], str, int]]:
    """(child factory, foreign-key field, count) per requested one-to-many relation."""
    rels = relationships(owner.model)
    out: list[tuple[Factory[Any], str, int]] = []
    for name, count in counts.items():
        rel = rels.get(name)
        if rel is None or rel.through is not None:
            raise ConfigurationError(
                f"factory({owner.model.__name__}): children= names {name!r}, which is not a "
                "one-to-many relationship of the model"
            )
        if not isinstance(count, int) or count < 0:
            raise ConfigurationError(f"children[{name!r}] must be a non-negative int")
        target = _resolve(repo, rel.target)
        field = rel.via or _field_to(target, owner.model)
        if field is None or field not in target.storied_spec().fields:
            raise ConfigurationError(
                f"factory({owner.model.__name__}): cannot tell which field of "
                f"{target.__name__} points back for {name!r}; declare it with via="
            )
        out.append((owner.parents.maker(target), field, count))
    return out


def _resolve(repo: Any, target: type[Model] | str) -> type[Model]:
    if isinstance(target, type):
        return target
    found: list[type[Model]] = [m for m in repo.db.registry if m.__name__ == target]
    if len(found) != 1:
        raise ConfigurationError(
            f"relationship target {target!r} is not mapped in this database (or is ambiguous); "
            "create its tables first"
        )
    return found[0]


def _field_to(target: type[Model], owner: type[Model]) -> str | None:
    table = owner.storied_spec().options.table
    hits = [
        n
        for n, f in target.storied_spec().fields.items()
        if f.column_info.foreign_key is owner
        or (isinstance(f.column_info.foreign_key, str)
            and f.column_info.foreign_key.rpartition(".")[0] == table)
    ]  # fmt: skip
    return hits[0] if len(hits) == 1 else None


def create_children(owner: Factory[Any], repo: Any, parents: list[Any], counts: Any) -> None:
    for maker, field, count in plan_children(owner, repo, counts or {}):
        target = parent_repo(repo, maker.model)
        for parent in parents:
            if count:
                maker.create_batch(target, count, **{field: parent.id})


async def acreate_children(owner: Factory[Any], repo: Any, parents: list[Any], counts: Any) -> None:
    for maker, field, count in plan_children(owner, repo, counts or {}):
        target = parent_repo(repo, maker.model)
        for parent in parents:
            if count:
                await maker.acreate_batch(target, count, **{field: parent.id})
