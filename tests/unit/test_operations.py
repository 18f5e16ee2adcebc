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
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from storied import Field, Model
from storied.dialects import backend_for
from storied.engine.compiled import StatementCache, compile_statement
from storied.errors import ConflictError, NotFoundError
from storied.mapping.registry import MappedModel, Registry
from storied.ops.requests import NOTHING, Begin, CallHook, Exec, Operation, Result, Statement
from storied.reads import rows as reads_rows
from storied.repository import writes
from storied.temporal.base import OpContext, Returning
from storied.temporal.strategies import for_mapped
from storied.tenancy.scope import Scope, make_scope
from storied.testing import DryDatabase

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


class Priced(Model, table="ops_priced", history="copy_on_change", tenant=False):
    name: str
    price: Decimal = Field(max_digits=8, decimal_places=2)


class Tenanted(Model, table="ops_tenanted", history="scd2"):
    name: str


def _ctx(mapped: MappedModel, scope: Scope | None = None) -> OpContext:
    caps = backend_for(postgresql.dialect()).capabilities
    return OpContext(
        mapped,
        scope or make_scope(mapped.spec),
        "alice",
        NOW,
        uuid.uuid4,
        caps,
        Returning(True, True, True),
    )


def _row(mapped: MappedModel, **values: Any) -> tuple[Any, ...]:
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
                request = op.send(NOTHING)
            elif isinstance(request, CallHook):
                request.fn(*request.args)
                request = op.send(NOTHING)
            else:
                request = op.send(pending.pop(0) if pending else Result([], 1))
    except StopIteration as stop:
        return requests, stop.value


@pytest.fixture
def mapped() -> MappedModel:
    return Registry().mapped(Priced)


def test_an_update_that_changes_nothing_writes_nothing(mapped: MappedModel) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=1), {"name": "anvil"}, None)
    requests, model = _drive(op, Result([_row(mapped)], 1))
    assert isinstance(requests[0], Begin)
    assert [type(r) for r in requests] == [Begin, Exec]  # the locked read, then nothing
    assert model.name == "anvil"
    assert model.version == 1


def test_an_update_writes_the_row_then_one_audit_row_per_changed_field(mapped: MappedModel) -> None:
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


def test_a_stale_expected_version_is_a_conflict_before_any_write(mapped: MappedModel) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=1), {"name": "x"}, 7)
    with pytest.raises(ConflictError, match="version 1, not 7"):
        _drive(op, Result([_row(mapped)], 1))


def test_a_missing_row_is_not_found_before_any_write(mapped: MappedModel) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=9), {"name": "x"}, None)
    with pytest.raises(NotFoundError):
        _drive(op, Result([], 0))


# --- the protocol: errors thrown in, operations closed, keys derived --------------------------


def test_a_thrown_error_leaves_a_strategy_operation_at_its_yield(mapped: MappedModel) -> None:
    op = for_mapped(mapped).update(_ctx(mapped), uuid.UUID(int=1), {"price": Decimal(1)}, None)
    assert isinstance(next(op), Begin)
    assert isinstance(op.send(NOTHING), Exec)  # the locked read
    with pytest.raises(ConflictError, match="taken"):
        op.throw(ConflictError("taken"))
    assert op.gi_frame is None  # finished: nothing more is asked for


def test_an_operation_may_catch_a_thrown_error_and_recover() -> None:
    def op() -> Operation[str]:
        try:
            yield Exec(Statement(sa.text, ("INSERT 1",)))
        except ConflictError:
            yield Exec(Statement(sa.text, ("INSERT 2",)))
            return "recovered"
        return "first try"

    gen = op()
    first = next(gen)
    assert isinstance(first, Exec)
    second = gen.throw(ConflictError("duplicate"))
    assert isinstance(second, Exec)
    assert second.statement.args == ("INSERT 2",)
    with pytest.raises(StopIteration) as stop:
        gen.send(Result([], 1))
    assert stop.value.value == "recovered"


def test_requests_and_results_are_frozen() -> None:
    request = Exec(Statement(sa.text, ("SELECT 1",)), fetch=True)
    with pytest.raises(AttributeError):
        request.fetch = False  # type: ignore[misc]
    with pytest.raises(AttributeError):
        NOTHING.rowcount = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        request.statement.args = ()  # type: ignore[misc]


