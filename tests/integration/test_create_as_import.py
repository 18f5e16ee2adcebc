"""``create_many(…, operation="import")``: history records the rows as imported, by the actor.

copy_on_change audit rows and scd2 first versions carry "import"; later writes are derived as
usual; the change feed filters on it. Every backend, sync and async.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from storied import ValidationError
from tests.integration.conftest import Store
from tests.models import Account, Price


@pytest.mark.parametrize("model", [Account, Price], ids=["copy_on_change", "scd2"])
async def test_imported_rows_show_import_in_history_and_feed(store: Store, model: type) -> None:
    await store.create_all(model)
    tenant = uuid4()
    repo = store.repository(model, tenant_id=tenant, actor="loader")
    values = (
        {"code": "I-1", "owner": "o", "balance": Decimal("1.00")}
        if model is Account
        else {"sku": "I-1", "amount": Decimal("1.00")}
    )
    other = {**values, ("code" if model is Account else "sku"): "C-1"}
    [imported] = await repo.create_many([model(**values)], operation="import")
    created = await repo.create(model(**other))
    changed = {"balance": Decimal("2.00")} if model is Account else {"amount": Decimal("2.00")}
    await repo.update(imported.id, **changed)

    history = await repo.history(imported.id)
    assert [(c.operation, c.actor) for c in history] == [("import", "loader"), ("update", "loader")]
    assert history[0].changes == {
        f: (None, getattr(imported, f)) for f in model.storied_spec().fields
    }
    assert [c.operation for c in await repo.history(created.id)] == ["create"]
    feed = await repo.changes(operation="import")
    assert [c.record_id for c in feed] == [imported.id]
    assert [c.record_id for c in await repo.changes(operation="create")] == [created.id]
    assert {c.operation for c in await repo.field_history(imported.id, next(iter(changed)))} == {
        "import",
        "update",
    }


async def test_an_unknown_operation_label_is_refused(store: Store) -> None:
    await store.create_all(Account)
    repo = store.repository(Account, tenant_id=uuid4(), actor="x")
    with pytest.raises(ValidationError, match="operation must be one of"):
        await repo.changes(operation="imported")
