"""Helpers for the query and relationship tests: statement counting and stream collection."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from storied import AsyncDatabase, Database, StatementEvent


class Statements:
    """Counts the statements storied runs on ``db`` and the rows each one fetched.

    It listens through the public statement listener (``db.events.on_statement``), leaving
    out BEGIN/COMMIT/ROLLBACK, so it sees exactly the statements of the operations a caller
    pays for.
    """

    def __init__(self, db: Database | AsyncDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fetched: list[int] = []

        def note(event: StatementEvent) -> None:
            if not event.sql.startswith(_TX):
                self.fetched.append(event.fetched)

        # registered through monkeypatch, so the shared sync store forgets it after the test
        listeners = db.events.statement or ()
        monkeypatch.setattr(db.events, "statement", (*listeners, note))

    @property
    def count(self) -> int:
        return len(self.fetched)

    def reset(self) -> None:
        self.fetched.clear()


_TX = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START TRANSACTION", "SET ")


async def collect(stream: Any) -> list[Any]:
    """Every item of ``query.iterate()``: a generator (sync) or an async generator (async)."""
    if inspect.isasyncgen(stream):
        return [item async for item in stream]
    assert inspect.isgenerator(stream)
    return list(stream)
