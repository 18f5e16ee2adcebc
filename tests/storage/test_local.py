"""What only the local store can get wrong: symlinks, attached metadata and sidecars, leftovers,
its own folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storied import InvalidKeyError
from storied.storage import ObjectStore


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def local(root: Path) -> ObjectStore:
    return ObjectStore(f"file://{root}")


def test_symlinks_leading_outside_are_refused(
    local: ObjectStore, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"not yours")
    local.put("seed", b"x")
    (root / "escape").symlink_to(outside)
    (root / "file-link").symlink_to(outside / "secret")
    for key in ("escape/secret", "file-link", "escape/new"):
        with pytest.raises(InvalidKeyError):
            local.get(key)
        with pytest.raises(InvalidKeyError):
            local.put(key, b"overwrite")
        with pytest.raises(InvalidKeyError):
            local.delete(key)
    assert (outside / "secret").read_bytes() == b"not yours"
    assert not (outside / "new").exists()
    assert [e.key for e in local.list()] == ["seed"]  # symlinks are not objects


BIG_METADATA = {"note": "x" * 6000}  # more than ext4 keeps in extended attributes (~4 KB)


def test_objects_are_plain_files_with_their_metadata_attached(
    local: ObjectStore, root: Path
) -> None:
    local.put("docs/a.txt", b"plain", metadata={"who": "Zoë"})
    assert (root / "docs" / "a.txt").read_bytes() == b"plain"
    attached = json.loads(os.getxattr(root / "docs" / "a.txt", "user.storied"))
    assert attached["storied_sha256"] == local.head("docs/a.txt").sha256
    assert not (root / ".storied" / "meta" / "docs" / "a.txt.json").exists()  # one file
    assert not list((root / ".storied" / "tmp").iterdir())  # no temporary file left


def test_metadata_too_large_to_attach_goes_to_a_sidecar(local: ObjectStore, root: Path) -> None:
    local.put("docs/a.txt", b"big", metadata=BIG_METADATA)
    sidecar_path = root / ".storied" / "meta" / "docs" / "a.txt.json"
    sidecar = json.loads(sidecar_path.read_text())
    assert sidecar["ino"] == os.stat(root / "docs" / "a.txt").st_ino
    assert local.head("docs/a.txt").metadata == BIG_METADATA
    local.rename("docs/a.txt", "docs/b.txt")
    assert local.head("docs/b.txt").metadata == BIG_METADATA
    local.put("docs/b.txt", b"small", metadata={"v": "2"})  # attached again: the sidecar goes
    assert not (root / ".storied" / "meta" / "docs" / "b.txt.json").exists()
    assert local.head("docs/b.txt").metadata == {"v": "2"}
    local.put("docs/c.txt", b"big", metadata=BIG_METADATA)
    local.put("docs/d.txt", b"attached", metadata={"v": "d"})
    local.rename("docs/d.txt", "docs/c.txt")  # the target's old sidecar must not outlive it
    assert not (root / ".storied" / "meta" / "docs" / "c.txt.json").exists()
    assert local.head("docs/c.txt").metadata == {"v": "d"}


def test_without_extended_attributes_metadata_is_a_sidecar(
    local: ObjectStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storied.storage import _localfs

    monkeypatch.setattr(_localfs, "HAS_XATTR", False)  # a filesystem or OS without them
    local.put("docs/a.txt", b"plain", metadata={"who": "Zoë"})
    sidecar = json.loads((root / ".storied" / "meta" / "docs" / "a.txt.json").read_text())
    assert sidecar["ino"] == os.stat(root / "docs" / "a.txt").st_ino
    assert local.head("docs/a.txt").metadata == {"who": "Zoë"}


def test_a_stale_sidecar_is_ignored(local: ObjectStore, root: Path) -> None:
    local.put("k", b"old", metadata=BIG_METADATA)
    # a crash between the two renames: new bytes in place, the sidecar of the old ones
    (root / "k").unlink()
    (root / "k").write_bytes(b"new bytes")
    info = local.head("k")
    assert (info.metadata, info.sha256, info.size) == ({}, None, 9)


def test_a_failed_write_leaves_nothing(local: ObjectStore, root: Path) -> None:
    local.put("k", b"before")

    def broken():  # type: ignore[no-untyped-def]
        yield b"partial"
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        local.put("k", broken())
    assert local.get("k") == b"before"
    assert not list((root / ".storied" / "tmp").iterdir())


def test_a_failed_background_flush_fails_the_put(
    local: ObjectStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large object's bytes start for the disk while it is written (a background
    fdatasync); the kernel reports a writeback error once, to that call, so its error must
    fail the put: the final fsync would not see it again. (No disk here fails on demand: the
    flush is made to fail as an EIO would.)"""
    from storied import StorageError
    from storied.storage import _writer

    local.put("k", b"before")
    real = os.fdatasync

    def failing(fd: int) -> None:
        real(fd)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdatasync", failing)
    with pytest.raises(StorageError, match="Input/output error"):
        local.put("k", bytes(2 * _writer.FLUSH_EVERY + 1))
    assert local.get("k") == b"before"
    assert not list((root / ".storied" / "tmp").iterdir())
    monkeypatch.setattr(os, "fdatasync", real)
    local.put("k", bytes(2 * _writer.FLUSH_EVERY + 1))
    assert local.head("k").size == 2 * _writer.FLUSH_EVERY + 1


def test_delete_prunes_empty_folders(local: ObjectStore, root: Path) -> None:
    local.put("a/b/c/d", b"x")
    local.delete("a/b/c/d")
    assert sorted(p.name for p in root.iterdir()) == [".storied"]
    assert list(local.list()) == []


def test_a_key_cannot_be_an_object_and_a_folder(local: ObjectStore) -> None:
    from storied import StorageError

    local.put("a/b", b"x")
    with pytest.raises(StorageError):
        local.put("a", b"y")
    assert local.get("a/b") == b"x"
    assert not local.exists("a")


def test_constructing_does_no_io(root: Path) -> None:
    ObjectStore(f"file://{root}")
    assert not root.exists()
    with pytest.raises(InvalidKeyError):
        ObjectStore(f"file://{root}").put(".storied/locks/00", b"x")
