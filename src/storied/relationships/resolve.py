"""Turn a ``Relationship`` declaration into plain facts: kind, target and join keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from ..errors import ModelDefinitionError, UnknownFieldError
from ..models.references import module_models
from ..models.relations import Relationship, relationships

if TYPE_CHECKING:
    from ..mapping.registry import Registry
    from ..models.base import Model

Kind = Literal["many_to_one", "one_to_one", "one_to_many", "many_to_many"]


@dataclass(frozen=True, slots=True)
class Relation:
    """``owner.<name>`` reaches ``target`` where ``target.<remote> == owner.<local>``.

    For many-to-many the link model sits between: ``link.<link_local> == owner.<local>`` and
    ``link.<link_remote> == target.<remote>``.
    """

    owner: type[Model]
    name: str
    kind: Kind
    target: type[Model]
    local: str
    remote: str
    link: type[Model] | None = None
    link_local: str | None = None
    link_remote: str | None = None

    @property
    def many(self) -> bool:
        return self.kind in ("one_to_many", "many_to_many")

    def through(self) -> tuple[type[Model], str, str]:
        """A many-to-many relation's link model, its owner-side and its target-side field."""
        assert self.link is not None, "many_to_many only"
        assert self.link_local is not None
        assert self.link_remote is not None
        return self.link, self.link_local, self.link_remote


#: per registry, the relations resolved so far: a query that filters on or loads a relation
#: resolves it on every call, and resolving reads the model's declarations and fields again
_RESOLVED: WeakKeyDictionary[Registry, dict[tuple[type[Model], str], Relation]] = (
    WeakKeyDictionary()
)


def resolve(registry: Registry, owner: type[Model], name: str) -> Relation:
    """The relation ``owner.<name>``; UnknownFieldError lists the relations the model has.

    A relation resolved once is remembered for the registry (a failure is not: it is raised
    again on the next call).
    """
    known = _RESOLVED.get(registry)
    if known is None:
        known = _RESOLVED.setdefault(registry, {})
    found = known.get((owner, name))
    if found is None:
        found = known[(owner, name)] = _resolve(registry, owner, name)
    return found


def _resolve(registry: Registry, owner: type[Model], name: str) -> Relation:
    declared = relationships(owner)
    rel = declared.get(name)
    if rel is None:
        raise UnknownFieldError(owner.__name__, name, list(declared))
    target = _model(registry, owner, rel.target)
    if rel.through is not None:
        link = _model(registry, owner, rel.through)
        link_local = _fk_field(link, owner, None)
        link_remote = _fk_field(link, target, rel.via)
        return Relation(
            owner, name, "many_to_many", target, "id", "id", link, link_local, link_remote
        )
    local = None if rel.many else _fk_field(owner, target, rel.via, required=False)
    if local is not None and not rel.one:
        return Relation(owner, name, "many_to_one", target, local, "id")
    remote = _fk_field(target, owner, rel.via)
    return Relation(owner, name, "one_to_one" if rel.one else "one_to_many", target, "id", remote)


def _model(registry: Registry, owner: type[Model], ref: type[Model] | str) -> type[Model]:
    if isinstance(ref, type):
        return ref
    model: type[Model]
    for model in [*registry, *module_models(owner)]:
        if model.__name__ == ref:
            return model
    raise ModelDefinitionError(
        f"{owner.__name__}: relationship target {ref!r} is not a model this Database knows; "
        "pass the class, or add the model to the registry (db.create_all / registry.add)"
    )


def _points_to(field_target: Any, model: type[Model]) -> bool:
    if field_target is None:
        return False
    if isinstance(field_target, type):
        return field_target is model
    spec = model.storied_spec()
    table = str(field_target).rsplit(".", 1)[0]
    return table in (spec.options.table, f"{spec.options.table}_identity")


def _fk_field(
    model: type[Model], target: type[Model], via: str | None, required: bool = True
) -> Any:
    spec = model.storied_spec()
    if (
        via is not None
        and via in spec.fields
        and _points_to(spec.fields[via].column_info.foreign_key, target)
    ):
        return via
    candidates = [
        n for n, f in spec.fields.items() if _points_to(f.column_info.foreign_key, target)
    ]
    if via is not None:
        candidates = [c for c in candidates if c == via]
    if len(candidates) == 1:
        return candidates[0]
    if not required and not candidates:
        return None
    problem = "no field" if not candidates else f"several fields ({', '.join(candidates)})"
    raise ModelDefinitionError(
        f"{model.__name__} has {problem} with foreign_key to {target.__name__}; "
        "declare Field(foreign_key=...) or name it with Relationship(..., via='field')"
    )


__all__ = ["Relation", "Relationship", "resolve"]
