"""Helpers for the query and relationship tests: statement counting and stream collection."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from storied import AsyncDatabase, Database


class Statements:
    """Counts the statements storied runs on ``db`` and the rows each one fetched.

    It wraps the executor's ``execute`` (every Exec of every operation passes through it,
    sync or async), so it sees exactly the round trips a caller pays for.
    """

    def __init__(self, db: Database | AsyncDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fetched: list[int] = []
        executor: Any = (
            db._async_executor() if isinstance(db, AsyncDatabase) else db._sync_executor()
        )
        original = executor.execute

        if isinstance(db, AsyncDatabase):

            async def execute_async(*args: Any, **kwargs: Any) -> Any:
                result = await original(*args, **kwargs)
                self.fetched.append(len(result.rows))
                return result

            monkeypatch.setattr(executor, "execute", execute_async)
        else:

            def execute(*args: Any, **kwargs: Any) -> Any:
                result = original(*args, **kwargs)
                self.fetched.append(len(result.rows))
                return result

            monkeypatch.setattr(executor, "execute", execute)

    @property
    def count(self) -> int:
        return len(self.fetched)

    def reset(self) -> None:
        self.fetched.clear()


async def collect(stream: Any) -> list[Any]:
    """Every item of ``query.iterate()``: a generator (sync) or an async generator (async)."""
    if inspect.isasyncgen(stream):
        return [item async for item in stream]
    assert inspect.isgenerator(stream)
    return list(stream)
