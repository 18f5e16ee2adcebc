"""Named and recursive CTEs (``WITH name AS (…)``) made from a repository's query.

``query.cte("priced")`` names the rows of a query; ``query.recursive("tree", link=…)`` walks
from them along a link of the model (a tree's ``parent_id``, a graph's edges). A :class:`Cte`
is an immutable value bound to the repository (runner) and scope of the query it came from;
``cte.query()`` is a query over its columns, and ``F.id.in_(cte.query().select(F.id))`` uses it
in another query's filter (the WITH clause then goes on that statement).

Nothing here checks names against the model: that is shaping's work (:mod:`.cte_shaping`),
which runs before any SQL, on every call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from .expressions import Condition, FieldRef

if TYPE_CHECKING:
    from .query import Query

#: a CTE's name and the labels it adds: plain identifiers, never quoted text from a caller
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,62}")


def identifier(kind: str, name: Any) -> str:
    """``name`` if it is a plain identifier (a letter, then letters, digits or ``_``)."""
    if not isinstance(name, str) or _IDENTIFIER.fullmatch(name) is None:
        raise ValidationError(
            f"a CTE's {kind} must be a plain identifier (a letter, then letters, digits "
            f"or _; at most 63), not {name!r}"
        )
    return name


def _field(kind: str, value: Any) -> str:
    if isinstance(value, FieldRef):
        return value.name
    if isinstance(value, str):
        return value
    raise ValidationError(f"{kind} takes F.field or a field name, not {value!r}")


@dataclass(frozen=True, slots=True)
class Walk:
    """How a recursive CTE steps: the model's rows whose ``child`` field equals a walked row's
    ``column``, meeting ``where``; ``depth``/``path`` name the columns it adds."""

    child: str
    column: str
    depth: str | None = None
    path: tuple[str, str, str] | None = None  # (label, field, separator)
    max_depth: int | None = None
    where: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Cte:
    """A named CTE over the rows of ``source`` (a repository's query), walked if ``walk``."""

    name: str
    source: Query[Any]
    walk: Walk | None = None

    def query(self) -> Query[dict[str, Any]]:
        """A query over this CTE's columns: its rows are dicts (as after ``select()``),
        on the repository the CTE came from (sync, or awaited on an async one)."""
        runner: Any = self.source.runner
        base: Query[Any] = runner.query()
        return base._over(self)


def make_cte(query: Query[Any], name: str) -> Cte:
    _check_source(query)
    return Cte(identifier("name", name), query)


def make_walk(
    query: Query[Any],
    name: str,
    link: tuple[FieldRef | str, str],
    depth: str | None,
    path: tuple[str, FieldRef | str, str] | None,
    max_depth: int | None,
    where: tuple[Condition, ...],
) -> Cte:
    _check_source(query)
    if not isinstance(link, tuple) or len(link) != 2:
        raise ValidationError("link= takes (F.child_field, 'cte_column'), e.g. (F.parent_id, 'id')")
    child = _field("link's first item", link[0])
    column = _field("link's second item", link[1])
    walk_path = None
    if path is not None:
        if not isinstance(path, tuple) or len(path) != 3 or not isinstance(path[2], str):
            raise ValidationError(
                "path= takes (label, F.field, separator), e.g. ('path', F.name, '/')"
            )
        walk_path = (identifier("path label", path[0]), _field("path's field", path[1]), path[2])
    if depth is not None:
        identifier("depth label", depth)
    if max_depth is not None and (
        not isinstance(max_depth, int) or isinstance(max_depth, bool) or max_depth < 0
    ):
        raise ValidationError("max_depth must be a non-negative integer or None")
    for cond in where:
        if not isinstance(cond, Condition):
            raise ValidationError(f"where= takes conditions such as F.x == 1, not {cond!r}")
    labels = [x for x in (depth, walk_path and walk_path[0]) if x]
    if len(set(labels)) != len(labels):
        raise ValidationError("depth and path need different labels")
    walk = Walk(child, column, depth, walk_path, max_depth, where)
    return Cte(identifier("name", name), query, walk)


def _check_source(query: Query[Any]) -> None:
    if query.runner is None:
        raise ValidationError("a CTE is made from a repository's query: use repo.query()")
    if query.source is not None:
        raise ValidationError("a CTE is made from a repository's query, not from a CTE's query")
    if query.limit_value is not None or query.offset_value is not None:
        raise ValidationError("a CTE's query cannot have limit() or offset()")
    if query.loads or query.after_values is not None:
        raise ValidationError("a CTE's query cannot load() relations or page with after()")
