"""Running a set operation (:class:`~storied.query.compound.Compound`): one statement, its
rows as models (whole-model members) or dicts (projections), counts and flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MultipleResultsError, NotFoundError
from ..ops.requests import Exec, Operation, Statement
from ..query.projection import projected_key, projected_value
from ..query.setrender import Mode, compound_stmt
from ..query.setshaping import plan

if TYPE_CHECKING:
    from ..mapping.registry import Registry
    from ..query.compound import Compound
    from ..tenancy.scope import Scope


def run_compound(
    registry: Registry, scope: Scope, compound: Compound[Any], mode: str
) -> Operation[Any]:
    """Run a set operation read in ``scope`` (its first query's repository's)."""
    read = plan(compound, scope, registry)  # every member checked before the statement
    compiled: Mode = mode if mode in ("count", "exists") else "rows"  # type: ignore[assignment]
    args = (scope.shape, registry, read.shape, compiled)
    result = yield Exec(Statement(compound_stmt, args), read.params, fetch=True)
    if mode == "count":
        return int(result.rows[0][0])
    if mode == "exists":
        return bool(result.rows[0][0])
    mapped = read.mapped
    if read.projection:
        items = read.projection
        keys = [projected_key(p) for p in items]
        rows: list[Any] = [
            {k: projected_value(mapped, p, v) for k, p, v in zip(keys, items, r, strict=True)}
            for r in result.rows
        ]
    else:
        rows = mapped.to_models(result.rows)
    if mode == "first":
        return rows[0] if rows else None
    if mode == "one":
        if not rows:
            raise NotFoundError(mapped.model_name, "matching the set operation")
        if len(rows) > 1:
            raise MultipleResultsError(f"{mapped.model_name}: more than one row matches")
        return rows[0]
    return rows
