"""Many-to-one parents of factory-made rows: linked by relation name, created, or reused.

``build(author=some_author)`` sets ``author_id`` from a parent object. When rows are created,
each required foreign key that no override sets gets parents made by a factory of the target
model (seeded from the child's factory) and created first, in the repository's tenant.
A unique foreign key (a one-to-one) always gets one parent per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

from ..errors import ConfigurationError
from ..models.base import Model
from ..models.relations import relationships

if TYPE_CHECKING:
    from .factories import Factory

#: "share": one parent for a batch; "each": one per row; {fk_field: parents} to reuse
ParentPolicy = Union[Literal["share", "each"], Mapping[str, Sequence[Any]]]  # noqa: UP007


@dataclass
class Need:
    """The parent values one foreign-key field of a batch takes."""

    field: str
    column: str
    count: int = 0
    maker: Factory[Any] | None = None
    given: Sequence[Any] = ()

    def _values(self, parents: Sequence[Any]) -> list[Any]:
        return [getattr(p, self.column) if isinstance(p, Model) else p for p in parents]

    def create(self, repo: Any) -> list[Any]:
        if self.maker is None:
            return self._values(self.given)
        target = parent_repo(repo, self.maker.model)
        return self._values(self.maker.create_batch(target, self.count))

    async def acreate(self, repo: Any) -> list[Any]:
        if self.maker is None:
            return self._values(self.given)
        target = parent_repo(repo, self.maker.model)
        return self._values(await self.maker.acreate_batch(target, self.count))


class ParentLinks:
    """The foreign keys of one factory's model, and how to fill them."""

    def __init__(self, owner: Factory[Any]) -> None:
        self.owner = owner
        spec = owner.spec
        self.fk_fields = {n: f for n, f in spec.fields.items() if f.column_info.foreign_key}
        self._makers: dict[type[Model], Factory[Any]] = {}
        self.by_relation: dict[str, str] = {}
        for name, rel in relationships(owner.model).items():
            via = rel.via or self._field_to(rel.target)
            if via in self.fk_fields and not rel.many and rel.through is None and not rel.one:
                self.by_relation[name] = via

    def _field_to(self, target: type[Model] | str) -> str | None:
        hits = [
            n
            for n, f in self.fk_fields.items()
            if f.column_info.foreign_key is target
            or (isinstance(target, str) and _named(f.column_info.foreign_key) == target)
        ]
        return hits[0] if len(hits) == 1 else None

    def expand(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Overrides with ``relation=parent`` turned into ``fk_field=parent.id``."""
        if not any(k in self.by_relation for k in overrides):
            return overrides
        out = dict(overrides)
        for name, field in self.by_relation.items():
            if name in out:
                parent = out.pop(name)
                if getattr(parent, "id", None) is None:
                    raise ConfigurationError(
                        f"factory({self.owner.model.__name__}): {name}= needs a parent that "
                        "has an id (create it first, or pass it to build(id=…))"
                    )
                out[field] = parent.id
        return out

    def plan(
        self, repo: Any, n: int, policy: ParentPolicy, overrides: Mapping[str, Any]
    ) -> dict[str, Need]:
        """What each unset foreign key of an ``n``-row batch needs."""
        if not isinstance(policy, Mapping) and policy not in ("share", "each"):
            raise ConfigurationError(
                f"parents must be 'share', 'each' or a mapping of field to parents, not {policy!r}"
            )
        given = policy if isinstance(policy, Mapping) else {}
        unknown = set(given) - set(self.fk_fields)
        if unknown:
            raise ConfigurationError(
                f"factory({self.owner.model.__name__}): parents= names {sorted(unknown)}, which "
                f"are not foreign keys (those are {sorted(self.fk_fields)})"
            )
        needs: dict[str, Need] = {}
        for name, f in self.fk_fields.items():
            if name in overrides or self.by_relation_override(name, overrides):
                continue
            target, column = self._target(repo, f.column_info.foreign_key)
            if name in given:
                if not given[name]:
                    raise ConfigurationError(f"parents[{name!r}] is empty")
                needs[name] = Need(name, column, given=list(given[name]))
            elif not f.nullable:
                if target is self.owner.model:
                    raise ConfigurationError(
                        f"factory({target.__name__}).{name} is a required reference to its own "
                        "model: pass it as an override"
                    )
                each = policy == "each" or f.column_info.unique
                needs[name] = Need(name, column, n if each else 1, self.maker(target))
        return needs

    def by_relation_override(self, field: str, overrides: Mapping[str, Any]) -> bool:
        return any(self.by_relation[r] == field for r in overrides if r in self.by_relation)

    def apply(self, objects: list[Any], ids: Mapping[str, list[Any]]) -> list[Any]:
        for i, obj in enumerate(objects):
            for field, values in ids.items():
                setattr(obj, field, values[i % len(values)])
        return objects

    def maker(self, target: type[Model]) -> Factory[Any]:
        """The factory this one uses for ``target`` rows (one per target, so their unique
        fields stay unique across calls)."""
        if target not in self._makers:
            self._makers[target] = self.owner.derived(target)
        return self._makers[target]

    def _target(self, repo: Any, foreign_key: Any) -> tuple[type[Model], str]:
        """The model and column a foreign key points at (a class, or "table.column")."""
        if isinstance(foreign_key, type):
            return foreign_key, "id"
        table, _, column = str(foreign_key).rpartition(".")
        registry = repo.db.registry
        for model in registry:
            mapped = registry.mapped(model)
            if table in (mapped.table.name, mapped.table.fullname):
                by_column = {c.name: n for n, c in mapped.field_columns.items()}
                return model, by_column.get(column, column)
        raise ConfigurationError(
            f"factory({self.owner.model.__name__}): no model of this database maps table "
            f"{table!r}; map it (db.registry.add or create_all) or pass the field as an override"
        )


def _named(foreign_key: Any) -> str:
    return foreign_key.__name__ if isinstance(foreign_key, type) else ""


def parent_repo(repo: Any, target: type[Model]) -> Any:
    """A repository for the parent model in the child repository's tenant and actor."""
    if not target.storied_spec().options.tenant:
        return repo.db.repository(target, actor=repo.actor)
    scope = repo.scope
    if scope.kind != "tenant":
        raise ConfigurationError(
            f"creating {target.__name__} parents needs a repository scoped to one tenant "
            f"(this one is {scope.kind}); pass the parents= or the foreign keys as overrides"
        )
    return repo.db.repository(target, tenant_id=scope.tenant_ids[0], actor=repo.actor)
