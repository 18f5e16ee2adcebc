"""Statements storied sends per operation and strategy, counted at the executor (no timing).

Every statement (BEGIN, COMMIT and ROLLBACK too) is heard through the public statement
listener (``db.events.on_statement``) of one Database; each operation runs once on a fresh
row. The async executor drives the same sans-I/O operations, so it sends the same statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from storied import Database, StatementEvent

from .models import MODELS, STRATEGIES
from .targets import Target

OPS = ("create", "get", "update", "delete")
TX = ("BEGIN", "COMMIT", "ROLLBACK")


@dataclass
class Trips:
    """One operation's statements, as sent."""

    backend: str
    strategy: str
    op: str
    sql: list[str] = field(default_factory=list)
    #: whether the backend has UPDATE … RETURNING (the scd2 budget applies only there)
    update_returning: bool = False

    @property
    def statements(self) -> int:
        """Statements other than BEGIN/COMMIT/ROLLBACK."""
        return sum(1 for s in self.sql if not s.startswith(TX))

    @property
    def transaction(self) -> bool:
        return any(s.startswith("BEGIN") for s in self.sql)

    @property
    def budget(self) -> int | None:
        """DESIGN's round-trip budget for this operation, where it sets one."""
        if self.op == "get":
            return 1
        if self.op == "create" and self.strategy == "none":
            return 1
        if self.op == "update" and self.strategy == "copy_on_change":
            return 3
        if self.op == "update" and self.strategy == "scd2" and self.update_returning:
            return 2
        return None

    @property
    def ok(self) -> bool:
        return self.budget is None or self.statements <= self.budget


@contextmanager
def _recording(db: Database) -> Iterator[list[str]]:
    """Every statement the executor sends, in order, into the yielded list (through the
    public statement listener, ``db.events``)."""
    seen: list[str] = []

    def note(event: StatementEvent) -> None:
        many = f"  -- {event.batch} row(s)" if event.batch > 1 else ""
        seen.append(" ".join(event.sql.split()) + many)

    handle = db.events.on_statement(note)
    try:
        yield seen
    finally:
        handle.remove()


def _trips(db: Database, strategy: str, seen: list[str], returning: bool) -> list[Trips]:
    model = MODELS[strategy]
    repo = db.repository(model, tenant_id=uuid.uuid4(), actor="bench")
    out: list[Trips] = []

    def record(op: str) -> None:
        out.append(Trips(db.dialect_name, strategy, op, list(seen), returning))
        seen.clear()

    seen.clear()
    created = repo.create(model(sku=f"RT-{strategy}", name="Anvil", price=Decimal("9.99")))
    record("create")
    repo.get(created.id)
    record("get")
    repo.update(created.id, stock=8)
    record("update")
    repo.delete(created.id)
    record("delete")
    return out


def count(target: Target) -> list[Trips]:
    """Run create, get, update and delete once per strategy and record their statements."""
    db = Database(target.storied_url("sync")).connect()
    try:
        models = [MODELS[s] for s in STRATEGIES]
        db.create_all(models)
        returning = bool(db.engine.dialect.update_returning)
        out: list[Trips] = []
        with _recording(db) as seen:
            for strategy in STRATEGIES:
                out += _trips(db, strategy, seen, returning)
        db.drop_all(models)
        return out
    finally:
        db.close()
