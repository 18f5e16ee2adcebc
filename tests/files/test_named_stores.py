"""``Field(store="docs")``: each file field keeps its bytes in the store it names, and the
``FileRef`` values a wrapped repository returns are bound to that store (``ref.read()``).

On SQLite, PostgreSQL and MariaDB, sync and async (the ``store`` fixture), with a memory store
and a local-disk store side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from storied import ConfigurationError, Field, Model, ModelDefinitionError
from storied.errors import ObjectNotFoundError
from storied.storage import (
    AsyncFiles,
    AsyncObjectStore,
    FileRef,
    Files,
    ObjectStore,
    acollect_garbage,
    collect_garbage,
)
from tests.files.models import Audited, Dossier, Drawing, Folder, Paper
from tests.integration.conftest import Repo, Store, settle

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


class Named:
    """A Files with a default store and the named stores "docs" and "media"."""

    def __init__(self, db: Store, tmp_path: Path) -> None:
        self.db = db
        kind: Any = AsyncObjectStore if db.is_async else ObjectStore
        self.default = kind("memory://")
        self.docs = kind(f"file://{tmp_path / 'docs'}")
        self.media = kind("memory://")
        maker: Any = AsyncFiles if db.is_async else Files
        self.files = maker(self.default, stores={"docs": self.docs, "media": self.media})

    def repository(self, model: type[Model], **scope: Any) -> Repo:
        return Repo(self.files.repository(self.db.db.repository(model, **scope)))

    async def keys(self, store: Any) -> list[str]:
        found = store.list("files/")
        if isinstance(found, AsyncIterator):
            return [e.key async for e in found]
        return [e.key for e in found]

    async def read(self, ref: FileRef) -> bytes:
        """The bytes through the ref alone: read, stream and open must agree."""
        if self.db.is_async:
            data = await ref.aread()
            streamed = b"".join([c async for c in ref.astream(3)])
            async with ref.aopen(4) as f:
                opened = await f.read(2) + await f.read()
        else:
            data = ref.read()
            streamed = b"".join(ref.stream(3))
            with ref.open(4) as f:
                opened = f.read(2) + f.read()
        assert streamed == opened == data
        return data


@pytest.fixture
def named(store: Store, tmp_path: Path) -> Named:
    return Named(store, tmp_path)


async def test_each_field_writes_to_the_store_it_names(named: Named, tenant: UUID) -> None:
    await named.db.create_all(Dossier)
    repo = named.repository(Dossier, tenant_id=tenant, actor="alice")
    made = await repo.create(
        {"title": "t", "contract": b"contract bytes", "photo": b"photo bytes", "note": b"n"}
    )
    assert await named.keys(named.docs) == [made.contract.key]
    assert await named.keys(named.media) == [made.photo.key]
    assert await named.keys(named.default) == [made.note.key]
    got = await repo.get(made.id)
    assert got.contract.store is named.docs
    assert got.photo.store is named.media
    assert got.note.store is named.default
    assert await named.read(got.contract) == b"contract bytes"
    assert await named.read(got.photo) == b"photo bytes"
    changed = await repo.update(made.id, photo=b"new photo")
    assert changed.photo.store is named.media
    assert sorted(await named.keys(named.media)) == sorted([made.photo.key, changed.photo.key])
    assert await named.keys(named.docs) == [made.contract.key]  # untouched


async def test_refs_from_every_read_are_bound(named: Named, tenant: UUID) -> None:
    await named.db.create_all(Dossier)
    repo = named.repository(Dossier, tenant_id=tenant, actor="alice")
    first = await repo.create({"title": "t", "contract": b"draft"})
    await repo.update(first.id, contract=b"signed")
    (listed,) = await repo.list()
    assert await named.read(listed.contract) == b"signed"
    queried = await settle(repo.query().filter(title="t").all())
    assert await named.read(queried[0].contract) == b"signed"
    one = await settle(repo.query().first())
    assert await named.read(one.contract) == b"signed"
    rows = repo.query().iterate(batch_size=1)
    streamed = [r async for r in rows] if named.db.is_async else list(rows)
    assert await named.read(streamed[0].contract) == b"signed"
    history = await repo.history(first.id)
    old, new = history[-1].changes["contract"]
    assert (await named.read(old), await named.read(new)) == (b"draft", b"signed")
    changes = await repo.field_history(first.id, "contract")
    assert await named.read(changes[-1].old) == b"draft"
    (recent, *_) = await repo.changes(newest_first=True)
    assert await named.read(recent.changes["contract"][0]) == b"draft"


async def test_as_of_version_and_revert_stream_the_old_bytes(named: Named, tenant: UUID) -> None:
    named.db.clock.set(T0)
    await named.db.create_all(Drawing)
    repo = named.repository(Drawing, tenant_id=tenant, actor="alice")
    v1 = await repo.create({"title": "plan", "sheet": b"version one"})
    named.db.clock.set(T0 + dt.timedelta(hours=1))
    await repo.update(v1.id, sheet=iter([b"version ", b"two"]))
    then = await repo.get(v1.id, as_of=T0 + dt.timedelta(minutes=5))
    assert await named.read(then.sheet) == b"version one"
    first, second = await repo.versions(v1.id)
    assert await named.read(first.model.sheet) == b"version one"
    assert await named.read(second.model.sheet) == b"version two"
    diff = await repo.compare_versions(v1.id, 1, 2)
    assert await named.read(diff["sheet"][0]) == b"version one"
    named.db.clock.set(T0 + dt.timedelta(hours=2))
    back = await repo.revert(v1.id, to_version=1)
    assert back.sheet.store is named.media
    assert await named.read(back.sheet) == b"version one"
    assert len(await named.keys(named.media)) == 2  # revert copied nothing


async def test_files_put_goes_to_the_named_store_and_binds(named: Named, tenant: UUID) -> None:
    ref = await settle(named.files.put(b"given", tenant_id=tenant, store="docs"))
    assert ref.store is named.docs
    assert await named.keys(named.docs) == [ref.key]
    await named.db.create_all(Dossier)
    repo = named.repository(Dossier, tenant_id=tenant, actor="alice")
    made = await repo.create({"title": "t", "contract": ref})
    assert await named.read(made.contract) == b"given"
    # the same ref on a field of another store names nothing there: refused, nothing written
    with pytest.raises(ObjectNotFoundError):
        await repo.create({"title": "u", "photo": ref.model_dump()})


def test_a_ref_without_a_store_says_how_to_read_it() -> None:
    ref = FileRef(key="files/x/ab/" + "a" * 64, size=0, sha256="a" * 64)
    with pytest.raises(ConfigurationError, match="bound to no store"):
        ref.read()
    store = ObjectStore("memory://")
    with pytest.raises(ConfigurationError, match="other kind"):
        ref.bind(store).astream()
    assert ref.bind(store) == ref  # binding is not part of the value
    assert ref.store is None  # bind copies


def test_store_names_are_checked_when_a_repository_is_bound() -> None:
    from storied import Database

    db = Database("sqlite://")
    with pytest.raises(ConfigurationError, match="no store named 'docs'"):
        Files(ObjectStore("memory://")).repository(db.repository(Dossier, tenant_id=UUID(int=1)))
    with pytest.raises(ConfigurationError, match="no default store"):
        Files(
            stores={"docs": ObjectStore("memory://"), "media": ObjectStore("memory://")}
        ).repository(db.repository(Dossier, tenant_id=UUID(int=1)))
    assert Files(ObjectStore("memory://")).repository(db.repository(Audited, tenant_id=UUID(int=1)))
    with pytest.raises(ConfigurationError, match="needs a default store"):
        Files()
    with pytest.raises(ConfigurationError, match="takes ObjectStores"):
        Files(stores={"docs": AsyncObjectStore("memory://")})  # type: ignore[dict-item]
    with pytest.raises(ModelDefinitionError, match="store must be"):
        Field(default=None, store="")

    class Wrong(Model, table="file_wrong"):
        title: str = Field(store="docs")

    with pytest.raises(ConfigurationError, match="FileRef fields only"):
        Files(ObjectStore("memory://")).stores_for(Wrong)


async def test_garbage_collection_per_store_keeps_every_referenced_file(
    named: Named, tenant: UUID
) -> None:
    await named.db.create_all(Dossier)
    repo = named.repository(Dossier, tenant_id=tenant, actor="alice")
    made = await repo.create({"title": "t", "contract": b"c1", "photo": b"p1", "note": b"n1"})
    await repo.update(made.id, contract=b"c2")  # c1 stays referenced by the audit row
    orphan = await settle(named.files.put(b"orphan", tenant_id=tenant, store="media"))
    collect: Any = acollect_garbage if named.db.is_async else collect_garbage
    deleted = set()
    for store in (named.docs, named.media, named.default):
        report = await settle(
            collect(store, named.db.db, older_than=dt.timedelta(0), models=[Dossier])
        )
        deleted |= set(report.garbage)
    assert deleted == {orphan.key}
    after = await repo.get(made.id)
    for ref in (after.contract, after.photo, after.note):
        assert await named.read(ref)
    (history,) = [c for c in await repo.history(made.id) if c.operation == "update"]
    assert await named.read(history.changes["contract"][0]) == b"c1"


def test_copies_keep_the_binding_and_pickles_drop_it() -> None:
    import copy
    import pickle

    store = ObjectStore("memory://")
    ref = store.put("k", b"bytes")
    bound = FileRef(key="k", size=5, sha256=ref.sha256, metadata={"a": "b"}).bind(store)
    deep = copy.deepcopy(bound)
    assert deep == bound
    assert deep.store is store  # the same store, not a copy of its objects
    assert deep.metadata is not bound.metadata
    assert deep.read() == b"bytes"
    unpickled = pickle.loads(pickle.dumps(bound))
    assert unpickled == bound
    assert unpickled.store is None


async def test_each_store_counts_only_the_references_of_its_own_fields(
    named: Named, tenant: UUID
) -> None:
    """A key named only by another store's field is garbage here; every key a field of this
    store names (main rows, audit entries, scd2 versions) is kept: both history strategies."""
    named.db.clock.set(T0)
    await named.db.create_all(Dossier, Drawing)
    dossiers = named.repository(Dossier, tenant_id=tenant, actor="alice")
    drawings = named.repository(Drawing, tenant_id=tenant, actor="alice")
    made = await dossiers.create({"title": "t", "contract": b"c1", "photo": b"photo"})
    await dossiers.update(made.id, contract=b"c2")  # c1: only the audit row names it (docs)
    v1 = await drawings.create({"title": "plan", "sheet": b"sheet one"})
    named.db.clock.set(T0 + dt.timedelta(hours=1))
    await drawings.update(v1.id, sheet=b"sheet two")  # sheet one: only version 1 (media)
    # the same bytes in the stores whose fields do not name them: same content keys
    put: Any = named.files.put
    strays = {
        "default": {
            (await settle(put(b"photo", tenant_id=tenant))).key,
            (await settle(put(b"sheet one", tenant_id=tenant))).key,
        },
        "docs": {(await settle(put(b"sheet one", tenant_id=tenant, store="docs"))).key},
        "media": {(await settle(put(b"c1", tenant_id=tenant, store="media"))).key},
    }
    collect: Any = acollect_garbage if named.db.is_async else collect_garbage
    stores = {"default": named.default, "docs": named.docs, "media": named.media}
    kept = {name: set(await named.keys(store)) - strays[name] for name, store in stores.items()}
    args = {"older_than": dt.timedelta(0), "models": [Dossier, Drawing], "files": named.files}
    for name, store in stores.items():
        dry = await settle(collect(store, named.db.db, dry_run=True, **args))
        assert set(dry.garbage) == strays[name], name
        assert set(await named.keys(store)) == kept[name] | strays[name]  # a dry run deletes none
        report = await settle(collect(store, named.db.db, tenant_id=tenant, **args))
        assert set(report.garbage) == strays[name], name
        assert set(await named.keys(store)) == kept[name], name
    assert len(kept["media"]) == 3  # the photo, both sheets
    assert len(kept["docs"]) == 2  # c1, c2
    (update,) = [c for c in await dossiers.history(made.id) if c.operation == "update"]
    assert await named.read(update.changes["contract"][0]) == b"c1"
    first, _ = await drawings.versions(v1.id)
    assert await named.read(first.model.sheet) == b"sheet one"
    assert await named.read((await dossiers.get(made.id)).photo) == b"photo"
    other: Any = AsyncObjectStore("memory://") if named.db.is_async else ObjectStore("memory://")
    with pytest.raises(ConfigurationError, match="none of the stores"):
        await settle(collect(other, named.db.db, **args))


async def test_related_models_loaded_with_load_are_bound_to_their_stores(
    named: Named, tenant: UUID
) -> None:
    """``.load()`` on a wrapped repository's query: each related model's file fields are bound
    to the stores their fields name, in both directions (one-to-many, many-to-one)."""
    await named.db.create_all(Folder, Paper)
    folders = named.repository(Folder, tenant_id=tenant, actor="alice")
    papers = named.repository(Paper, tenant_id=tenant, actor="alice")
    folder = await folders.create({"title": "f", "cover": b"cover bytes"})
    await papers.create({"title": "p1", "folder_id": folder.id, "scan": b"scan one"})
    await papers.create({"title": "p2", "folder_id": folder.id, "scan": b"scan two"})
    loaded = await settle(folders.query().load("papers").one())
    assert await named.read(loaded.cover) == b"cover bytes"
    scans = sorted(loaded.papers, key=lambda p: p.title)
    assert [p.scan.store for p in scans] == [named.media, named.media]
    assert [await named.read(p.scan) for p in scans] == [b"scan one", b"scan two"]
    back = await settle(papers.query().filter(title="p2").load("folder.papers").one())
    assert back.folder.cover.store is named.default
    assert await named.read(back.folder.cover) == b"cover bytes"
    assert {await named.read(p.scan) for p in back.folder.papers} == {b"scan one", b"scan two"}
    listed = await settle(papers.query().order_by("title").load("folder").all())
    assert [await named.read(p.folder.cover) for p in listed] == [b"cover bytes"] * 2
