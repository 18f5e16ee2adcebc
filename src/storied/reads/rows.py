"""Read operations, written once (sans-I/O) for both repositories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import NotFoundError
from ..ops.requests import Exec, Operation, Statement
from ..query.scoping import Visibility, by_id, row_predicates
from ..sql.inlist import in_chunks, key_binds
from ..tenancy.scope import Scope, shaped

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.base import Model


def get_stmt(
    mapped: MappedModel, scope: Hashable, visibility: Visibility, lock: bool
) -> sa.Select[Any]:
    """The row ``_id`` in a scope of shape ``scope`` (read FOR UPDATE with ``lock``)."""
    stmt = sa.select(*mapped.columns).where(*by_id(mapped, shaped(scope), visibility))
    return stmt.with_for_update() if lock else stmt


def get(
    mapped: MappedModel, scope: Scope, id: Any, visibility: Visibility = "live", lock: bool = False
) -> Operation[Model]:
    """The row with this id in the scope (read FOR UPDATE with ``lock``), or NotFoundError."""
    result = yield Exec(
        Statement(get_stmt, (mapped, scope.shape, visibility, lock)),
        {"_id": id, **scope.params()},
        fetch=True,
    )
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    return mapped.to_model(result.rows[0])


def where_in_stmt(
    mapped: MappedModel,
    scope: Hashable,
    key: str,
    size: int,
    visibility: Visibility,
    extra: tuple[str, ...],
    lock: bool,
    timed: bool,
) -> sa.Select[Any]:
    """Rows whose ``key`` is among ``size`` bound keys (model columns, then ``extra``)."""
    columns = [*mapped.columns, *(mapped.table.c[n] for n in extra)]
    key_col = mapped.field_columns[key]
    keys_in = key_col.in_(key_binds(key_col, size))
    # ids pick the rows: the id index, not the tenant's (which unique indexes lead)
    preds = row_predicates(mapped, shaped(scope), visibility, timed, tenant_indexed=key != "id")
    stmt = sa.select(*columns).where(keys_in, *preds)
    return stmt.with_for_update() if lock else stmt


def rows_where_in(
    mapped: MappedModel,
    scope: Scope,
    key: str,
    values: Sequence[Any],
    visibility: Visibility = "live",
    extra: Sequence[str] = (),
    lock: bool = False,
    as_of: dt.datetime | None = None,
) -> Operation[list[tuple[Any, ...]]]:
    """Visible rows whose ``key`` field is among ``values`` (model columns, then ``extra``).

    Reads in chunks (see :mod:`storied.sql.inlist`); ``lock`` reads FOR UPDATE; ``as_of``
    reads the versions valid then.
    """
    out: list[tuple[Any, ...]] = []
    unique = list(dict.fromkeys(values))
    timed = as_of is not None
    shape, more = scope.shape, tuple(extra)
    for size, keys in in_chunks(unique):
        params = {**keys, **scope.params()}
        if timed:
            params["_asof"] = as_of
        args = (mapped, shape, key, size, visibility, more, lock, timed)
        result = yield Exec(Statement(where_in_stmt, args), params, fetch=True)
        out += result.rows
    return out


def rows_by_ids(
    mapped: MappedModel,
    scope: Scope,
    ids: Sequence[Any],
    visibility: Visibility = "live",
    extra: Sequence[str] = (),
    lock: bool = False,
) -> Operation[dict[Any, tuple[Any, ...]]]:
    """The visible rows among ``ids``, keyed by id (see :func:`rows_where_in`)."""
    rows = yield from rows_where_in(mapped, scope, "id", ids, visibility, extra, lock)
    return {row[0]: row for row in rows}


def get_many(
    mapped: MappedModel, scope: Scope, ids: Sequence[Any], visibility: Visibility = "live"
) -> Operation[list[Model]]:
    """The visible rows among ``ids``, in the order asked; missing ids are left out."""
    rows = yield from rows_by_ids(mapped, scope, ids, visibility)
    models = {id: mapped.to_model(row) for id, row in rows.items()}
    return [models[i] for i in ids if i in models]
