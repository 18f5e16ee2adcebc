"""Every use storied makes of a library's private API, in one module, each with its reason.

``tests/unit/test_compat.py`` pins the library behaviour each one relies on, so an upgrade
that changes it fails there first, and ``tests/unit/test_layers.py`` fails on a private name
used anywhere else in ``src/``. Each entry says why no public API does the job.

SQLAlchemy
- ``Column._copy()``: schema sync adds a column that already belongs to a model's table
  (re-adding it on a rebuild, or adding it nullable before a backfill); Alembic's ops need a
  column not bound to a table, and ``Column.copy()``, the public spelling, is deprecated.
- ``sqlalchemy.util.greenlet_spawn``: the async pool closes SQLAlchemy's pooled connections
  (sync code that awaits the driver inside) from a coroutine. This is how SQLAlchemy's own
  asyncio layer crosses between the two; it exports no public spelling.
- ``sqlalchemy.sql.util.ClauseAdapter``: a related-field filter (EXISTS over a relation)
  rewrites the relation's join condition onto an alias of the target table; the ORM's
  ``aliased()`` does this only for ORM entities, and storied uses Core. Window functions
  (``query/windows.py``) move a window over the model's columns onto the derived table that
  holds them, when several windows are nested one per level.
- ``_traverse_internals`` / ``_from_objects`` on storied's own ``ColumnElement`` subclasses
  (``sql/like.py``, ``sql/unindexed.py``): what SQLAlchemy's traversals (ClauseAdapter above,
  FROM inference) read to reach a custom element's children; ``@compiles`` alone gives a
  custom element no children.
- Replacing a dialect's ``identifier_preparer`` (``named_paramstyle``): rendering DDL for a
  ``format``-paramstyle driver without doubled ``%``; the preparer caches the paramstyle it was
  made for, so a copied dialect needs a new one.

Alembic: none. Schema sync compares through ``alembic.autogenerate.produce_migrations`` and
the plugin API (``Plugin.add_autogenerate_comparator``) only.

Pydantic
- ``__pydantic_fields_set__`` / ``__dict__`` (``stamp``): a created row's id, tenant and
  stamps are written into storied's own freshly validated copy in place; ``model_copy(update=
  …)`` does the same to a copy, one more per row on every bulk create.
- ``__pydantic_private__`` (``private_state``): a loaded relation is kept on the instance
  without declaring a private attribute on every model, which would give each validated row
  an extra dict to build.
- ``__pydantic_base_init__`` (``base_init``): ``Model.__init__`` marks the instances Pydantic
  validated (``models/validity.py``). Pydantic treats any other ``__init__`` as the user's own
  and then routes every validation of the class through it, which would make each row a read
  builds pay a Python call; the flag is how Pydantic's own ``BaseModel`` and ``RootModel``
  declare an ``__init__`` that only validates.
- ``__pydantic_fields_set__`` / ``__pydantic_extra__`` / ``__pydantic_private__``
  (``shallow_copy``): a write makes its own copy of a model the caller validated, to stamp and
  fit; ``model_construct`` would walk the fields and defaults again (what the copy is for is
  not paying that per row), and ``model_copy`` keeps the caller's private state.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter as ClauseAdapter
from sqlalchemy.util import greenlet_spawn as greenlet_spawn

Init = TypeVar("Init", bound=Callable[..., None])


def copy_column(column: sa.Column[Any]) -> sa.Column[Any]:
    """An unattached copy of ``column`` (name, type, constraints, server default)."""
    return column._copy()


def named_paramstyle(dialect: sa.Dialect) -> sa.Dialect:
    """A copy of ``dialect`` with the ``named`` paramstyle: SQL text without doubled ``%``."""
    plain = copy.copy(dialect)
    plain.paramstyle = "named"
    plain.positional = False
    plain.identifier_preparer = plain.preparer(plain)
    return plain


def stamp(model: Any, values: Mapping[str, Any]) -> None:
    """Set already-valid field values on a model in place, marked as set."""
    model.__dict__.update(values)
    model.__pydantic_fields_set__.update(values)


def base_init(init: Init) -> Init:
    """Declare ``init`` an ``__init__`` that validates as ``BaseModel.__init__`` does."""
    init.__pydantic_base_init__ = True  # type: ignore[attr-defined]
    return init


def shallow_copy(model: Any, fields_set: set[str]) -> Any:
    """A new instance of ``model``'s class holding a copy of its field values, ``fields_set``
    as its set fields, and neither extra values nor private state."""
    out = _new(type(model))
    _set(out, "__dict__", model.__dict__.copy())
    _set(out, "__pydantic_fields_set__", fields_set)
    _set(out, "__pydantic_extra__", None)
    _set(out, "__pydantic_private__", None)
    return out


_new = object.__new__
_set = object.__setattr__


def private_state(instance: Any) -> dict[str, Any] | None:
    """The instance's private-attribute dict (None until one is set)."""
    state: dict[str, Any] | None = instance.__pydantic_private__
    return state


def set_private_state(instance: Any, state: dict[str, Any]) -> None:
    object.__setattr__(instance, "__pydantic_private__", state)
