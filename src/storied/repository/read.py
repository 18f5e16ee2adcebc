"""Read operations, written once (sans-I/O) for both repositories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..engine.requests import Exec, Operation
from ..errors import NotFoundError
from ..query.compile import Visibility, by_id, compile_query, row_predicates

if TYPE_CHECKING:
    from ..models.base import Model
    from ..models.registry import Mapped
    from ..query.query import Query
    from ..tenancy.scope import Scope

#: get_many pads its IN list to a power of two (few statement shapes) up to this many ids
MAX_IN = 512


def get(mapped: Mapped, scope: Scope, id: Any, visibility: Visibility = "live") -> Operation[Model]:
    result = yield Exec(
        (mapped.key, "get", visibility, scope.shape),
        lambda: sa.select(*mapped.columns).where(*by_id(mapped, scope, visibility)),
        {"_id": id, **scope.params()},
        fetch=True,
    )
    assert result is not None
    if not result.rows:
        raise NotFoundError(mapped.model_name, id)
    return mapped.to_model(result.rows[0])


def rows_by_ids(
    mapped: Mapped,
    scope: Scope,
    ids: Sequence[Any],
    visibility: Visibility = "live",
    extra: Sequence[str] = (),
    lock: bool = False,
) -> Operation[dict[Any, tuple[Any, ...]]]:
    """The visible rows among ``ids`` (model columns, then ``extra`` columns), keyed by id.

    Reads in chunks of at most MAX_IN ids, each IN list padded to a power of two so few
    statement shapes exist; ``lock`` reads FOR UPDATE.
    """
    found: dict[Any, tuple[Any, ...]] = {}
    unique = list(dict.fromkeys(ids))
    columns = [*mapped.columns, *(mapped.table.c[n] for n in extra)]
    for start in range(0, len(unique), MAX_IN):
        chunk = unique[start : start + MAX_IN]
        size = 1 << (len(chunk) - 1).bit_length()
        padded = chunk + [chunk[-1]] * (size - len(chunk))
        params = {f"_id{i}": v for i, v in enumerate(padded)} | scope.params()

        def build(n: int = size) -> sa.Select[Any]:
            id_col = mapped.table.c.id
            ids_in = id_col.in_([sa.bindparam(f"_id{i}", type_=id_col.type) for i in range(n)])
            stmt = sa.select(*columns).where(ids_in, *row_predicates(mapped, scope, visibility))
            return stmt.with_for_update() if lock else stmt

        key = (mapped.key, "rows_by_ids", size, visibility, tuple(extra), lock, scope.shape)
        result = yield Exec(key, build, params, fetch=True)
        assert result is not None
        for row in result.rows:
            found[row[0]] = row
    return found


def get_many(
    mapped: Mapped, scope: Scope, ids: Sequence[Any], visibility: Visibility = "live"
) -> Operation[list[Model]]:
    """The visible rows among ``ids``, in the order asked; missing ids are left out."""
    rows = yield from rows_by_ids(mapped, scope, ids, visibility)
    models = {id: mapped.to_model(row) for id, row in rows.items()}
    return [models[i] for i in ids if i in models]


def run_query(mapped: Mapped, scope: Scope, query: Query[Any], mode: str) -> Operation[Any]:
    compiled_mode = mode if mode in ("count", "exists") else "rows"
    request = compile_query(mapped, scope, query, compiled_mode)  # type: ignore[arg-type]
    result = yield request
    assert result is not None
    if mode == "count":
        return int(result.rows[0][0])
    if mode == "exists":
        return bool(result.rows[0][0])
    models = [mapped.to_model(r) for r in result.rows]
    if mode == "first":
        return models[0] if models else None
    return models
