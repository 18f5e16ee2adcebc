"""Row-Level Security on a real primary + streaming replica: the reads a replica serves are
held to the scope too (its connections carry the scope as the primary's do)."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
import sqlalchemy as sa

from storied import Database, Field, Model
from storied.ops.requests import Exec, Operation, Statement

from .clusters import Pair
from .support import run

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]
ROLE = "storied_rls_app"


class Memo(Model, table="repl_rls_memos"):
    text: str = Field(max_length=50)


MEMOS = sa.table("repl_rls_memos", sa.column("text", sa.String))


def _unfiltered() -> sa.Select[tuple[str, bool]]:
    """Every memo, with no tenant predicate: only the policy holds it to the scope."""
    return sa.select(MEMOS.c.text, sa.func.pg_is_in_recovery().label("replica"))


def unfiltered() -> Operation[list[tuple[str, bool]]]:
    result = yield Exec(Statement(_unfiltered), fetch=True)
    return [(row[0], row[1]) for row in result.rows]


def _as(pair: Pair, url: str) -> str:
    return url.replace("postgres@", f"{ROLE}@", 1)


@pytest.fixture
def app_role(pair: Pair) -> Iterator[None]:
    with pair.primary.connect() as conn:
        conn.execute(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(f"GRANT ALL ON SCHEMA public TO {ROLE}")
    try:
        yield
    finally:
        with pair.primary.connect() as conn:
            conn.execute("DROP TABLE IF EXISTS repl_rls_memos")
            conn.execute(f"DROP OWNED BY {ROLE}")
            conn.execute(f"DROP ROLE {ROLE}")


def test_replica_reads_are_held_to_the_scope(pair: Pair, app_role: None) -> None:
    primary, replica = _as(pair, pair.primary.url()), _as(pair, pair.replica.url())
    a, b = uuid4(), uuid4()
    with Database(primary, row_level_security=True) as db:
        db.sync_schema([Memo])
        db.repository(Memo, tenant_id=a, actor="t").create(Memo(text="a"))
        db.repository(Memo, tenant_id=b, actor="t").create(Memo(text="b"))
    pair.wait_replayed()
    with Database(primary, replicas=[replica], row_level_security=True, read_your_writes=0) as db:
        with db.tenant_scope(tenant_id=a):
            assert run(db, unfiltered()) == [("a", True)]  # a replica served it
        assert run(db, unfiltered()) == []  # no scope, on the replica too
        with db.tenant_scope(unscoped=True):
            assert sorted(run(db, unfiltered())) == [("a", True), ("b", True)]
        memos = db.repository(Memo, tenant_id=b, actor="t")
        before = db.health().replicas[0].reads
        assert [m.text for m in memos.list()] == ["b"]
        assert db.health().replicas[0].reads == before + 1  # served by the replica
