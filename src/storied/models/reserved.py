"""The names storied's tables keep for their own columns: no model field may take one.

``SYSTEM_FIELDS`` are the bookkeeping fields every model has (declared on ``Model``, filled by
storied); the others are columns the history options add (``mapping/table.py``,
``mapping/shapes.py``): the live-row marker, scd2's row key, validity period, current-version
marker and ``recorded_as``. ``tests/unit/test_reserved_names.py`` checks that every column
the mapping adds is listed here.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from ..errors import ModelDefinitionError

#: Columns storied stamps itself; callers cannot set them through the model.
SYSTEM_FIELDS = frozenset(
    {
        "id",
        "tenant_id",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "deleted_at",
        "deleted_by",
    }
)

#: Columns a history option or soft delete adds beside the fields.
STRATEGY_COLUMNS = frozenset(
    {"live_key", "current_key", "row_id", "valid_from", "valid_to", "recorded_as"}
)

RESERVED = SYSTEM_FIELDS | STRATEGY_COLUMNS


def check_names(
    model: type[Any], base: type[Any], fields: Iterable[tuple[str, str]], tenant_column: str
) -> None:
    """Refuse fields (``(name, column)`` pairs) that take a reserved name, and a subclass of
    ``base`` that declares one of its bookkeeping fields again."""
    for klass in model.__mro__:
        if klass is base or not issubclass(klass, base):
            break
        redeclared = sorted(SYSTEM_FIELDS & set(inspect.get_annotations(klass)))
        if redeclared:
            raise ModelDefinitionError(
                f"{model.__name__}.{redeclared[0]}: a bookkeeping field storied fills itself "
                "cannot be declared again; remove it (storied reserves "
                f"{', '.join(sorted(SYSTEM_FIELDS))})"
            )
    for name, column in fields:
        for taken in (name, column):
            if taken in RESERVED or taken == tenant_column:
                raise ModelDefinitionError(
                    f"{model.__name__}.{name}: {taken!r} is a column storied keeps for itself "
                    "(reserved: "
                    f"{', '.join(sorted(RESERVED | {tenant_column}))}); rename the field, or "
                    "store it under another column with Field(column=...)"
                )
