"""collect_garbage: keeps every object a row, a version or an audit entry names, across
tenants; deletes the rest once older than the grace period; dry run; a concurrent writer."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace
from uuid import UUID, uuid4

import pytest

from storied import ConfigurationError
from storied.storage import ObjectStore
from storied.storage.garbage import _collect
from tests.files.conftest import FileDb
from tests.files.models import Attachment, Audited, Versioned

NOW = dt.timedelta(0)
MODELS = [Attachment, Audited, Versioned]


async def _story(fs: FileDb, tenant: UUID) -> dict[str, str]:
    """Objects in every state a reference can be in; returns {what: key}."""
    await fs.create_all(*MODELS)
    plain = fs.repository(Attachment, tenant_id=tenant, actor="a")
    audited = fs.repository(Audited, tenant_id=tenant, actor="a")
    versioned = fs.repository(Versioned, tenant_id=tenant, actor="a")
    keys = {}
    current = await plain.create({"title": "current", "file": b"current"})
    keys["current"] = current.file.key
    deleted = await plain.create({"title": "deleted", "file": b"soft-deleted"})
    await plain.delete(deleted.id)
    keys["soft-deleted"] = deleted.file.key
    purged = await plain.create({"title": "purged", "file": b"purged"})
    await plain.purge(purged.id)
    keys["purged"] = purged.file.key
    a = await audited.create({"title": "a", "file": b"audit old"})
    keys["audit old"] = a.file.key
    keys["audit new"] = (await audited.update(a.id, file=b"audit new")).file.key
    v = await versioned.create({"title": "v", "file": b"version one"})
    keys["old version"] = v.file.key
    keys["new version"] = (await versioned.update(v.id, file=b"version two")).file.key
    other = uuid4()
    theirs = await fs.repository(Attachment, tenant_id=other, actor="b").create(
        {"title": "theirs", "file": b"another tenant"}
    )
    keys["other tenant"] = theirs.file.key
    keys["orphan"] = (await fs.put(b"never assigned", tenant_id=tenant)).key
    keys["replaced"] = (await plain.update(current.id, file=b"current v2")).file.key
    keys["current"], keys["replaced"] = keys["replaced"], keys["current"]
    return keys


async def test_only_what_nothing_references_is_deleted(
    files_everywhere: FileDb, tenant: UUID
) -> None:
    fs = files_everywhere
    keys = await _story(fs, tenant)
    garbage = {keys["purged"], keys["orphan"], keys["replaced"]}  # history="none" keeps no past
    dry = await fs.gc(older_than=NOW, dry_run=True, models=MODELS)
    assert set(dry.garbage) == garbage
    assert set(await fs.keys()) == set(keys.values())  # a dry run deletes nothing
    report = await fs.gc(older_than=NOW, models=MODELS)
    assert set(report.garbage) == garbage
    assert (report.scanned, report.referenced) == (len(set(keys.values())), len(keys) - 3)
    assert set(await fs.keys()) == set(keys.values()) - garbage
    for what, key in keys.items():
        assert await fs.exists(key) == (key not in garbage), what
    assert (await fs.gc(older_than=NOW, models=MODELS)).garbage == []


async def test_young_objects_and_other_tenants_folders_are_kept(
    files: FileDb, tenant: UUID
) -> None:
    keys = await _story(files, tenant)
    young = await files.gc(models=MODELS)  # the default grace: an hour
    assert young.garbage == []
    assert young.young == young.scanned
    other = await files.gc(older_than=NOW, tenant_id=uuid4(), models=MODELS)
    assert other.scanned == 0
    assert other.garbage == []
    mine = await files.gc(older_than=NOW, tenant_id=tenant, dry_run=True, models=MODELS)
    assert keys["other tenant"] not in mine.garbage
    assert set(mine.garbage) == {keys["purged"], keys["orphan"], keys["replaced"]}


async def test_the_models_come_from_the_database(files: FileDb, tenant: UUID) -> None:
    keys = await _story(files, tenant)
    report = await files.gc(older_than=NOW, dry_run=True)  # every model db.registry knows
    assert set(report.garbage) == {keys["purged"], keys["orphan"], keys["replaced"]}


def test_no_file_model_refuses_to_collect(db: object) -> None:
    from storied.storage import collect_garbage
    from tests.models import Product

    with pytest.raises(ConfigurationError, match="no model with a FileRef field"):
        collect_garbage(ObjectStore("memory://"), db, models=[Product])  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        collect_garbage(
            ObjectStore("memory://"),
            db,  # type: ignore[arg-type]
            older_than=dt.timedelta(seconds=-1),
            models=[Attachment],
        )


def test_references_are_read_after_the_listing_and_objects_looked_at_again() -> None:
    """The steps, fed by hand: list → refs → (head → delete) per old unreferenced object."""
    cutoff = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    old, young = cutoff - dt.timedelta(seconds=1), cutoff + dt.timedelta(seconds=1)
    op = _collect(cutoff, dry_run=False)
    assert next(op) == ("list", None)
    entries = [SimpleNamespace(key=k, last_modified=old) for k in ("kept", "again", "gone", "x")]
    entries.append(SimpleNamespace(key="new", last_modified=young))
    assert op.send(entries) == ("refs", None)
    assert op.send({"kept"}) == ("head", "again")
    assert op.send(SimpleNamespace(last_modified=young)) == ("head", "gone")  # uploaded again
    assert op.send(SimpleNamespace(last_modified=old)) == ("delete", "gone")
    assert op.send(None) == ("head", "x")
    with pytest.raises(StopIteration) as stop:
        op.send(None)  # deleted by someone else meanwhile
    report = stop.value.value
    assert report.garbage == ["gone"]
    assert (report.scanned, report.referenced, report.young) == (5, 1, 2)


async def test_a_concurrent_writer_never_loses_a_file(files: FileDb, tenant: UUID) -> None:
    """Writers upload and commit while collections run with a short grace period: every
    committed row's bytes stay readable; the rolled-back writes' objects go once old."""
    await files.create_all(Attachment)
    repo = files.repository(Attachment, tenant_id=tenant, actor="w")
    grace = dt.timedelta(seconds=1)
    done = asyncio.Event()
    made: list[Attachment] = []
    collected: list[str] = []

    async def writer() -> None:
        for i in range(30):
            try:
                async with files.db.transaction():
                    m = await repo.create({"title": f"r{i}", "file": f"bytes {i}".encode()})
                    if i % 3 == 0:
                        raise RuntimeError("roll back")
                made.append(m)
            except RuntimeError:
                pass
            await asyncio.sleep(0.02)
        done.set()

    async def collector() -> None:
        while not done.is_set():
            collected.extend((await files.gc(older_than=grace, models=[Attachment])).garbage)
            await asyncio.sleep(0.01)

    if files.is_async:
        await asyncio.gather(writer(), collector())
    else:  # the sync Database in a thread of its own, the collector in another
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            loop.run_in_executor(None, lambda: asyncio.run(writer())),
            loop.run_in_executor(None, lambda: asyncio.run(collector())),
        )
    referenced = {m.file.key for m in made}
    assert not referenced & set(collected)
    for m in made:
        assert await files.read(m.file) == next(
            f"bytes {i}".encode() for i in range(30) if m.title == f"r{i}"
        )
    await asyncio.sleep(grace.total_seconds())
    await files.gc(older_than=grace, models=[Attachment])
    assert set(await files.keys()) == referenced