def _shapes(mapped: MappedModel, tenant: Scope) -> list[Exec]:
    """Requests of one model whose SQL differs only by shape: visibility, lock, scope, a
    checked version, chunk sizes, key fields."""
    out: list[Exec] = []
    for visibility in ("live", "any", "deleted"):
        for lock in (False, True):
            out.append(next(reads_rows.get(mapped, tenant, uuid.UUID(int=1), visibility, lock)))
    out.append(next(reads_rows.rows_where_in(mapped, tenant, "id", [1])))
    out.append(next(reads_rows.rows_where_in(mapped, tenant, "id", list(range(40)))))
    out.append(next(reads_rows.rows_where_in(mapped, tenant, "name", [1], lock=True)))
    strategy = for_mapped(mapped)
    for expected in (None, 1):
        op = strategy.delete(_ctx(mapped, tenant), uuid.UUID(int=1), expected)
        assert isinstance(next(op), Begin)
        out.append(op.send(NOTHING))  # the locked read (live or any)
    return [r for r in out if isinstance(r, Exec)]


def test_two_requests_of_different_shapes_never_share_sql(mapped: MappedModel) -> None:
    dialect = postgresql.dialect()
    cache = StatementCache(dialect)
    tenanted = Registry().mapped(Tenanted)
    requests = [
        *_shapes(mapped, make_scope(mapped.spec)),
        *_shapes(tenanted, make_scope(tenanted.spec, tenant_id=uuid.uuid4())),
        *_shapes(tenanted, make_scope(tenanted.spec, tenant_ids=[uuid.uuid4(), uuid.uuid4()])),
        *_shapes(tenanted, make_scope(tenanted.spec, unscoped=True)),
    ]
    sql = [cache.get(r.statement).sql for r in requests]  # one cache, in turn
    fresh = [compile_statement(r.statement.build(), dialect).sql for r in requests]
    assert sql == fresh  # the cache gave each request its own shape's SQL
    assert len({r.statement.key for r in requests}) == len(set(fresh))


def test_scopes_of_one_shape_share_a_key_and_their_sql() -> None:
    mapped = Registry().mapped(Tenanted)
    a, b = (make_scope(mapped.spec, tenant_id=uuid.uuid4()) for _ in range(2))
    two = make_scope(mapped.spec, tenant_ids=[uuid.uuid4(), uuid.uuid4()])
    ra, rb, r2 = (next(reads_rows.get(mapped, s, 1)) for s in (a, b, two))
    assert isinstance(ra, Exec)
    assert isinstance(rb, Exec)
    assert isinstance(r2, Exec)
    assert ra.statement.key == rb.statement.key  # another tenant: the same SQL
    assert ra.params != rb.params  # … with its own values
    assert ra.statement.key != r2.statement.key  # two tenants: IN (…), another shape


def test_a_closure_cannot_be_a_builder(mapped: MappedModel) -> None:
    table = mapped.table

    def closure() -> Any:
        return sa.select(table)

    with pytest.raises(TypeError, match="no closure"):
        StatementCache(postgresql.dialect()).get(Statement(closure))


# --- hooks are requests of the write operations ---------------------------------------------


def test_hooks_are_requests_around_the_write_and_edits_are_validated(mapped: MappedModel) -> None:
    db = DryDatabase("postgresql")
    seen: list[Any] = []

    @db.hook("before_update", Priced)
    def edit(repo: Any, id: Any, changes: dict[str, Any]) -> None:
        changes["price"] = "7.5"  # text: a Decimal only once validated again

    db.hook("after_update", Priced)(lambda repo, model: seen.append(model.price))
    repo = db.repository(Priced, actor="alice")
    op = writes.update(repo, uuid.UUID(int=1), {"name": "anvil"}, None)
    requests, model = _drive(op, Result([_row(mapped)], 1))
    kinds = [type(r).__name__ for r in requests]
    assert kinds == ["CallHook", "Begin", "Exec", "Exec", "Exec", "CallHook"]
    first, last = requests[0], requests[-1]
    assert (first.name, first.fn, first.args[0]) == ("before_update", edit, repo)
    assert (last.name, last.args) == ("after_update", (repo, model))
    assert seen == [Decimal("7.50")]  # validated and fitted to the column's scale
    audit = requests[4].params
    assert [(r["field"], r["new_value"]) for r in audit] == [("price", "7.50")]


def test_delete_of_one_id_is_the_single_delete_and_of_many_the_batched_one() -> None:
    db = DryDatabase("postgresql")
    db.hook("after_delete", Priced)(lambda repo, id: None)
    repo = db.repository(Priced, actor="alice")
    ids = [uuid.UUID(int=1), uuid.UUID(int=2)]
    # one id: the single delete, the only one that checks expected_version (the row is at 1)
    with pytest.raises(ConflictError, match="not 3"):
        _drive(writes.delete(repo, ids[:1], 3), Result([_row(repo.mapped)], 1))
    rows = Result([_row(repo.mapped, id=i) for i in ids], 2)
    many, _ = _drive(writes.delete(repo, ids, None), rows)
    lock = next(r for r in many if isinstance(r, Exec))
    assert lock.statement.builder is reads_rows.where_in_stmt  # one batched read of both ids
    assert [r.args[1] for r in many if isinstance(r, CallHook)] == ids  # after_delete per id
