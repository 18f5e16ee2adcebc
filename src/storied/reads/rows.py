"""Read operations, written once (sans-I/O) for both repositories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import NotFoundError
from ..ops.requests import Exec, Operation
from ..query.scoping import Visibility, by_id, row_predicates
from ..sql.inlist import in_chunks, key_binds

if TYPE_CHECKING:
    from ..mapping.registry import Mapped
    from ..models.base import Model
    from ..tenancy.scope import Scope


def get(
    mapped: Mapped, scope: Scope, id: Any, visibility: Visibility = "live", lock: bool = False
) -> Operation[Model]:
    """The row with this id in the scope (read FOR UPDATE with ``lock``), or NotFoundError."""

    def build() -> sa.Select[Any]:
        stmt = sa.select(*mapped.columns).where(*by_id(mapped, scope, visibility))
        return stmt.with_for_update() if lock else stmt

    result = yield Exec(
        (mapped.key, "get", visibility, lock, scope.shape),
        build,
        {"_id": id, **scope.params()},
        fetch=True,
    )
    assert result is not None
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    return mapped.to_model(result.rows[0])


def rows_where_in(
    mapped: Mapped,
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
    columns = [*mapped.columns, *(mapped.table.c[n] for n in extra)]
    key_col = mapped.field_columns[key]
    timed = as_of is not None
    for size, keys in in_chunks(unique):
        params = keys | scope.params()
        if timed:
            params["_asof"] = as_of

        def build(n: int = size) -> sa.Select[Any]:
            keys_in = key_col.in_(key_binds(key_col, n))
            # ids pick the rows: the id index, not the tenant's (which unique indexes lead)
            preds = row_predicates(mapped, scope, visibility, timed, tenant_indexed=key != "id")
            stmt = sa.select(*columns).where(keys_in, *preds)
            return stmt.with_for_update() if lock else stmt

        shape = (
            mapped.key,
            "where_in",
            key,
            size,
            visibility,
            tuple(extra),
            lock,
            timed,
            scope.shape,
        )
        result = yield Exec(shape, build, params, fetch=True)
        assert result is not None
        out += result.rows
    return out


def rows_by_ids(
    mapped: Mapped,
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
    mapped: Mapped, scope: Scope, ids: Sequence[Any], visibility: Visibility = "live"
) -> Operation[list[Model]]:
    """The visible rows among ``ids``, in the order asked; missing ids are left out."""
    rows = yield from rows_by_ids(mapped, scope, ids, visibility)
    models = {id: mapped.to_model(row) for id, row in rows.items()}
    return [models[i] for i in ids if i in models]
