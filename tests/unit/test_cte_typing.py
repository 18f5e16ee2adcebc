"""The typing test of CTEs (mypy checks this file, see pyproject): a CTE keeps its
repository's kind, so ``cte.query()`` of a sync repository's query returns dict rows and of
an async one coroutines of them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from typing import Any, assert_type

from storied import AsyncDatabase, Database, F, Model


class Category(Model, table="typing_categories"):
    """A tree node of its own: mypy checks this file alone, not the test models it imports."""

    parent_id: uuid.UUID | None = None


Rows = list[dict[str, Any]]


def test_a_ctes_query_is_typed_like_its_repositorys() -> None:
    tenant = uuid.uuid4()
    cats = Database("sqlite://").repository(Category, tenant_id=tenant)
    tree = cats.query().select(F.id, F.parent_id).recursive("t", link=(F.parent_id, "id"))
    walk = tree.query().filter(F.id != tenant)
    # the terminal methods' types (not called: nothing is connected)
    assert_type(walk.all, Callable[[], Rows])
    assert_type(cats.query().cte("c").query().count, Callable[[], int])
    acats = AsyncDatabase("sqlite+aiosqlite://").repository(Category, tenant_id=tenant)
    named = acats.query().cte("c").query()
    assert_type(named.all, Callable[[], Coroutine[Any, Any, Rows]])
    assert walk.source is tree
    assert named.source is not None
