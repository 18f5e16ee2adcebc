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


def get_many(
    mapped: Mapped, scope: Scope, ids: Sequence[Any], visibility: Visibility = "live"
) -> Operation[list[Model]]:
    """The visible rows among ``ids``, in the order asked; missing ids are left out."""
    found: dict[Any, Model] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), MAX_IN):
        chunk = unique[start : start + MAX_IN]
        size = 1 << (len(chunk) - 1).bit_length()
        padded = chunk + [chunk[-1]] * (size - len(chunk))
        params = {f"_id{i}": v for i, v in enumerate(padded)} | scope.params()

        def build(n: int = size) -> sa.Select[Any]:
            id_col = mapped.table.c.id
            ids_in = id_col.in_([sa.bindparam(f"_id{i}", type_=id_col.type) for i in range(n)])
            return sa.select(*mapped.columns).where(
                ids_in, *row_predicates(mapped, scope, visibility)
            )

        result = yield Exec(
            (mapped.key, "get_many", size, visibility, scope.shape), build, params, fetch=True
        )
        assert result is not None
        for row in result.rows:
            model = mapped.to_model(row)
            found[model.id] = model
    return [found[i] for i in ids if i in found]


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
