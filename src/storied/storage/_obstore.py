"""The backend for stores that obstore reaches (S3, Azure Blob): each operation written once.

obstore has a sync and an async function for each verb (``put``/``put_async`` …); every
:class:`Call` here carries both, and the drivers in ``_drive`` pick one. What obstore does
differently per service is normalised here: a delete of a missing key is silent (Azure raises),
attributes are read with a head-only GET (``head()`` returns none), listing prefixes match
strings rather than path segments, and a create-only copy works where the service has none.
Memory: an async multipart upload runs obstore's sync upload in a worker thread and every
multipart upload trims malloc after (see :func:`_aput`), so a 200 MB round trip grows RSS by
about 34 MiB whether sync or async, loaded or idle; cancelling the task aborts the upload.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

import obstore as obs

from ..errors import ObjectExistsError, ObjectNotFoundError
from ._body import Prepared
from ._cancel import Cancellable
from ._drive import Call, Emit, Op, settled
from ._info import ObjectEntry, ObjectInfo, PutResult
from ._metadata import SHA256_KEY, from_attributes
from ._translate import translate
from ._trim import release_freed_memory
from ._verify import Verified, source_changed

PAGE = 1000


def _next(stream: Any) -> Any:
    return next(stream, None)


async def _anext(stream: Any) -> Any:
    return await anext(stream, None)


#: above this size a ``get`` collects the body chunk by chunk (see :func:`_collect`)
COLLECT_ABOVE = 32 * 1024 * 1024
#: chunks it asks obstore for then: small enough that freed ones are reused (warm memory),
#: large enough that the Python loop over them costs nothing (100 per 100 MB)
GET_CHUNK = 1024 * 1024


def _collect(result: Any) -> bytes:
    """A large body as ``bytes``: each chunk written into a ``BytesIO`` as it arrives.

    ``bytes(result.bytes())`` copies obstore's joined buffer into new memory; above glibc's
    largest mmap threshold (32 MiB) that memory is always fresh pages, faulted in one by one:
    a 100 MB download on moto took 157 ms of CPU that way against 97 for obstore's own buffer,
    and 123 this way (the ``BytesIO`` grows in place and ``getvalue()`` hands its buffer over
    without a copy). Smaller bodies reuse warm memory, and each chunk of a stream costs more
    than the copy saves (4 MB: 4.0 ms of CPU copied, 6.6 collected), so they are copied.
    """
    if result.meta["size"] <= COLLECT_ABOVE:
        return bytes(result.bytes())
    buffer = io.BytesIO()
    for chunk in result.stream(min_chunk_size=GET_CHUNK):
        buffer.write(chunk)
    return buffer.getvalue()


async def _acollect(result: Any) -> bytes:
    if result.meta["size"] <= COLLECT_ABOVE:
        return bytes(await result.bytes_async())
    buffer = io.BytesIO()
    async for chunk in result.stream(min_chunk_size=GET_CHUNK):
        buffer.write(chunk)
    return buffer.getvalue()


def _put(store: Any, key: str, data: Any, **kwargs: Any) -> Any:
    """obstore's put; a multipart upload gives the memory its parts held back to the OS."""
    try:
        return obs.put(store, key, data, **kwargs)
    finally:
        if kwargs.get("use_multipart"):
            release_freed_memory()


async def _aput(store: Any, key: str, data: Any, **kwargs: Any) -> Any:
    """A multipart upload runs the sync :func:`_put` in a worker thread; others put_async.

    Measured (tests/storage/test_memory.py, moto, 4 parts of 5 MiB in flight, two busy loops
    on the two cores): obstore's async upload reads its body on the runtime's threads, so the
    part buffers land in several malloc arenas that each keep their high-water mark, and RSS
    grew 29-44 MiB from run to run (57-60 MiB in loaded test runs); the sync upload reads it
    on one thread and stayed at 34 MiB in every run. The body is always a buffer or a file
    (``Prepared``), so the thread needs nothing from the event loop.

    Cancelling the awaiting task stops the upload: the thread reads the body through a
    :class:`Cancellable`, whose next read then fails, so obstore aborts the multipart upload
    (S3 drops its parts; Azure never commits the block list), and the task waits for the
    thread to return before it sees ``CancelledError``. Nothing is left visible or running.
    """
    if not kwargs.get("use_multipart"):
        return await obs.put_async(store, key, data, **kwargs)
    body = Cancellable(data)
    work = asyncio.ensure_future(asyncio.to_thread(_put, store, key, body, **kwargs))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        body.cancel()
        await settled(work)
        raise


def quoted(etag: str | None) -> str | None:
    """Etags in their HTTP form: Azure lists them bare but answers HEAD with quotes."""
    if etag is None or etag.startswith(('"', 'W/"')):
        return etag
    return f'"{etag}"'


def _entry(meta: Any) -> ObjectEntry:
    return ObjectEntry(meta["path"], meta["size"], quoted(meta["e_tag"]), meta["last_modified"])


