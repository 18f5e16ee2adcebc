"""Which model a foreign key points at: a model class, or a table name of a model that is
defined in the same module (resolved when the tables are built)."""

from __future__ import annotations

import sys

from ..errors import ModelDefinitionError
from .base import Model
from .spec import ModelSpec


def reference_target(spec: ModelSpec, name: str) -> type[Model] | None:
    """The model whose ``id`` the field ``name`` of ``spec`` references, if storied knows it.

    A model class names itself; ``"table.id"`` (or ``"schema.table.id"``) names the model's
    own table (a self-reference) or a model defined in the same module. Anything else — another
    column, a table no model of the module maps — is a plain foreign key storied cannot scope.
    """
    target = spec.fields[name].column_info.foreign_key
    if target is None:
        return None
    if isinstance(target, type):
        return target
    *table_parts, column = str(target).split(".")
    if column != "id" or not table_parts:
        return None
    table = table_parts[-1]
    schema = table_parts[0] if len(table_parts) > 1 else None
    found = [m for m in module_models(spec.model) if _maps(m, table, schema)]
    if spec.model in found:
        return spec.model
    if len(found) > 1:
        names = ", ".join(sorted(m.__name__ for m in found))
        raise ModelDefinitionError(
            f"{spec.name}.{name}: foreign_key={target!r} matches several models ({names}); "
            "pass the model class"
        )
    return found[0] if found else None


def _maps(model: type[Model], table: str, schema: str | None) -> bool:
    options = model.__dict__.get("__storied_options__")
    if options is None or options.abstract or options.db_schema != schema:
        return False
    return bool(table == options.table)


def module_models(owner: type[Model]) -> list[type[Model]]:
    """The owner and the model classes defined at the top level of its module."""
    module = sys.modules.get(owner.__module__)
    found: list[type[Model]] = [owner]
    if module is not None:
        found += [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, Model) and v is not Model and v is not owner
        ]
    return found
