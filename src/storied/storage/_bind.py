"""Binding the ``FileRef`` values a repository returns to the stores their fields name.

A :class:`Binder` walks what a repository method returned — a model, a list of them, a
:class:`~storied.Version`, a :class:`~storied.ChangeSet` (its ``{field: (old, new)}``), a
field's changes, a :class:`~storied.Query` (its results, once run), an iterator or an awaitable
of any of these — and binds each ``FileRef`` in a file field to that field's store, so
``ref.read()`` needs no store. Binding sets the ref's private store in place: the refs are the
ones this read made, and binding is not part of a ref's value.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any

from .. import ChangeSet, FieldChange, Model, Query, Relationship, Version
from ..errors import ConfigurationError, RelationNotLoaded
from .fileref import FileRef, field_stores

Store = Any  # an ObjectStore or an AsyncObjectStore


def bound(ref: FileRef, store: Store) -> FileRef:
    """``ref``, bound to ``store`` (in place)."""
    ref._store = store
    return ref


class Binder:
    """Binds the file fields of ``model`` (and its history values) to ``stores``, and those of
    the related models loaded with it (``.load("author")``) to the stores ``store_named``
    gives for their fields (a field whose store it does not know stays unbound)."""

    def __init__(
        self,
        model: type[Any],
        stores: Mapping[str, Store],
        store_named: Callable[[str | None], Store] | None = None,
    ) -> None:
        self.model = model
        self.stores = dict(stores)
        self.store_named = store_named
        self._related: dict[type[Any], tuple[dict[str, Store], tuple[str, ...]]] = {}

    def method(self, fn: Callable[..., Any], field: str | None = None) -> Callable[..., Any]:
        """``fn`` whose result is bound (``field``: the field a FieldChange list is of)."""

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.bind(fn(*args, **kwargs), field)

        return call

    def bind(self, value: Any, field: str | None = None) -> Any:
        if isinstance(value, Model):
            self._model(value, set())
        elif isinstance(value, FileRef):
            self._ref(value, self.stores.get(field or ""))
        elif isinstance(value, list | tuple):
            for item in value:
                self.bind(item, field)
        elif isinstance(value, Version):
            self.bind(value.model)
        elif isinstance(value, ChangeSet):
            self.bind(value.changes)
        elif isinstance(value, FieldChange):
            self.bind((value.old, value.new), field)
        elif isinstance(value, Mapping):
            for name, item in value.items():
                self.bind(item, name if name in self.stores else field)
        elif isinstance(value, Query):
            return BoundQuery(value, self)
        elif inspect.isawaitable(value):
            return self._awaited(value, field)
        elif isinstance(value, AsyncIterator):
            return self._async_items(value)
        elif isinstance(value, Iterator):
            return self._items(value)
        return value

    def _model(self, value: Model, seen: set[int]) -> None:
        """Bind a model's file fields, then those of the relations loaded on it."""
        if id(value) in seen:
            return
        seen.add(id(value))
        stores, relations = self._shape(type(value))
        for name, store in stores.items():
            self._ref(getattr(value, name, None), store)
        for name in relations:
            try:
                related = getattr(value, name)
            except RelationNotLoaded:
                continue
            for item in related if isinstance(related, list | tuple) else (related,):
                if isinstance(item, Model):
                    self._model(item, seen)

    def _shape(self, model: type[Any]) -> tuple[dict[str, Store], tuple[str, ...]]:
        """A model's file fields with their stores, and its relations' names (cached)."""
        shape = self._related.get(model)
        if shape is None:
            stores = self.stores if model is self.model else self._stores_of(model)
            relations = tuple(
                name
                for klass in model.__mro__
                for name, attribute in vars(klass).items()
                if isinstance(attribute, Relationship)
            )
            shape = self._related[model] = (stores, relations)
        return shape

    def _stores_of(self, model: type[Any]) -> dict[str, Store]:
        stores: dict[str, Store] = {}
        if self.store_named is None:
            return stores
        for field, name in field_stores(model).items():
            try:
                stores[field] = self.store_named(name)
            except ConfigurationError:
                continue  # a store these Files do not have: the ref stays unbound
        return stores

    def _ref(self, ref: Any, store: Store | None) -> None:
        if isinstance(ref, FileRef) and store is not None:
            bound(ref, store)

    async def _awaited(self, value: Awaitable[Any], field: str | None) -> Any:
        return self.bind(await value, field)

    def _items(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            yield self.bind(item)

    async def _async_items(self, items: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in items:
            yield self.bind(item)


class BoundQuery:
    """A :class:`~storied.Query` whose results are bound; every other call is the query's."""

    def __init__(self, query: Query[Any], binder: Binder) -> None:
        self.query = query
        self.binder = binder

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.query, name)
        return self.binder.method(attribute) if callable(attribute) else attribute

    def __repr__(self) -> str:
        return f"<bound {self.query!r}>"
