"""Async backup, restore, export and import: the sync operations through a sync twin, in a
thread. Every backend; the restore guarantees hold as in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from storied import AsyncDatabase, ConfigurationError, Database, FrozenClock, RestoreRefused
from storied.admin import abackup, aexport_csv, aimport_csv, arestore
from tests.integration.admin.conftest import MODELS, live_state, rows_of, server_url
from tests.models import Account, Price


@pytest.fixture
async def alive(live: Database, async_url: str, clock: FrozenClock) -> AsyncDatabase:
    """An AsyncDatabase on the populated live database."""
    database = await AsyncDatabase(async_url, clock=clock).connect()
    yield database  # type: ignore[misc]
    await database.close()


async def test_abackup_then_arestore_round_trip(
    live: Database, alive: AsyncDatabase, backend: str, tmp_path: Path, new_db_name: str
) -> None:
    before = rows_of(live)
    result = await abackup(alive, tmp_path / "b.zip", portable=True, models=MODELS)
    assert result.format == "portable"
    assert result.manifest is not None
    first = await alive.repository(Account, unscoped=True).query().order_by("code").first()
    await alive.repository(Account, tenant_id=first.tenant_id, actor="eve").update(
        first.id, owner="changed"
    )
    assert rows_of(live) != before
    into = None if backend == "sqlite" else new_db_name
    report = await arestore(alive, result.path, into=into, models=MODELS)
    assert not report.dry_run
    if backend == "sqlite":
        assert rows_of(live) == before
        # the async database reads the restored file, not a stale view of the old one
        again = await alive.repository(Account, unscoped=True).get(first.id)
        assert again.owner == first.owner
    else:
        with Database(server_url(live, new_db_name)) as target:
            assert rows_of(target) == before


async def test_arestore_refuses_a_bad_file_and_changes_nothing(
    live: Database, alive: AsyncDatabase, backend: str, tmp_path: Path, new_db_name: str
) -> None:
    result = await abackup(alive, tmp_path / "b.zip", portable=True, models=MODELS)
    data = result.path.read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[: len(data) // 2])
    state = live_state(live, backend)
    into = None if backend == "sqlite" else new_db_name
    with pytest.raises(RestoreRefused):
        await arestore(alive, broken, into=into, models=MODELS)
    assert live_state(live, backend) == state


async def test_aexport_then_aimport_records_an_import(
    live: Database, alive: AsyncDatabase, tmp_path: Path
) -> None:
    manifest = await aexport_csv(alive, tmp_path / "e.zip", MODELS)
    assert {t.name: t.rows for t in manifest.tables}["accounts"] == 2
    live.drop_all(MODELS)
    live.create_all(MODELS)
    dry = await aimport_csv(alive, tmp_path / "e.zip", MODELS, actor="loader", dry_run=True)
    assert dry.dry_run
    assert not dry.errors
    assert await alive.repository(Account, unscoped=True).query().count() == 0
    report = await aimport_csv(alive, tmp_path / "e.zip", MODELS, actor="loader")
    assert report.rows == {"Account": 2, "Price": 1, "Setting": 1}
    price = await alive.repository(Price, unscoped=True).query().first()
    history = await alive.repository(Price, tenant_id=price.tenant_id).history(price.id)
    assert [(c.operation, c.actor) for c in history] == [("import", "loader")]


async def test_an_in_memory_async_database_is_refused(tmp_path: Path) -> None:
    async with AsyncDatabase("sqlite+aiosqlite://") as memory:
        with pytest.raises(ConfigurationError, match="in-memory"):
            await abackup(memory, tmp_path / "b.zip", portable=True)
