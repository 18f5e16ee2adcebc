"""History at its edges: nested model fields, hard deletes, restore without soft delete, and
integer keys that must never be handed out twice. Every backend, sync and async."""

from __future__ import annotations

from uuid import UUID

import pytest
from pydantic import BaseModel

from storied import ConfigurationError, Field, Model
from tests.integration.conftest import Store, settle
from tests.integration.temporal_support import audit_rows


class Size(BaseModel):
    width: float
    unit: str


class Crate(Model, table="crates_audited", history="copy_on_change"):
    """A plain nested Pydantic model field, required and optional."""

    label: str = Field(max_length=20)
    size: Size
    spare: Size | None = None


class Ledger(Model, table="ledgers_hard", history="copy_on_change", soft_delete=False):
    name: str = Field(max_length=20)


class Plain(Model, table="plain_hard", soft_delete=False):
    name: str = Field(max_length=20)


class Ticket(
    Model, table="tickets_int", history="copy_on_change", primary_key="int", soft_delete=False
):
    title: str = Field(max_length=20)


class PlainTicket(Model, table="tickets_int_plain", primary_key="int", soft_delete=False):
    title: str = Field(max_length=20)


# --- nested models in the audit trail --------------------------------------------------------
async def test_a_nested_model_field_round_trips_through_the_audit_trail(
    store: Store, tenant: UUID
) -> None:
    await store.create_all(Crate)
    crates = store.repository(Crate, tenant_id=tenant)
    crate = await crates.create(Crate(label="c1", size=Size(width=1.5, unit="m")))
    assert crate.size == Size(width=1.5, unit="m")
    store.clock.advance(seconds=1)
    bigger, spare = Size(width=2.25, unit="m"), Size(width=0.5, unit="cm")
    updated = await crates.update(crate.id, size=bigger, spare=spare)
    assert (updated.size, updated.spare) == (bigger, spare)
    assert await crates.update(crate.id, size=Size(width=2.25, unit="m")) == updated  # no change

    stored = await crates.get(crate.id)
    assert (stored.size, stored.spare) == (bigger, spare)
    history = await crates.history(crate.id)
    assert [cs.operation for cs in history] == ["create", "update"]
    assert history[0].changes["size"] == (None, Size(width=1.5, unit="m"))
    assert history[0].changes["spare"] == (None, None)
    assert history[1].changes == {
        "size": (Size(width=1.5, unit="m"), bigger),
        "spare": (None, spare),
    }
    assert isinstance(history[1].changes["size"][1], Size)  # the model's type, not a dict
    sizes = await crates.field_history(crate.id, "size")
    small = Size(width=1.5, unit="m")
    assert [(c.old, c.new) for c in sizes] == [(None, small), (small, bigger)]
    raw = [r for r in await audit_rows(store.db, Crate, crate.id) if r["field"] == "size"]
    assert len(raw) == 2  # one audit row per change of the field, nothing for the no-op


# --- a hard delete is one purge --------------------------------------------------------------
async def test_a_hard_delete_records_one_purge(store: Store, tenant: UUID) -> None:
    await store.create_all(Ledger)
    ledgers = store.repository(Ledger, tenant_id=tenant)
    one, two, three = await ledgers.create_many([Ledger(name=n) for n in ("one", "two", "three")])
    await ledgers.delete(one.id)
    await ledgers.delete_many([two.id, three.id])
    for record in (one, two, three):
        assert [cs.operation for cs in await ledgers.history(record.id)] == ["create", "purge"]
        raw = await audit_rows(store.db, Ledger, record.id)
        assert [r["operation"] for r in raw if r["operation"] == "purge"] == ["purge"]
    assert await ledgers.count() == 0
    purges = await ledgers.changes(operation="purge")
    assert sorted(cs.record_id for cs in purges) == sorted([one.id, two.id, three.id])


# --- restore without soft delete -------------------------------------------------------------
@pytest.mark.parametrize("model", [Ledger, Plain], ids=["copy_on_change", "none"])
async def test_restore_without_soft_delete_is_refused_for_every_strategy(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    await store.create_all(model)
    repo = store.repository(model, tenant_id=tenant)
    row = await repo.create(model(name="kept"))  # type: ignore[call-arg]
    audit_before = await audit_rows(store.db, model) if model is Ledger else []
    expected = f"{model.__name__} has soft_delete=False: nothing to restore"
    for id in (row.id, UUID(int=1)):  # a live row and a missing one: the same refusal
        with pytest.raises(ConfigurationError) as caught:
            await repo.restore(id)
        assert str(caught.value) == expected
    assert (await repo.get(row.id)).version == 1  # nothing written
    if model is Ledger:
        assert await audit_rows(store.db, model) == audit_before


# --- integer keys are never reused -----------------------------------------------------------
@pytest.mark.parametrize("model", [Ticket, PlainTicket], ids=["copy_on_change", "none"])
async def test_an_integer_key_of_a_purged_row_is_never_handed_out_again(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    await store.create_all(model)
    repo = store.repository(model, tenant_id=tenant)
    first = await repo.create(model(title="first"))  # type: ignore[call-arg]
    newest = await repo.create(model(title="newest"))  # type: ignore[call-arg]
    await repo.delete(newest.id)  # the largest id is gone (a hard delete is a purge)
    after_delete = await repo.create(model(title="after delete"))  # type: ignore[call-arg]
    await repo.purge(after_delete.id)
    after_purge = await repo.create(model(title="after purge"))  # type: ignore[call-arg]
    ids = [first.id, newest.id, after_delete.id, after_purge.id]
    assert ids == sorted(set(ids))  # strictly increasing: no id came back
    assert [t.title for t in await repo.list(order_by="id")] == ["first", "after purge"]
    if model is Ticket:
        history = await repo.history(after_purge.id)
        assert [(cs.operation, cs.changes.get("title")) for cs in history] == [
            ("create", (None, "after purge"))
        ]
        assert [cs.operation for cs in await repo.history(newest.id)] == ["create", "purge"]
    assert (await settle(store.db.plan([model]))).empty  # schema sync sees it unchanged
