"""``Relationship``: a relation to another model, declared as a plain class attribute.

It is not a Pydantic field and not a column: nothing is stored for it, nothing is loaded
behind your back. A query loads it on request (``.load("posts")``); reading one that was not
loaded raises :class:`~storied.errors.RelationNotLoaded` instead of doing hidden I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .._compat import private_state, set_private_state
from ..errors import RelationNotLoaded

if TYPE_CHECKING:
    from .base import Model

T = TypeVar("T")


class Relationship(Generic[T]):
    """Declare a relation: ``author = Relationship(Author)`` or ``posts = Relationship("Post")``.

    The kind follows from the foreign keys: a field of this model with ``foreign_key=Target``
    makes a many-to-one; a field of the target pointing here makes a one-to-many (``one=True``
    for a one-to-one); ``through=LinkModel`` makes a many-to-many over a link model with a
    foreign key to each side. ``via`` names the foreign-key field when several could match.

    Args:
        target: the related model class, or its class name (resolved lazily, for forward refs).
        via: the foreign-key field (on this model for many-to-one, on the target otherwise).
        through: the link model of a many-to-many.
        one: a one-to-one seen from the side without the foreign key.
        many: a one-to-many even though this model also has a foreign key to the target
            (self-references: ``reports = Relationship("Employee", via="manager_id",
            many=True)`` beside ``manager = Relationship("Employee", via="manager_id")``).
    """

    def __init__(
        self,
        target: type[Model] | str,
        *,
        via: str | None = None,
        through: type[Model] | str | None = None,
        one: bool = False,
        many: bool = False,
    ) -> None:
        self.target = target
        self.via = via
        self.through = through
        self.one = one
        self.many = many
        self.name = ""
        self.owner: type[Model] | None = None

    def __set_name__(self, owner: type[Model], name: str) -> None:
        self.name = name
        self.owner = owner

    def __repr__(self) -> str:
        target = self.target if isinstance(self.target, str) else self.target.__name__
        return f"Relationship({target!r}, name={self.name!r})"

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Relationship[T]: ...

    @overload
    def __get__(self, instance: Model, owner: type[Any]) -> T: ...

    def __get__(self, instance: Model | None, owner: type[Any]) -> Relationship[T] | T:
        if instance is None:
            return self
        loaded = private_state(instance) or {}
        relations = loaded.get("_relations") or {}
        if self.name not in relations:
            raise RelationNotLoaded(
                f"{type(instance).__name__}.{self.name} was not loaded: ask for it with "
                f".load({self.name!r}) on the query (storied never loads relations lazily)"
            )
        return relations[self.name]  # type: ignore[no-any-return]

    def __set__(self, instance: Model, value: Any) -> None:
        raise AttributeError(f"{self.name} is a relationship; load it with a query")


def set_loaded(instance: Model, name: str, value: Any) -> None:
    """Attach a loaded relation to an instance (used by the loader)."""
    private = private_state(instance)
    if private is None:
        set_private_state(instance, {"_relations": {name: value}})
        return
    relations = private.get("_relations")
    if relations is None:
        relations = private["_relations"] = {}
    relations[name] = value


def relationships(model: type[Model]) -> dict[str, Relationship[Any]]:
    """The relationships declared on a model class and its bases."""
    found: dict[str, Relationship[Any]] = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Relationship):
                found[name] = value
    return found
