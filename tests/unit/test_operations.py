"""Operations driven by hand with canned results: no database, no executor (h11's way).

An operation is a generator of requests; these tests feed it results and read what it asks
for next, so a rule of the write path is checked in microseconds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Generator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql

from storied import Field, Model
from storied.dialects import backend_for
from storied.errors import ConflictError, NotFoundError
from storied.mapping.registry import Mapped, Registry
from storied.ops.requests import Begin, Exec, Result
from storied.temporal.base import OpContext, Returning
from storied.temporal.strategies import for_mapped
from storied.tenancy.scope import make_scope

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


class Priced(Model, table="ops_priced", history="copy_on_change", tenant=False):
    name: str
    price: Decimal = Field(max_digits=8, decimal_places=2)


def _ctx(mapped: Mapped) -> OpContext:
    caps = backend_for(postgresql.dialect()).capabilities
    return OpContext(
        mapped, make_scope(mapped.spec), "alice", NOW, uuid.uuid4, caps, Returning(True, True, True)
    )


def _row(mapped: Mapped, **values: Any) -> tuple[Any, ...]:
    base = {
        "id": uuid.UUID(int=1),
        "name": "anvil",
        "price": Decimal("9.99"),
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
        "created_by": "alice",
        "updated_by": "alice",
        "deleted_at": None,
        "deleted_by": None,
        **values,
    }
    return tuple(base.get(n) for n in mapped.names)


def _drive(op: Generator[Any, Any, Any], *answers: Result) -> tuple[list[Any], Any]:
    """Run ``op`` answering each Exec with the next canned result; the requests and the value."""
    requests: list[Any] = []
    pending = list(answers)
    try:
        request = next(op)
        while True:
            requests.append(request)
            if isinstance(request, Begin):
                request = op.send(None)
            else:
                request = op.send(pending.pop(0) if pending else Result([], 1))
    except StopIteration as stop:
        return requests, stop.value


@pytest.fixture
def mapped() -> Mapped:
    return Registry().mapped(Priced)


def test_an_update_that_changes_nothing_writes_nothing(mapped: Mapped) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=1), {"name": "anvil"}, None)
    requests, model = _drive(op, Result([_row(mapped)], 1))
    assert isinstance(requests[0], Begin)
    assert [type(r) for r in requests] == [Begin, Exec]  # the locked read, then nothing
    assert model.name == "anvil"
    assert model.version == 1


def test_an_update_writes_the_row_then_one_audit_row_per_changed_field(mapped: Mapped) -> None:
    op = for_mapped(mapped).update(
        _ctx(mapped), uuid.UUID(int=1), {"name": "anvil", "price": Decimal("12.50")}, None
    )
    updated = _row(mapped, price=Decimal("12.50"), version=2)
    requests, model = _drive(op, Result([_row(mapped)], 1), Result([updated], 1))
    execs = [r for r in requests if isinstance(r, Exec)]
    assert len(execs) == 3  # lock-read, UPDATE … RETURNING, audit INSERT
    audit = execs[2]
    rows = audit.params if isinstance(audit.params, list) else [audit.params]
    assert [r["field"] for r in rows] == ["price"]
    assert {r["operation"] for r in rows} == {"update"}
    assert model.price == Decimal("12.50")


def test_a_stale_expected_version_is_a_conflict_before_any_write(mapped: Mapped) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=1), {"name": "x"}, 7)
    with pytest.raises(ConflictError, match="version 1, not 7"):
        _drive(op, Result([_row(mapped)], 1))


def test_a_missing_row_is_not_found_before_any_write(mapped: Mapped) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=9), {"name": "x"}, None)
    with pytest.raises(NotFoundError):
        _drive(op, Result([], 0))
