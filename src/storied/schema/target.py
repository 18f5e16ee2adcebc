"""Models (through their Registry) → the :class:`~.diff.Target` a plan compares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticUndefined

from . import renames
from .diff import Target

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from ..models.base import Model
    from .plan import Plan


def target_for(
    registry: Registry,
    models: Iterable[type[Model]] | None,
    *,
    prune: bool = False,
    row_security: bool = False,
    now: dt.datetime | None = None,
) -> Target:
    """The tables of ``models`` (all the registry's when None), what they declare, defaults;
    with ``row_security``, the tenant-scoped tables a Row-Level Security policy protects."""
    chosen = _with_references(list(models) if models is not None else list(registry))
    registry.add(*chosen)
    mapped = [registry.mapped(m) for m in chosen]
    tables = tuple(registry.tables(chosen))
    defaults: dict[tuple[str, str], Any] = {}
    protected: list[tuple[Any, Any]] = []
    for m in mapped:
        for table in (m.table, *m.extra_tables):
            defaults.update(_defaults(m, table.name, {c.name for c in table.c}))
            if row_security and m.spec.options.tenant:
                protected.append((table, table.c.tenant_id))
    return Target(
        metadata=registry.metadata,
        tables=tables,
        declared=renames.declared(mapped, tables),
        defaults=defaults,
        prune=prune,
        row_security=tuple(protected),
        now=now,
    )


def target_of(
    registry: Registry, plan: Plan, now: dt.datetime | None = None, *, row_security: bool = False
) -> Target:
    """What ``plan`` compared, from this registry: the models of its tables."""
    names = set(plan.tables)
    models = [m for m in registry if registry.mapped(m).table.name in names]
    return target_for(registry, models, prune=plan.prune, row_security=row_security, now=now)


def _with_references(models: list[type[Model]]) -> list[type[Model]]:
    """The models and, transitively, the models their foreign keys point at."""
    out: list[type[Model]] = []
    todo = list(models)
    while todo:
        model = todo.pop(0)
        if model in out:
            continue
        out.append(model)
        for f in model.storied_spec().fields.values():
            if isinstance(f.column_info.foreign_key, type):
                todo.append(f.column_info.foreign_key)
    return out


def _defaults(mapped: MappedModel, table: str, columns: set[str]) -> dict[tuple[str, str], Any]:
    """Static field defaults, as stored (a factory is called once: one value for all rows)."""
    spec = mapped.spec
    out: dict[tuple[str, str], Any] = {}
    for name, f in spec.fields.items():
        if f.column not in columns or f.column_info.unique:
            continue
        if f.info.default is not PydanticUndefined and f.info.default is not None:
            value = f.info.default
        elif f.info.default_factory is not None:
            value = f.info.default_factory()  # type: ignore[call-arg]
        else:
            continue
        out[(table, f.column)] = spec.storage_values({name: value})[name]
    return out
