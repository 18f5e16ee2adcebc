"""A caller's file that changes between storied's two reads never lands under its key.

``Files`` hashes an upload (its key names the sha256). A seekable file larger than the spool
limit (8 MiB) is then read again to write it; if it changed in between, the put fails with
StorageError and the object already under the key (which rows and history versions name) keeps
its bytes: on every store, sync and async (on S3 and Azure it goes up in parts). A smaller file
is read once, into memory, so a later change cannot reach the store.
"""

from __future__ import annotations

import hashlib
import io
from uuid import UUID

import pytest

from storied.errors import StorageError
from tests.files.conftest import FileDb
from tests.files.models import Attachment
from tests.files.test_file_fields import BIG


class ChangesAfterFirstRead(io.BytesIO):
    """A file that another writer rewrites as soon as it has been read to its end once: after
    storied hashed it for its key, before storied reads it again to upload it."""

    def __init__(self, first: bytes, then: bytes) -> None:
        super().__init__(first)
        self.then: bytes | None = then

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        if not chunk and size != 0 and self.then is not None:
            then, self.then = self.then, None
            self.seek(0)
            self.truncate()
            self.write(then)  # left at the end, as the reader was
        return chunk


LARGE = BIG + BIG[: 3 * 1024 * 1024]  # above the spool limit (8 MiB): read twice
CHANGES = {
    "same size": (LARGE, LARGE[:-1] + b"\x00"),
    "grown": (LARGE, LARGE + b"more"),
    "shrunk": (LARGE, LARGE[:-1]),
}


@pytest.mark.parametrize("change", list(CHANGES))
async def test_a_file_changed_after_hashing_never_replaces_the_object_under_its_key(
    files_everywhere: FileDb, tenant: UUID, change: str
) -> None:
    fs = files_everywhere
    first, then = CHANGES[change]
    await fs.create_all(Attachment)
    repo = fs.repository(Attachment, tenant_id=tenant, actor="alice")
    row = await repo.create({"title": "a", "file": first})
    kept = row.file
    assert kept is not None

    changing = ChangesAfterFirstRead(first, then)
    with pytest.raises(StorageError, match="changed while it was uploaded") as caught:
        await repo.update(row.id, file=changing)
    assert caught.value.key == kept.key  # the key of the bytes hashed first
    assert changing.then is None  # it did change between the two reads

    stored = b"".join(await fs.streamed(kept))  # checked against size and sha256 at its end
    assert hashlib.sha256(stored).hexdigest() == kept.sha256
    assert stored == first
    assert (await fs.head(kept.key)).sha256 == kept.sha256
    current = await repo.get(row.id)
    assert current.file == kept
    assert await fs.read(current.file) == first
    assert await fs.keys() == [kept.key]  # the changed bytes were placed nowhere


async def test_a_changed_file_fails_where_no_object_was_before(
    files_everywhere: FileDb, tenant: UUID
) -> None:
    fs = files_everywhere
    with pytest.raises(StorageError, match="changed while it was uploaded"):
        await fs.put(ChangesAfterFirstRead(*CHANGES["same size"]), tenant_id=tenant)
    assert await fs.keys() == []


async def test_a_small_file_is_read_once(files_everywhere: FileDb, tenant: UUID) -> None:
    fs = files_everywhere
    changing = ChangesAfterFirstRead(BIG, b"other")  # 5 MiB: within the spool limit
    ref = await fs.put(changing, tenant_id=tenant)
    assert changing.then is None  # it changed after storied read it, which did not matter
    assert ref.sha256 == hashlib.sha256(BIG).hexdigest()
    assert await fs.read(ref) == BIG
