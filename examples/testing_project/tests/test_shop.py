"""The shop's tests: only storied's plugin fixtures (``storied_*``), on every chosen backend."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from models import NUMBERS, Customer, Order
from storied import Database, FrozenClock


def test_customers_are_valid_and_unique(
    storied_repository: Callable[..., Any], storied_factory: Callable[..., Any]
) -> None:
    customers = storied_factory(Customer).create_batch(storied_repository(Customer), 20)
    assert len({c.email for c in customers}) == 20
    assert all("@" in c.email for c in customers)


def test_each_test_starts_empty(
    storied_db: Database, storied_repository: Callable[..., Any]
) -> None:
    storied_repository(Customer)  # its table exists (made by the first use in the session)
    # no rows at all, not just none of this test's tenant: the last test's rows are gone
    assert storied_db.repository(Customer, unscoped=True).count() == 0


def test_orders_get_customers_and_history(
    storied_repository: Callable[..., Any],
    storied_factory: Callable[..., Any],
    storied_clock: FrozenClock,
    storied_actor: str,
) -> None:
    storied_repository(Customer)  # make its table: the order factory creates the customer
    orders_repo = storied_repository(Order)
    orders = storied_factory(Order, extensions=NUMBERS).create_batch(orders_repo, 3)
    assert all(re.fullmatch(r"ORD-\d{4}-[A-Za-z]{4}", o.order_number) for o in orders)
    assert storied_repository(Customer).count() == 1

    storied_clock.advance(minutes=5)
    orders_repo.update(orders[0].id, total=Decimal("10.00"))
    created, changed = orders_repo.history(orders[0].id)
    assert changed.actor == storied_actor
    assert changed.at == storied_clock.now()
    assert list(changed.changes) == ["total"]
    assert created.operation == "create"


def test_other_tenants_see_nothing(
    storied_db: Database,
    storied_repository: Callable[..., Any],
    storied_factory: Callable[..., Any],
) -> None:
    storied_factory(Customer).create_batch(storied_repository(Customer), 2)
    other = storied_db.repository(Customer, tenant_id="00000000-0000-4000-8000-000000000000")
    assert other.count() == 0
