"""Immutable queries over one model; the compiler adds tenancy, soft delete and time
(:mod:`.scoping`) to every statement it builds."""

from .bound import AsyncQuery, SyncQuery
from .cte import Cte
from .expressions import Condition, F, FieldRef, Order
from .query import Query

__all__ = ["AsyncQuery", "Condition", "Cte", "F", "FieldRef", "Order", "Query", "SyncQuery"]
