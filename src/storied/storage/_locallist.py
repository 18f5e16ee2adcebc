"""Listing a local store: its files under a prefix, lazily, in the byte order S3 and Azure use."""

from __future__ import annotations

import os
import stat

from ._drive import Call, Emit, Op
from ._info import ObjectEntry
from ._localfs import Layout, etag_of, modified


def walk(layout: Layout, prefix: str) -> Op[None]:
    """Emit an ``ObjectEntry`` for each object whose key starts with ``prefix``, one folder
    read at a time (in a worker thread, for the async store)."""
    # folders sort as "name/" so the walk yields keys in the byte order S3 and Azure use
    folder = prefix if prefix.endswith("/") else prefix.rpartition("/")[0]
    start = os.path.join(layout.root, *[p for p in folder.split("/") if p])
    entries = yield Call(_scan, (start, start == layout.root), {}, None, "list", prefix)
    stack = [(iter(entries), start, folder.rstrip("/"))]
    while stack:
        items, path, base = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        name, is_dir, info = item
        key = f"{base}/{name}" if base else name
        if not is_dir:
            if key.startswith(prefix):
                yield Emit(ObjectEntry(key, info.st_size, etag_of(info), modified(info)))
        elif (key + "/").startswith(prefix) or prefix.startswith(key + "/"):
            inner = os.path.join(path, name)
            entries = yield Call(_scan, (inner, False), {}, None, "list", prefix)
            stack.append((iter(entries), inner, key))


def _scan(path: str, at_root: bool) -> list[tuple[str, bool, os.stat_result]]:
    """A folder's objects and subfolders in key order (no symlinks, not storied's own)."""
    try:
        with os.scandir(path) as it:
            entries = [
                (e.name, e.is_dir(follow_symlinks=False), e.stat(follow_symlinks=False))
                for e in it
                if not (at_root and e.name == ".storied")
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    entries = [e for e in entries if e[1] or stat.S_ISREG(e[2].st_mode)]
    entries.sort(key=lambda e: (e[0] + "/" if e[1] else e[0]).encode("utf-8", "surrogateescape"))
    return entries