class ObstoreBackend:
    """One obstore store (``S3Store``/``AzureStore``) behind storied's operations.

    Args:
        store: the obstore store, already configured.
        name: what reprs and messages call it (a URL without credentials).
        part_size: multipart part size; objects larger than ``multipart_threshold`` upload in
            parts of this size, ``max_concurrency`` at a time. Memory in flight is about
            ``(max_concurrency + 1) * part_size`` (the parts uploading and the one filling;
            26 MiB measured for the defaults, 5 MiB and 4); a 200 MB streamed upload and
            download grow RSS by about 34 MiB with them, sync or async.
        atomic_create_copy: the service refuses a copy onto an existing key by itself (Azure);
            otherwise a create-only copy checks first (S3 has no such precondition).
    """

    signs = True
    wants_prepared = True

    def __init__(
        self,
        store: Any,
        *,
        name: str,
        part_size: int = 5 * 1024 * 1024,
        multipart_threshold: int = 10 * 1024 * 1024,
        max_concurrency: int = 4,
        atomic_create_copy: bool,
    ) -> None:
        self.store = store
        self.name = name
        self.part_size = part_size
        self.multipart_threshold = multipart_threshold
        self.max_concurrency = max_concurrency
        self.atomic_create_copy = atomic_create_copy

    def translate(self, exc: BaseException, call: Call | None) -> BaseException:
        return translate(exc, call, self.name)

    def _call(self, verb: str, action: str, key: str | None, *args: Any, **kw: Any) -> Call:
        fn = getattr(obs, verb)
        afn = getattr(obs, f"{verb}_async")
        return Call(fn, (self.store, *args), kw, afn, action, key)

    def put(
        self,
        key: str,
        body: Prepared,
        attributes: dict[str, str],
        mode: str,
        if_match: str | None,
        sha256: str | None = None,  # a Prepared carries its own, and whether it is fixed
        fixed: bool = False,
    ) -> Op[PutResult]:
        conditional: Any = "create" if mode == "create" else None
        if if_match is not None:
            conditional = {"e_tag": if_match}
        kwargs: dict[str, Any] = {
            "attributes": {**attributes, SHA256_KEY: body.sha256},
            "chunk_size": self.part_size,
            "max_concurrency": self.max_concurrency,
        }
        if conditional is not None:
            # obstore writes conditional puts in one request (the body is then buffered)
            kwargs["mode"] = conditional
        else:
            kwargs["use_multipart"] = body.size > self.multipart_threshold
        # bytes that might change since they were hashed are hashed again as obstore reads
        # them, and its last read fails if they differ: then nothing is placed (see _verify)
        data: Any = body.data
        if not body.fixed:
            data = Verified(body.data, body.size, body.sha256)
        try:
            result = yield Call(_put, (self.store, key, data), kwargs, _aput, "put", key)
        except Exception:
            if isinstance(data, Verified) and data.changed:
                raise source_changed(key) from None
            raise
        return PutResult(key, quoted(result["e_tag"]), body.size, body.sha256)

    def get(self, key: str) -> Op[bytes]:
        result = yield self._call("get", "get", key, key)
        data = yield Call(_collect, (result,), {}, _acollect, "get", key)
        return data  # type: ignore[no-any-return]

    def read(self, key: str, chunk_size: int) -> Op[None]:
        result = yield self._call("get", "get", key, key)
        chunks = result.stream(min_chunk_size=chunk_size)
        while (chunk := (yield Call(_next, (chunks,), {}, _anext, "read", key))) is not None:
            yield Emit(chunk)

    def head(self, key: str) -> Op[ObjectInfo]:
        result = yield self._call("get", "head", key, key, options={"head": True})
        meta = result.meta
        content_type, sha256, metadata = from_attributes(result.attributes)
        return ObjectInfo(
            key,
            meta["size"],
            quoted(meta["e_tag"]),
            meta["last_modified"],
            content_type,
            sha256,
            metadata,
        )

    def list(self, prefix: str) -> Op[None]:
        # obstore matches prefixes by whole path segment: list the folder, filter by string
        folder = prefix if prefix.endswith("/") else prefix.rpartition("/")[0]
        pages = obs.list(self.store, folder.rstrip("/") or None, chunk_size=PAGE)
        while (page := (yield Call(_next, (pages,), {}, _anext, "list", prefix))) is not None:
            for meta in page:
                if meta["path"].startswith(prefix):
                    yield Emit(_entry(meta))

    def delete(self, keys: Sequence[str]) -> Op[None]:
        try:
            yield self._call("delete", "delete", keys[0], list(keys))
        except ObjectNotFoundError:
            # Azure refuses a batch naming a missing blob; S3 and local disk are silent, and so
            # is storied: delete each key alone and let a missing one pass
            for key in keys:
                with contextlib.suppress(ObjectNotFoundError):
                    yield self._call("delete", "delete", key, key)

    def copy(self, source: str, target: str, overwrite: bool) -> Op[None]:
        if overwrite or self.atomic_create_copy:
            yield self._call("copy", "copy", source, source, target, overwrite=overwrite)
            return
        exists = yield from self._exists(target)
        if exists:
            raise ObjectExistsError(target)
        yield self._call("copy", "copy", source, source, target, overwrite=True)

    def _exists(self, key: str) -> Op[bool]:
        try:
            yield self._call("head", "head", key, key)
        except ObjectNotFoundError:
            return False
        return True

    def rename(self, source: str, target: str, overwrite: bool) -> Op[None]:
        yield from self.copy(source, target, overwrite)
        yield from self.delete([source])

    def sign(self, method: Literal["GET", "PUT"], key: str, expires: timedelta) -> Op[str]:
        url = yield self._call("sign", "sign", key, method, key, expires)
        return str(url)

    def __repr__(self) -> str:
        return f"ObstoreBackend({self.name!r})"
