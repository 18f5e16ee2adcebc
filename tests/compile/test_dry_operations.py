"""Exact SQL and parameters of every repository operation, per dialect, with no server.

Each operation runs on a DryDatabase answering every statement with one stored row; the
recorded statements are compared with tests/compile/snapshots/<dialect>/<Model>.sql.
Regenerate after an intended change with ``STORIED_UPDATE_SNAPSHOTS=1``, then read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from storied import F, Model
from storied.testing import DryDatabase
from tests.models import Account, Price, Product

SNAPSHOTS = Path(__file__).parent / "snapshots"
DIALECTS = ("sqlite", "postgresql", "mysql", "mssql")
TENANT = UUID(int=0xACE)
ID = UUID(int=7)
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class Answer(dict[str, Any]):
    """A stored row by column name; any other column (a count, EXISTS) answers 1."""

    def __missing__(self, key: str) -> Any:
        return 1


ROW = Answer(
    {
        "id": ID,
        "tenant_id": TENANT,
        "version": 1,
        "created_at": AT,
        "created_by": "alice",
        "updated_at": AT,
        "updated_by": "alice",
        "deleted_at": None,
        "deleted_by": None,
        "sku": "A1",
        "code": "A1",
        "owner": "Ann",
        "name": "Anvil",
        "price": Decimal("9.99"),
        "amount": Decimal("9.99"),
        "balance": Decimal("9.99"),
        "stock": 1,
        "counter": 1,
        "meta": {},
        "valid_from": AT,
        "valid_to": None,
        "is_current": True,
        "ref": None,
        "opened_at": None,
        "blob": None,
        "effective": None,
    }
)
#: a second stored row, for the operations on two ids
ROW2 = Answer({**ROW, "id": UUID(int=8), "sku": "A2", "code": "A2"})
#: what each statement of an operation is answered with (default: ROW)
ANSWERS: dict[str, list[Any]] = {
    "get_many": [[ROW, ROW2]] * 20,
    "delete_many": [[ROW, ROW2]] * 20,
    "compare_versions": [[ROW, Answer({**ROW, "version": 2, "amount": Decimal("1.00")})]] * 20,
}
NEW = {"sku": "B2", "code": "B2", "owner": "Bo", "name": "Bolt", "price": Decimal("1.50")}


def _new(model: type[Model], n: int = 0, id: UUID | None = None) -> Model:
    fields = model.storied_spec().fields
    values = {k: v for k, v in {**ROW, **NEW}.items() if k in fields}
    if id is not None:
        values["id"] = id
    for name in ("sku", "code"):
        if name in values:
            values[name] = f"{values[name]}-{n}"
    return model.model_validate(values)


def _money(model: type[Model]) -> str:
    return next(n for n in ("price", "amount", "balance") if n in model.storied_spec().fields)


OPERATIONS: dict[str, Callable[[Any, type[Model]], Any]] = {
    "create": lambda r, m: r.create(_new(m)),
    "create_many": lambda r, m: r.create_many([_new(m, i) for i in range(3)]),
    "get": lambda r, m: r.get(ID),
    "get_many": lambda r, m: r.get_many([ID, UUID(int=8)]),
    "update": lambda r, m: r.update(ID, **{_money(m): Decimal("2.00")}),
    "update_many": lambda r, m: r.update_many({ID: {_money(m): Decimal("3.00")}}),
    "delete": lambda r, m: r.delete(ID),
    "delete_many": lambda r, m: r.delete_many([ID, UUID(int=8)]),
    "restore": lambda r, m: r.restore(ID),
    "purge": lambda r, m: r.purge(ID),
    "list": lambda r, m: r.list(F[_money(m)] > 1, order_by=_money(m), limit=10),
    "count": lambda r, m: r.count(),
    "exists": lambda r, m: r.exists(),
    "history": lambda r, m: r.history(ID),
    "field_history": lambda r, m: r.field_history(ID, _money(m)),
    "changes": lambda r, m: r.changes(since=AT, actor="alice", limit=5),
    "prune_history": lambda r, m: r.prune_history(older_than=AT),
    # one id stored (the answer's row), one new
    "upsert_many": lambda r, m: r.upsert_many([_new(m, 0, ID), _new(m, 1, UUID(int=9))]),
    "get_as_of": lambda r, m: r.get(ID, as_of=AT),
    "versions": lambda r, m: r.versions(ID),
    "compare_versions": lambda r, m: r.compare_versions(ID, 1, 2),
    "revert": lambda r, m: r.revert(ID, to_version=1),
}


def _stable(value: Any) -> Any:
    """Parameters with the fresh UUIDv7s (audit change-set ids) masked; the rest as sent."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_stable(v) for v in value)
    as_uuid = value
    if isinstance(value, str) and len(value) in (32, 36):
        try:
            as_uuid = UUID(value)
        except ValueError:
            return value
    if isinstance(as_uuid, UUID) and as_uuid.version == 7:
        return "<uuid7>"
    return value


def record(dialect: str, model: type[Model]) -> str:
    """Every operation's statements for ``model`` on ``dialect``, as one text."""
    out: list[str] = []
    for name, call in OPERATIONS.items():
        db = DryDatabase(dialect, results=ANSWERS.get(name, [ROW] * 20))
        repo = db.repository(model, tenant_id=TENANT, actor="alice")
        out.append(f"-- {name}")
        try:
            call(repo, model)
        except Exception as exc:  # recorded: what the operation refuses is part of its shape
            out.append(f"-- raises {type(exc).__name__}")
        for s in db.statements:
            out.append(s.sql.strip() + ";")
            out.append(f"--   params: {_stable(s.params)!r}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("model", [Product, Account, Price], ids=lambda m: m.__name__)
@pytest.mark.parametrize("dialect", DIALECTS)
def test_operation_sql_matches_snapshot(dialect: str, model: type[Model]) -> None:
    path = SNAPSHOTS / dialect / f"{model.__name__}.sql"
    text = record(dialect, model)
    if os.environ.get("STORIED_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no snapshot {path}; run with STORIED_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text()
