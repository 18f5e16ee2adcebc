"""Each history option's table layout, as data: how its tables are built and which predicate
picks the current rows (and the rows valid at a moment).

The write operations of each option live in ``temporal``; everything here is what the read
side (``query``, ``reads``) and schema sync need to know about a model's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import ConfigurationError, ModelDefinitionError
from ..models.spec import ModelSpec
from .partitions import HistoryPartitions, partitioned
from .shapes import CURRENT_MARKER, TableSet, main_table, versions_tables, with_audit

if TYPE_CHECKING:
    from .registry import MappedModel


def _no_versions(mapped: MappedModel) -> sa.ColumnElement[bool]:
    raise ConfigurationError(f"{mapped.model_name} keeps no versions: as_of needs history='scd2'")


def _current_version(mapped: MappedModel) -> sa.ColumnElement[bool]:
    marker = mapped.table.c[CURRENT_MARKER] == 1
    if partitioned(mapped.table) is None:
        return marker
    # the same rows; PostgreSQL prunes to the partition of current versions by this one
    return sa.and_(marker, mapped.table.c.valid_to.is_(None))


def _valid_at(mapped: MappedModel) -> sa.ColumnElement[bool]:
    """Rows valid at the bound parameter ``_asof``."""
    t = mapped.table
    moment = sa.bindparam("_asof", type_=t.c.valid_from.type)
    return sa.and_(t.c.valid_from <= moment, sa.or_(t.c.valid_to.is_(None), t.c.valid_to > moment))


@dataclass(frozen=True, slots=True)
class Layout:
    """One history option's tables and read predicates."""

    name: str
    #: (spec, metadata, history partitions, tenant-leading keys) → the tables
    build: Callable[[ModelSpec, sa.MetaData, HistoryPartitions | None, bool], TableSet]
    #: the predicate that picks current rows, or None when every row is current
    current: Callable[[MappedModel], sa.ColumnElement[bool]] | None
    #: the predicate that picks the rows valid at ``_asof`` (raises where none are kept)
    as_of: Callable[[MappedModel], sa.ColumnElement[bool]]
    #: whether rows are versions (so ``as_of`` and version reads apply)
    versioned: bool = False

    def current_predicate(self, mapped: MappedModel) -> sa.ColumnElement[bool] | None:
        return self.current(mapped) if self.current is not None else None


LAYOUTS: dict[str, Layout] = {
    "none": Layout("none", main_table, None, _no_versions),
    "copy_on_change": Layout("copy_on_change", with_audit, None, _no_versions),
    "scd2": Layout("scd2", versions_tables, _current_version, _valid_at, versioned=True),
}


def layout_for(spec: ModelSpec) -> Layout:
    layout = LAYOUTS.get(spec.options.history)
    if layout is None:
        raise ModelDefinitionError(
            f"{spec.name}: history={spec.options.history!r} is not available in this version"
        )
    return layout
