"""Running a Query: models (with relations loaded), dicts for projections, counts, flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MultipleResultsError, NotFoundError
from ..ops.requests import Operation
from ..query.compiler import Mode, compile_query
from ..query.compound import Compound
from ..query.projection import projected_key, projected_value
from .cte import run_cte_query
from .loading import check_paths, load
from .setops import run_compound

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from ..query.query import Query
    from ..tenancy.scope import Scope


def run_query(
    registry: Registry,
    mapped: MappedModel,
    scope: Scope,
    query: Query[Any] | Compound[Any],
    mode: str,
) -> Operation[Any]:
    """Run a query: models (with relations loaded), dicts for projections, counts, flags."""
    if isinstance(query, Compound):  # a set operation (reads/setops.py)
        return (yield from run_compound(registry, scope, query, mode))
    if query.source is not None:  # a query over a CTE
        return (yield from run_cte_query(registry, mapped, scope, query, mode))
    if query.loads:
        check_paths(registry, mapped.spec.model, query.loads)  # before any statement runs
    compiled: Mode = "project" if query.projection else "rows"
    if mode in ("count", "exists"):
        compiled = mode  # type: ignore[assignment]
    result = yield compile_query(mapped, scope, registry, query, compiled)
    if mode == "count":
        return int(result.rows[0][0])
    if mode == "exists":
        return bool(result.rows[0][0])
    if query.projection:
        items = query.projection
        keys = [projected_key(p) for p in items]
        rows: list[Any] = [
            {k: projected_value(mapped, p, v) for k, p, v in zip(keys, items, r, strict=True)}
            for r in result.rows
        ]
    else:
        rows = mapped.to_models(result.rows)
        if query.loads and rows:
            yield from load(registry, mapped, scope, rows, query.loads, query.as_of_value)
    if mode == "first":
        return rows[0] if rows else None
    if mode == "one":
        if not rows:
            raise NotFoundError(mapped.model_name, "matching the query")
        if len(rows) > 1:
            raise MultipleResultsError(f"{mapped.model_name}: more than one row matches")
        return rows[0]
    return rows
