"""Immutable queries over one model; ``compile()`` adds tenancy, soft delete and time."""

from .expressions import Condition, F, FieldRef, Order
from .query import Query

__all__ = ["Condition", "F", "FieldRef", "Order", "Query"]
