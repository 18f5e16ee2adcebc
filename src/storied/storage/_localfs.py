"""The file-level parts of the local store: safe paths, striped locks, atomic writers, sidecars.

Layout under the root: the object's bytes at ``<root>/<key>``, temporary files in
``<root>/.storied/tmp``, and 64 lock files in ``<root>/.storied/locks``. Metadata lives in the
file's own extended attribute ``user.storied`` where the filesystem has them (ext4, XFS, btrfs,
tmpfs): bytes and metadata are then one file, made durable by one fsync and put in place by one
rename. Where it has none, or the metadata does not fit (ext4 allows about 4 KB), it goes to a
sidecar ``<root>/.storied/meta/<key>.json``: under the key's lock the sidecar is renamed into
place, then the bytes, and readers read both under the shared lock, so they see one write's
bytes with that write's metadata. A sidecar records the inode of the bytes it describes: a
crash between the two renames leaves a sidecar that no longer matches, and it is ignored.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from ..errors import InvalidKeyError, ObjectNotFoundError, StorageError

STRIPES = 64
XATTR = "user.storied"
HAS_XATTR = hasattr(os, "setxattr")


def etag_of(info: os.stat_result) -> str:
    return f'"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"'


def modified(info: os.stat_result) -> datetime:
    return datetime.fromtimestamp(info.st_mtime_ns / 1e9, UTC)


class Layout:
    """Paths of one local store; every path that comes from a key is checked here."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.private = os.path.join(self.root, ".storied")
        self.tmp = os.path.join(self.private, "tmp")
        self.meta = os.path.join(self.private, "meta")
        self.locks = os.path.join(self.private, "locks")

    def data(self, key: str) -> str:
        path = os.path.join(self.root, *key.split("/"))
        real = os.path.realpath(path)
        inside = real != self.root and os.path.commonpath([real, self.root]) == self.root
        if inside and not real.startswith(self.private + os.sep):
            return path
        raise InvalidKeyError(f"object key {key!r} leads outside the store's folder", key=key)

    def sidecar(self, key: str) -> str:
        return os.path.join(self.meta, *key.split("/")) + ".json"

    @contextlib.contextmanager
    def locked(self, *keys: str, shared: bool = False) -> Iterator[None]:
        """Hold the stripe locks of ``keys`` (in stripe order, so two holders never deadlock)."""
        stripes = sorted(
            {
                int(hashlib.blake2b(k.encode(), digest_size=2).hexdigest(), 16) % STRIPES
                for k in keys
            }
        )
        fds = []
        try:
            for stripe in stripes:
                fd = self._lock_file(stripe)
                fds.append(fd)
                fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            for fd in fds:
                os.close(fd)  # closing releases the flock

    def _lock_file(self, stripe: int) -> int:
        path = os.path.join(self.locks, f"{stripe:02d}")
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:
            os.makedirs(self.locks, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def temp_file(self) -> tuple[str, int]:
        """A new temporary file, open for writing (its folder made on the first write)."""
        path = os.path.join(self.tmp, uuid.uuid4().hex)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            return path, os.open(path, flags, 0o644)
        except FileNotFoundError:
            os.makedirs(self.tmp, exist_ok=True)
            return path, os.open(path, flags, 0o644)

    def open_data(self, key: str) -> int:
        """A read-only descriptor on the object's bytes; no symlink at the last step."""
        try:
            fd = os.open(self.data(key), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ObjectNotFoundError(key) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InvalidKeyError(f"object key {key!r} is a symlink", key=key) from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder of other keys, not an object
            os.close(fd)
            raise ObjectNotFoundError(key)
        return fd

    def read_sidecar(self, key: str, info: os.stat_result) -> dict[str, str]:
        try:
            with open(self.sidecar(key), "rb") as file:
                record = json.load(file)
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return {}
        if record.get("ino") != info.st_ino or record.get("size") != info.st_size:
            return {}  # left by a write that crashed between its two renames
        return dict(record.get("attributes", {}))

    def read_attributes(self, key: str, fd: int, info: os.stat_result) -> dict[str, str]:
        """The object's metadata: its extended attribute, else its sidecar."""
        if HAS_XATTR:
            try:
                return dict(json.loads(os.getxattr(fd, XATTR)))
            except OSError:
                pass  # none on this file (written with a sidecar) or none on this filesystem
            except ValueError:
                return {}
        return self.read_sidecar(key, info)

    def write_sidecar(self, key: str, attributes: dict[str, str], info: os.stat_result) -> str:
        record = {"ino": info.st_ino, "size": info.st_size, "attributes": attributes}
        temp, fd = self.temp_file()
        try:
            os.write(fd, json.dumps(record, ensure_ascii=True).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        return temp

    def place(self, temp: str, final: str) -> None:
        """Rename into place, making parent folders (and again if a delete pruned them)."""
        for attempt in range(5):
            try:
                if attempt:  # the folder is usually there: make it only when it was not
                    os.makedirs(os.path.dirname(final), exist_ok=True)
                os.replace(temp, final)
                return
            except FileNotFoundError:
                continue
            except (IsADirectoryError, NotADirectoryError, FileExistsError) as exc:
                raise StorageError(
                    "local store: a key cannot be both an object and a folder of other objects",
                ) from exc
        raise StorageError("local store: the folder kept disappearing during a write")

    def prune(self, path: str, stop: str) -> None:
        """Remove now-empty parent folders of ``path`` up to (not including) ``stop``."""
        folder = os.path.dirname(path)
        while folder != stop and folder.startswith(stop + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                return
            folder = os.path.dirname(folder)
