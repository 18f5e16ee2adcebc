"""The plan of as_of on a partitioned versions table: it stops at the first partition that
holds the version (what keeps it within the budget of one table; docs/scaling.md).

Read from ``EXPLAIN (ANALYZE, FORMAT JSON)`` of the statement storied runs, as a prepared
statement would be planned both ways (``plan_cache_mode``: psycopg prepares after five
runs, asyncpg at once, and PostgreSQL may then use a generic plan): no timings, only which
partitions' scans ran.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.dialects.postgresql import asyncpg

from storied import Database
from storied.temporal.versions import as_of_end, as_of_stmt
from tests.models import Price

UTC = dt.UTC
START = dt.datetime(2026, 1, 10, tzinfo=UTC)
NUMBERED = asyncpg.dialect()


def _scans(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "Relation Name" in node:
        return [node]
    return [scan for child in node.get("Plans", []) for scan in _scans(child)]


def _executed(
    db: Database, tenant: UUID, id: Any, moment: dt.datetime, mode: str, stage: str = "near"
) -> list[str]:
    """The partitions whose scan ran for ``as_of(moment)`` of ``id``, in a ``stage`` of it."""
    repo = db.repository(Price, tenant_id=tenant)
    mapped = db.registry.mapped(Price)
    with db.engine.connect() as conn:
        # compiled with $n placeholders (asyncpg's style), so PostgreSQL can PREPARE it
        stmt = as_of_stmt(mapped, repo.scope.shape, "live", stage)  # type: ignore[arg-type]
        compiled = stmt.compile(dialect=NUMBERED)
        values = {"_id": id, "_asof": moment, "_asof_end": as_of_end(moment)}
        params = compiled.construct_params({**values, **repo.scope.params()})
        conn.exec_driver_sql(f"SET plan_cache_mode = {mode}")
        conn.exec_driver_sql(f"PREPARE asof_plan AS {compiled}")
        # EXECUTE takes no bind parameters: the values as literals (uuids, a moment, ints)
        args = ", ".join(f"'{params[name]}'" for name in compiled.positiontup or [])
        try:
            raw = conn.exec_driver_sql(
                f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) EXECUTE asof_plan({args})"
            ).scalar_one()
        finally:
            conn.exec_driver_sql("DEALLOCATE asof_plan")
            conn.exec_driver_sql("RESET plan_cache_mode")
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    return [s["Relation Name"] for s in _scans(plan) if s.get("Actual Loops", 0) > 0]


@pytest.mark.parametrize("mode", ["force_custom_plan", "force_generic_plan"])
def test_as_of_reads_default_then_only_the_partition_holding_the_version(
    db: Database, tenant: UUID, mode: str
) -> None:
    db.clock.set(START)  # type: ignore[attr-defined]
    db.sync_schema([Price])  # DEFAULT, January to April
    prices = db.repository(Price, tenant_id=tenant, actor="alice")
    p = prices.create(Price(sku="S1", amount=Decimal("1.00")))
    for day in range(1, 100, 7):  # weekly updates, closed over January to April
        db.clock.set(START + dt.timedelta(days=day))  # type: ignore[attr-defined]
        prices.update(p.id, amount=Decimal(day))
    moment = dt.datetime(2026, 2, 10, tzinfo=UTC)
    assert prices.get(p.id, as_of=moment).amount == Decimal(29)
    # the current version's probe, then February's, where the version valid then was closed
    assert _executed(db, tenant, p.id, moment, mode) == ["prices_pdefault", "prices_p202602"]
    now = db.clock.now()
    assert _executed(db, tenant, p.id, now, mode) == ["prices_pdefault"]

    # a version closed two months after the moment: the first statement finds nothing, the
    # second reads the months after the moment's, in order, up to the one that holds it
    db.clock.set(START)  # type: ignore[attr-defined]
    q = prices.create(Price(sku="S2", amount=Decimal("1.00")))
    db.clock.set(dt.datetime(2026, 4, 5, tzinfo=UTC))  # type: ignore[attr-defined]
    prices.update(q.id, amount=Decimal("2.00"))
    assert prices.get(q.id, as_of=moment).amount == Decimal("1.00")
    assert _executed(db, tenant, q.id, moment, mode) == ["prices_pdefault", "prices_p202602"]
    far = _executed(db, tenant, q.id, moment, mode, "far")
    assert far == ["prices_p202603", "prices_p202604"]
