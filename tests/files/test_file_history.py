"""History follows files: audit rows and scd2 versions keep the FileRef they had, and its bytes.

On SQLite, PostgreSQL and MariaDB, sync and async, on every store.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from tests.files.conftest import FileDb
from tests.files.models import Audited, Versioned

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


async def test_audit_rows_keep_the_old_file(files_everywhere: FileDb, tenant: UUID) -> None:
    fs = files_everywhere
    await fs.create_all(Audited)
    repo = fs.repository(Audited, tenant_id=tenant, actor="alice")
    first = await repo.create({"title": "contract", "file": b"draft"})
    second = await repo.update(first.id, file=b"signed")
    history = await repo.history(first.id)
    assert [c.operation for c in history] == ["create", "update"]
    assert history[0].changes["file"] == (None, first.file)
    assert history[1].changes["file"] == (first.file, second.file)
    changes = await repo.field_history(first.id, "file")
    assert [(c.old, c.new) for c in changes] == [(None, first.file), (first.file, second.file)]
    assert await fs.read(history[1].changes["file"][0]) == b"draft"
    assert await fs.read((await repo.get(first.id)).file) == b"signed"


async def test_as_of_and_revert_bring_the_old_bytes_back(
    files_everywhere: FileDb, tenant: UUID
) -> None:
    fs = files_everywhere
    fs.db.clock.set(T0)
    await fs.create_all(Versioned)
    repo = fs.repository(Versioned, tenant_id=tenant, actor="alice")
    v1 = await repo.create({"title": "plan", "file": b"version one"})
    fs.db.clock.advance(seconds=10)
    v2 = await repo.update(v1.id, file=b"version two")
    fs.db.clock.advance(seconds=10)
    await repo.update(v1.id, title="plan (renamed)")  # a version that keeps the file
    assert (await repo.get(v1.id, as_of=T0 + dt.timedelta(seconds=5))).file == v1.file
    assert (await repo.get(v1.id, as_of=T0 + dt.timedelta(seconds=15))).file == v2.file
    then = await repo.get(v1.id, as_of=T0 + dt.timedelta(seconds=5))
    assert b"".join(await fs.streamed(then.file, 4)) == b"version one"
    versions = await repo.versions(v1.id)
    assert [v.model.file for v in versions] == [v1.file, v2.file, v2.file]
    assert (await repo.compare_versions(v1.id, 1, 2))["file"] == (v1.file, v2.file)

    before = {k: (await fs.head(k)).etag for k in await fs.keys()}
    fs.db.clock.advance(seconds=10)
    reverted = await repo.revert(v1.id, to_version=1)
    assert reverted.file == v1.file
    assert reverted.version == 4
    after = {k: (await fs.head(k)).etag for k in await fs.keys()}
    assert after == before  # no upload, no copy: the version points at the bytes it had
    assert await fs.read((await repo.get(v1.id)).file) == b"version one"


async def test_soft_delete_and_restore_keep_the_file(files: FileDb, tenant: UUID) -> None:
    await files.create_all(Audited)
    repo = files.repository(Audited, tenant_id=tenant, actor="alice")
    made = await repo.create({"title": "kept", "file": b"bytes"})
    await repo.delete(made.id)
    restored = await repo.restore(made.id)
    assert restored.file == made.file
    assert await files.read(restored.file) == b"bytes"
