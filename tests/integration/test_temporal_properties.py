"""Property-based: random write sequences against a tiny reference model (SQLite).

(a) copy_on_change: replaying the audit reproduces every row's fields and deleted state, and
    every write the reference refuses (unique conflict, write to a deleted row) left no trace.
(b) scd2: with a clock that steps forward, stands still and steps back, ``get(id, as_of=t)``
    equals what the reference computes for every version boundary and moments around them.

One SQLite file per module; each example works in a tenant of its own, so examples never meet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storied import ConflictError, Database, FrozenClock, NotFoundError
from tests.models import Account, Price

pytestmark = pytest.mark.sqlite
UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, tzinfo=UTC)
TICK = dt.timedelta(microseconds=1)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("props") / "props.db"
    db = Database(f"sqlite:///{path}", clock=FrozenClock(T0)).connect()
    db.create_all([Account, Price])
    try:
        yield db
    finally:
        db.close()


# --- (a) copy_on_change ------------------------------------------------------------------------
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
)
account_values = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from(["A", "B", "C"]),
        "owner": st.text("abcé ", max_size=8),
        "balance": st.decimals(min_value=-1000, max_value=1000, places=2),
        "counter": st.integers(-3, 3),
        "ref": st.none() | st.uuids(),
        "opened_at": st.none() | moments,
        "meta": st.dictionaries(
            st.sampled_from("xyz"), st.integers(0, 2) | st.text("ab"), max_size=2
        ),
        "blob": st.none() | st.binary(max_size=4),
    },
)
account_ops = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(["update", "delete", "restore", "purge"])).flatmap(
        lambda t: st.tuples(st.just(t[0]), st.just(t[1]), account_values)
    ),
    max_size=12,
)


@SETTINGS
@given(
    codes=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=3), ops=account_ops
)
def test_replaying_the_audit_reproduces_every_row(
    sqlite_db: Database, codes: list[str], ops: list[tuple[int, str, dict[str, Any]]]
) -> None:
    sqlite_db.clock = FrozenClock(T0)
    repo = sqlite_db.repository(Account, tenant_id=uuid4(), actor="p")
    # the reference: id -> (fields, deleted) for rows that still exist
    ref: dict[UUID, tuple[dict[str, Any], bool]] = {}
    ids: list[UUID] = []
    for code in codes:
        live_codes = {f["code"] for f, deleted in ref.values() if not deleted}
        if code in live_codes:
            with pytest.raises(ConflictError):
                repo.create(Account(code=code, owner="o", balance=Decimal(0)))
            continue
        row = repo.create(Account(code=code, owner="o", balance=Decimal(0)))
        ids.append(row.id)
        ref[row.id] = ({f: getattr(row, f) for f in _fields(Account)}, False)
    for index, op, values in ops:
        sqlite_db.clock.advance(seconds=1)
        id = ids[index % len(ids)]
        _apply_account_op(repo, ref, id, op, values)
    for id in ids:
        _check_replay(repo, id, ref.get(id))


def _fields(model: Any) -> tuple[str, ...]:
    return tuple(model.storied_spec().fields)


def _apply_account_op(
    repo: Any,
    ref: dict[UUID, tuple[dict[str, Any], bool]],
    id: UUID,
    op: str,
    values: dict[str, Any],
) -> None:
    if id not in ref:  # purged: every write is NotFound
        with pytest.raises(NotFoundError):
            _write(repo, id, op, values)
        return
    fields, deleted = ref[id]
    others = {f["code"] for i, (f, d) in ref.items() if i != id and not d}
    if op == "update":
        if deleted:
            expect: Any = NotFoundError
        else:
            new = {**fields, **values}
            expect = (
                ConflictError if new["code"] in others and new["code"] != fields["code"] else None
            )
            if expect is None:
                ref[id] = (new, False)
    elif op == "delete":
        expect = None
        ref[id] = (fields, True)
    elif op == "restore":
        expect = ConflictError if deleted and fields["code"] in others else None
        if expect is None:
            ref[id] = (fields, False)
    else:
        expect = None
        del ref[id]
    if expect is None:
        _write(repo, id, op, values)
    else:
        with pytest.raises(expect):
            _write(repo, id, op, values)


def _write(repo: Any, id: UUID, op: str, values: dict[str, Any]) -> Any:
    if op == "update":
        return repo.update(id, **values)
    return getattr(repo, op)(id)


def _check_replay(repo: Any, id: UUID, expected: tuple[dict[str, Any], bool] | None) -> None:
    state: dict[str, Any] = {}
    deleted = purged = False
    for cs in repo.history(id):
        assert not purged
        if cs.operation == "create":
            state = {f: new for f, (_, new) in cs.changes.items()}
        elif cs.operation == "update":
            assert cs.changes, "an update change set always changes something"
            assert not deleted
            for name, (old, new) in cs.changes.items():
                assert state[name] == old
                assert old != new
                state[name] = new
        elif cs.operation == "delete":
            assert not deleted
            deleted = True
        elif cs.operation == "restore":
            assert deleted
            deleted = False
        else:
            purged = True
    if expected is None:
        assert purged
        with pytest.raises(NotFoundError):
            repo.get(id, include_deleted=True)
        return
    row = repo.get(id, include_deleted=True)
    assert state == {f: getattr(row, f) for f in _fields(Account)} == expected[0]
    assert deleted == (row.deleted_at is not None) == expected[1]


# --- (b) scd2 ----------------------------------------------------------------------------------
price_values = st.fixed_dictionaries(
    {},
    optional={
        "amount": st.sampled_from([Decimal("1.00"), Decimal("2.50")]),
        "counter": st.integers(0, 2),
        "meta": st.sampled_from([{}, {"a": 1}]),
    },
)
price_ops = st.lists(
    st.tuples(
        st.sampled_from([-2_000_000, -1, 0, 0, 1, 7, 1_000_000, 3_000_000]),  # µs clock steps
        st.sampled_from(["update", "update", "delete", "restore"]),
        price_values,
    ),
    max_size=12,
)


@SETTINGS
@given(ops=price_ops, probes=st.lists(st.integers(-3_000_000, 40_000_000), max_size=5))
def test_as_of_matches_a_reference_timeline(
    sqlite_db: Database, ops: list[tuple[int, str, dict[str, Any]]], probes: list[int]
) -> None:
    clock = sqlite_db.clock = FrozenClock(T0)
    repo = sqlite_db.repository(Price, tenant_id=uuid4(), actor="p")
    row = repo.create(Price(sku="S", amount=Decimal("1.00")))
    fields = {f: getattr(row, f) for f in _fields(Price)}
    # the reference timeline: (valid_from, fields, deleted), oldest first
    timeline: list[tuple[dt.datetime, dict[str, Any], bool]] = [(T0, fields, False)]
    for step, op, values in ops:
        clock.advance(microseconds=step)
        start, current, deleted = timeline[-1]
        if op == "update" and deleted:
            with pytest.raises(NotFoundError):
                repo.update(row.id, **values)
            continue
        if op == "update":
            new, new_deleted = {**current, **values}, False
        else:
            new, new_deleted = current, op == "delete"
        getattr(repo, op)(row.id, **values) if op == "update" else getattr(repo, op)(row.id)
        if (new, new_deleted) != (current, deleted):
            timeline.append((max(clock.now(), start + TICK), new, new_deleted))
    moments = {T0 - TICK} | {t + d for t, _, _ in timeline for d in (-TICK, dt.timedelta(0), TICK)}
    moments |= {T0 + dt.timedelta(microseconds=p) for p in probes}
    for moment in sorted(moments):
        _check_as_of(repo, row.id, timeline, moment)
    assert [v.valid_from for v in repo.versions(row.id)] == [t for t, _, _ in timeline]


def _check_as_of(
    repo: Any, id: UUID, timeline: list[tuple[dt.datetime, dict[str, Any], bool]], t: dt.datetime
) -> None:
    valid = [(n, entry) for n, entry in enumerate(timeline, 1) if entry[0] <= t]
    if not valid:
        for include in (False, True):
            with pytest.raises(NotFoundError):
                repo.get(id, as_of=t, include_deleted=include)
        return
    number, (_, fields, deleted) = valid[-1]
    if deleted:
        with pytest.raises(NotFoundError):
            repo.get(id, as_of=t)
    got = repo.get(id, as_of=t, include_deleted=True)
    assert got.version == number
    assert {f: getattr(got, f) for f in fields} == fields
    assert (got.deleted_at is not None) == deleted
    if not deleted:
        assert repo.get(id, as_of=t) == got
