"""File fields: exact round trips, content addressing, given refs checked, order of effects.

Each test runs on SQLite, PostgreSQL and MariaDB, sync and async; ``files_everywhere`` also on
every store (memory, local disk, S3 on moto, Azure on Azurite), ``files`` on memory and disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import AsyncIterator, Iterator
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError as PydanticValidationError

from storied import ConfigurationError, TenantViolation, ValidationError
from storied.errors import ObjectNotFoundError, StorageError
from storied.storage import FileRef, Files, ObjectStore, Upload
from tests.files.conftest import FileDb
from tests.files.models import Attachment, Audited, Shared

BIG = bytes(range(256)) * (5 * 1024 * 4 + 1)  # 5 MiB + 256 bytes: two parts on S3 and Azure


def chunks(data: bytes, size: int = 65536) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def achunks(data: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks(data):
        yield chunk


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_every_source_round_trips_exactly(files_everywhere: FileDb, tenant: UUID) -> None:
    fs = files_everywhere
    await fs.create_all(Attachment)
    repo = fs.repository(Attachment, tenant_id=tenant, actor="alice")
    sources = {
        "empty": (b"", b""),
        "bytes": (b"x", b"x"),
        "file": (io.BytesIO(BIG), BIG),
        "iterator": (chunks(b"abc" * 1000), b"abc" * 1000),
        "typed": (
            Upload(b"%PDF-1.7", "application/pdf", {"File-Name": "Übersicht ✓.pdf"}),
            b"%PDF-1.7",
        ),
    }
    if fs.is_async:
        sources["async iterator"] = (achunks(b"async" * 100), b"async" * 100)
    for title, (source, expected) in sources.items():
        made = await repo.create({"title": title, "file": source})
        ref = made.file
        assert ref is not None
        assert (ref.size, ref.sha256) == (len(expected), digest(expected))
        assert ref.key == f"files/{tenant}/{ref.sha256[:2]}/{ref.sha256}"
        got = await fs.plain(Attachment, tenant_id=tenant).get(made.id)
        assert got.file == ref  # every field, exactly, after the database round trip
        assert await fs.read(got.file) == expected
        assert b"".join(await fs.streamed(got.file, 1 << 20)) == expected
        info = await fs.head(ref.key)
        assert (info.size, info.sha256, info.content_type) == (
            ref.size,
            ref.sha256,
            ref.content_type,
        )
    typed = (await fs.plain(Attachment, tenant_id=tenant).list(title="typed"))[0].file
    assert typed.content_type == "application/pdf"
    assert typed.metadata == {"file_name": "Übersicht ✓.pdf"}


async def test_update_uploads_a_new_object_and_never_replaces_bytes(
    files: FileDb, tenant: UUID
) -> None:
    await files.create_all(Attachment)
    repo = files.repository(Attachment, tenant_id=tenant, actor="alice")
    a = await repo.create({"title": "a", "file": b"one"})
    same = await repo.create({"title": "b", "file": io.BytesIO(b"one")})
    assert same.file.key == a.file.key  # content-addressed: the same bytes, the same key
    b = await repo.update(a.id, file=b"two")
    assert b.file.key != a.file.key
    assert await files.read(a.file) == b"one"  # the old bytes are still there, unchanged
    assert await files.read(b.file) == b"two"
    assert sorted(await files.keys()) == sorted({a.file.key, b.file.key})
    cleared = await repo.update(a.id, file=None)
    assert cleared.file is None


async def test_a_given_ref_is_checked_before_the_row_is_written(
    files: FileDb, tenant: UUID
) -> None:
    await files.create_all(Attachment)
    repo = files.repository(Attachment, tenant_id=tenant, actor="alice")
    ref = await files.put(b"report", tenant_id=tenant, content_type="text/plain")
    made = await repo.create(Attachment(title="given", file=ref))
    assert made.file == ref
    assert (await repo.update(made.id, file=ref.model_dump())).file == ref  # a dict is a ref too
    lying = ref.model_copy(update={"sha256": digest(b"other")})
    with pytest.raises(ValidationError):
        await repo.create(Attachment(title="lying", file=lying))
    missing = ref.model_copy(update={"key": f"files/{tenant}/00/{'0' * 64}"})
    with pytest.raises(ObjectNotFoundError):
        await repo.create(Attachment(title="missing", file=missing))
    foreign = await files.put(b"theirs", tenant_id=uuid4())
    with pytest.raises(TenantViolation):
        await repo.create({"title": "foreign", "file": foreign})
    with pytest.raises(TenantViolation):
        await repo.update(made.id, file=foreign)
    assert [m.title for m in await repo.list()] == ["given"]
    assert (await repo.get(made.id)).file == ref


async def test_a_failed_upload_writes_no_row(files: FileDb, tenant: UUID) -> None:
    await files.create_all(Attachment)
    repo = files.repository(Attachment, tenant_id=tenant, actor="alice")

    def broken() -> Iterator[bytes]:
        yield b"half of it"
        raise OSError("the source broke")

    with pytest.raises(OSError, match="the source broke"):
        await repo.create({"title": "broken", "file": broken()})
    with pytest.raises(ValidationError):
        await repo.create({"title": "text", "file": "not bytes"})
    with pytest.raises(ValidationError, match="title"):  # the row is checked before the upload
        await repo.create({"title": ["not", "text"], "file": b"never stored"})
    made = await repo.create({"title": "ok"})
    with pytest.raises(ValidationError, match="title"):
        await repo.update(made.id, title=["no"], file=b"never stored either")
    assert await repo.count() == 1
    await repo.delete(made.id)
    assert await files.keys() == []


async def test_a_rolled_back_write_leaves_only_an_unreferenced_object(
    files: FileDb, tenant: UUID
) -> None:
    await files.create_all(Attachment)
    repo = files.repository(Attachment, tenant_id=tenant, actor="alice")

    async def rolled_back() -> None:
        async with files.db.transaction():
            await repo.create({"title": "gone", "file": b"orphan"})
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        await rolled_back()
    assert await repo.count() == 0
    (key,) = await files.keys()  # uploaded before the row: the bytes were there first
    report = await files.gc(older_than=dt.timedelta(0))
    assert report.garbage == [key]
    assert await files.keys() == []


async def test_scopes_choose_the_tenant_folder(files: FileDb, tenant: UUID) -> None:
    await files.create_all(Attachment, Shared)
    other = uuid4()
    wide = files.repository(Attachment, tenant_ids=[tenant, other], actor="alice")
    with pytest.raises(TenantViolation):
        await wide.create({"title": "nobody's", "file": b"x"})  # refused before any upload
    assert await files.keys() == []
    made = await wide.create({"title": "theirs", "file": b"x", "tenant_id": other})
    assert made.file.key.startswith(f"files/{other}/")
    moved = await wide.update(made.id, file=b"y")
    assert moved.file.key.startswith(f"files/{other}/")
    shared = files.repository(Shared, actor="alice")
    s = await shared.create({"title": "s", "file": b"z"})
    assert s.file.key.startswith("files/shared/")


def test_a_ref_whose_bytes_changed_fails_to_read() -> None:
    store = ObjectStore("memory://")
    files = Files(store)
    ref = files.put(b"original")
    store.put(ref.key, b"tampered")
    with pytest.raises(StorageError, match="does not hold the bytes"):
        files.read(ref)
    with pytest.raises(StorageError, match="does not hold the bytes"):
        list(files.stream(ref))
    # verify=False skips hashing the bytes again: same-size bytes pass, the size is still checked
    assert files.read(ref, verify=False) == b"tampered"
    assert b"".join(files.stream(ref, 3, verify=False)) == b"tampered"
    with ref.bind(store).open(verify=False) as f:
        assert f.read() == b"tampered"
    store.put(ref.key, b"cut")
    with pytest.raises(StorageError, match="3 bytes read, 8 recorded"):
        files.read(ref, verify=False)
    with pytest.raises(StorageError, match="3 bytes read, 8 recorded"):
        list(files.stream(ref, verify=False))


async def test_an_async_read_verifies_unless_told_not_to() -> None:
    from storied.storage import AsyncFiles, AsyncObjectStore

    store = AsyncObjectStore("memory://")
    files = AsyncFiles(store)
    ref = await files.put(b"original")
    assert await files.read(ref) == b"original"
    await store.put(ref.key, b"tampered")
    with pytest.raises(StorageError, match="sha256 differs: True"):
        await files.read(ref)
    with pytest.raises(StorageError, match="sha256 differs: True"):
        [chunk async for chunk in files.stream(ref)]
    assert await files.read(ref, verify=False) == b"tampered"
    assert [c async for c in files.stream(ref, 4, verify=False)] == [b"tamp", b"ered"]
    async with ref.bind(store).aopen(verify=False) as f:
        assert await f.read() == b"tampered"
    await store.put(ref.key, b"cut")
    with pytest.raises(StorageError, match="3 bytes read, 8 recorded"):
        await files.read(ref, verify=False)


def test_a_model_without_file_fields_is_refused() -> None:
    from tests.models import Product

    files = Files(ObjectStore("memory://"))
    with pytest.raises(ConfigurationError, match="no FileRef field"):
        files.repository(type("R", (), {"model": Product})())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Files(ObjectStore("memory://"), prefix="no-slash")


def test_fileref_refuses_what_is_not_a_ref() -> None:
    with pytest.raises(PydanticValidationError, match="greater than or equal to 0"):
        FileRef(key="k", size=-1, sha256=digest(b""))
    with pytest.raises(PydanticValidationError, match="pattern"):
        FileRef(key="k", size=0, sha256="not hex")
    assert Audited.model_fields["file"].annotation == FileRef | None


async def test_bulk_writes_upload_each_file(files: FileDb, tenant: UUID) -> None:
    await files.create_all(Audited)
    repo = files.repository(Audited, tenant_id=tenant, actor="alice")
    a, b = await repo.create_many([{"title": "a", "file": b"a1"}, {"title": "b"}])
    assert b.file is None
    updated = await repo.update_many({a.id: {"file": b"a2"}, b.id: {"file": iter([b"b1"])}})
    assert [await files.read(m.file) for m in updated] == [b"a2", b"b1"]
    upserted = await repo.upsert_many(
        [{"id": a.id, "title": "a", "file": b"a3"}, {"id": b.id, "title": "b", "file": b"c1"}]
    )
    assert [await files.read(m.file) for m in upserted] == [b"a3", b"c1"]
    old = [c.changes["file"][0] for c in await repo.history(a.id) if "file" in c.changes]
    assert [await files.read(r) for r in old if r is not None] == [b"a1", b"a2"]


def test_bytes_and_a_spool_are_recorded_with_the_hash_made_for_their_key(
    tmp_path: object,
) -> None:
    """Bytes and storied's own spool cannot change: local disk records the sha256 made for
    the key without hashing again (a caller's file: tests/files/test_changing_source.py)."""
    store = ObjectStore(f"file://{tmp_path}/store")
    files = Files(store)
    ref = files.put(b"first")
    assert store.head(ref.key).sha256 == hashlib.sha256(b"first").hexdigest()
    spooled = files.put(iter([b"fir", b"st"]))  # spooled by storied, then written
    assert (spooled.key, spooled.sha256) == (ref.key, ref.sha256)
    assert files.read(spooled) == b"first"
