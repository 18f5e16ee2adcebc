"""Registry: owns the MetaData and the mapping of each model class to its tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError

from ..errors import ModelDefinitionError, ValidationError
from ..models.references import reference_target
from ..models.spec import ModelSpec
from .layouts import Layout, layout_for
from .partitions import HistoryPartitions, parent_index, partitions_option

if TYPE_CHECKING:
    from ..models.base import Model

NAMING_CONVENTION = {
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
}


@dataclass(eq=False)
class MappedModel:
    """A model bound to its tables in one Registry."""

    spec: ModelSpec
    table: sa.Table
    #: the history option's table shape and the predicates that pick current/as-of rows
    layout: Layout
    #: columns read for a model, and the model field each fills
    columns: tuple[sa.Column[Any], ...]
    names: tuple[str, ...]
    extra_tables: tuple[sa.Table, ...] = ()
    #: field-level audit trail (copy_on_change)
    audit_table: sa.Table | None = None
    #: one row per logical id (scd2), the target of foreign keys to the model
    identity_table: sa.Table | None = None
    #: unique index name → the fields it protects (for ConflictError messages)
    unique_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        return self.spec.name

    @property
    def key(self) -> str:
        return self.table.fullname

    @cached_property
    def field_columns(self) -> dict[str, sa.Column[Any]]:
        return dict(zip(self.names, self.columns, strict=True))

    @cached_property
    def stamp_names(self) -> tuple[str, ...]:
        """The columns read into a model that storied fills itself (id, tenant, stamps)."""
        return tuple(n for n in self.names if n not in self.spec.fields)

    def column(self, name: str) -> sa.Column[Any]:
        self.spec.check_readable(name)
        return self.field_columns[name]

    def fields_for(self, constraint: str | None, columns: tuple[str, ...]) -> tuple[str, ...]:
        if constraint and constraint not in self.unique_fields:  # a partition's copy?
            constraint = parent_index(self.table, constraint) or constraint
        if constraint and constraint in self.unique_fields:
            return self.unique_fields[constraint]
        by_column = {c.name: n for n, c in self.field_columns.items()}
        system = {"tenant_id", "live_key"}
        return tuple(by_column[c] for c in columns if c in by_column and by_column[c] not in system)

    def to_model(self, row: Sequence[Any]) -> Model:
        """A validated model from one row of ``columns`` (the validation model_validate runs)."""
        try:
            model: Model = self.spec.model.__pydantic_validator__.validate_python(
                dict(zip(self.names, row, strict=True))
            )
        except PydanticValidationError as exc:
            raise self._stale(exc) from exc
        return model

    def to_models(self, rows: Iterable[Sequence[Any]]) -> list[Model]:
        """``to_model`` over many rows, with the per-row lookups done once. (One
        ``TypeAdapter(list[Model])`` call over the rows' dicts is no cheaper under callgrind:
        37.1M instructions per 1,000 rows either way alone, and a whole sqlite3 list counted
        70.2M with it against 67.8M without.)"""
        validate = self.spec.model.__pydantic_validator__.validate_python
        names = self.names
        try:
            return [validate(dict(zip(names, row, strict=True))) for row in rows]
        except PydanticValidationError as exc:
            raise self._stale(exc) from exc

    @cached_property
    def declared(self) -> tuple[tuple[str, ...], Callable[[Sequence[Any]], tuple[Any, ...]] | None]:
        """The model's fields in declared order (``model_fields``: base fields first, as
        ``model_dump()`` has them), and what puts a row of ``columns`` in that order (None: it
        is in that order already)."""
        order = tuple(n for n in self.spec.model.model_fields if n in self.field_columns)
        positions = [self.names.index(n) for n in order]
        if positions == list(range(len(self.names))):
            return order, None
        get = itemgetter(*positions)
        return order, (get if len(positions) > 1 else lambda row: (get(row),))

    def to_tuples(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Plain rows: each row's values (already in their Python types) in declared order."""
        reorder = self.declared[1]
        return list(rows) if reorder is None else list(map(reorder, rows))

    def to_dicts(self, rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
        """Plain rows as dicts of field name to value, in declared order, unvalidated."""
        names, reorder = self.declared
        if reorder is None:
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [dict(zip(names, reorder(row), strict=True)) for row in rows]

    def _stale(self, exc: PydanticValidationError) -> ValidationError:
        """Stored data the model no longer accepts."""
        return ValidationError(
            f"{self.spec.name}: a stored row does not validate against the model "
            f"({exc.error_count()} error(s)); has the model changed without a migration?"
        )


class Registry:
    """Owns one ``MetaData``; maps model classes to tables. Databases each get one by default."""

    def __init__(
        self,
        metadata: sa.MetaData | None = None,
        *,
        history_partitions: str | HistoryPartitions | None = None,
        tenant_leading_keys: bool = False,
    ) -> None:
        self.metadata = metadata or sa.MetaData(naming_convention=NAMING_CONVENTION)
        #: history tables' partitioning (PostgreSQL; see ``mapping/partitions.py``)
        self.history_partitions = partitions_option(history_partitions)
        #: every tenant-scoped table's keys lead with the tenant column (``mapping/keys.py``)
        self.tenant_leading_keys = bool(tenant_leading_keys)
        self._mapped: dict[type, MappedModel] = {}
        self._tables: dict[str, type[Model]] = {}
        #: table name → the field that references it by name only (see ``_check_loose``)
        self._loose: dict[str, str] = {}

    def __iter__(self) -> Iterator[type[Model]]:
        return iter(list(self._mapped))

    def __contains__(self, model: object) -> bool:
        return model in self._mapped

    def add(self, *models: type[Model]) -> None:
        for model in models:
            self.mapped(model)

    def mapped(self, model: type[Model]) -> MappedModel:
        found = self._mapped.get(model)
        if found is not None:
            return found
        spec = model.storied_spec()
        for other in _referenced_models(spec):
            self.mapped(other)
        owner = self._tables.get(spec.options.table)
        if owner is not None and owner is not model:
            raise ModelDefinitionError(
                f"table {spec.options.table!r} is already mapped to {owner.__name__}; "
                "use another table name or another Registry"
            )
        self._check_loose(spec)
        layout = layout_for(spec)
        built = layout.build(spec, self.metadata, self.history_partitions, self.tenant_leading_keys)
        mapped = MappedModel(
            spec=spec,
            layout=layout,
            table=built.table,
            columns=built.columns,
            names=built.names,
            extra_tables=built.extra_tables,
            audit_table=built.audit_table,
            identity_table=built.identity_table,
            unique_fields=built.unique_fields,
        )
        self._mapped[model] = mapped
        self._tables[spec.options.table] = model
        self._loose.update(_loose_references(spec))
        return mapped

    def _check_loose(self, spec: ModelSpec) -> None:
        """Refuse a tenant-scoped reference by table name to a tenant-scoped model: storied
        could not enforce it per tenant (the model class is needed for that)."""
        loose = [(t, f) for t, f in _loose_references(spec).items() if t in self._tables]
        if spec.options.tenant and spec.options.table in self._loose:
            loose.append((spec.options.table, self._loose[spec.options.table]))
        for table, field_name in loose:
            owner = self._tables.get(table) or spec.model
            if owner.storied_spec().options.tenant:
                raise ModelDefinitionError(
                    f"{field_name}: foreign_key names the table {table!r} of the tenant-scoped "
                    f"model {owner.__name__}; pass the class (foreign_key={owner.__name__}) so "
                    "the reference is enforced per tenant"
                )

    def tables(self, models: Iterable[type[Model]] | None = None) -> list[sa.Table]:
        chosen = list(models) if models is not None else list(self._mapped)
        out: list[sa.Table] = []
        for model in chosen:
            mapped = self.mapped(model)
            out += [mapped.table, *mapped.extra_tables]
        return out


def _referenced_models(spec: ModelSpec) -> list[type[Model]]:
    """Other models the spec's foreign keys point at (mapped first: their keys must exist)."""
    found = (reference_target(spec, name) for name in spec.fields)
    return [m for m in found if m is not None and m is not spec.model]


def _loose_references(spec: ModelSpec) -> dict[str, str]:
    """Tables a tenant-scoped model references by a name storied cannot tie to a model."""
    if not spec.options.tenant:
        return {}
    out: dict[str, str] = {}
    for name, f in spec.fields.items():
        target = f.column_info.foreign_key
        if isinstance(target, str) and reference_target(spec, name) is None:
            out[target.rsplit(".", 1)[0].rsplit(".", 1)[-1]] = f"{spec.name}.{name}"
    return out
