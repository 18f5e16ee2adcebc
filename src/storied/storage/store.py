"""``ObjectStore``: the blocking object store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta

from ..errors import ObjectNotFoundError
from ._body import Source, buffer_of, iter_chunks, prepare
from ._drive import run, stream
from ._facade import DEFAULT_CHUNK, SPOOL_LIMIT, StoreBase
from ._info import ObjectEntry, ObjectInfo, PutResult
from ._keys import check_key


class ObjectStore(StoreBase):
    """Objects under keys, on local disk, in memory, on S3 or on Azure Blob, one API for all.

    Args:
        url: ``memory://``, ``file:///path``, ``s3://bucket/prefix?endpoint=…&region=…`` or
            ``az://container/prefix``. Constructing does no I/O.
        backend: an already configured backend instead of a URL.
        **options: backend options (credentials, timeouts, part sizes; see the docs).

    Every key is a relative ``/``-separated path (see ``storied.storage`` docs); metadata keys
    are normalised (lowercase, ``-`` as ``_``) and any text value round-trips.
    """

    def put(
        self,
        key: str,
        data: Source,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        create_only: bool = False,
        if_match: str | None = None,
    ) -> PutResult:
        """Store ``data`` (bytes, a binary file, or an iterable of bytes chunks) under ``key``.

        Large bodies stream (multipart above the threshold); storied records the sha256.
        ``create_only`` raises ObjectExistsError if the key exists; ``if_match`` replaces
        only the object with that etag, else PreconditionFailedError. Nothing is written
        when a check fails.
        """
        key, attributes, mode = self._put_args(key, metadata, content_type, create_only, if_match)
        if self.backend.wants_prepared:
            body = prepare(data, SPOOL_LIMIT)
            try:
                return run(
                    self.backend.put(key, body, attributes, mode, if_match), self.backend.translate
                )
            finally:
                body.close()
        chunks = iter_chunks(data)
        return run(
            self.backend.put(key, buffer_of(data), attributes, mode, if_match),
            self.backend.translate,
            chunks,
        )

    def get(self, key: str) -> bytes:
        """The object's bytes (ObjectNotFoundError if there is none)."""
        return run(self.backend.get(check_key(key)), self.backend.translate)

    def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> Iterator[bytes]:
        """The object's bytes in chunks of ``chunk_size`` (the last may be shorter).

        Lazy: the object is opened on the first ``next()``.
        """
        return stream(self._read_op(key, chunk_size), self.backend.translate)

    def head(self, key: str) -> ObjectInfo:
        """Size, etag, last modified, content type, sha256 and metadata of one object."""
        return run(self.backend.head(check_key(key)), self.backend.translate)

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectNotFoundError:
            return False
        return True

    def list(self, prefix: str = "") -> Iterator[ObjectEntry]:
        """Objects whose key starts with ``prefix``, in key order, fetched page by page."""
        return stream(self._list_op(prefix), self.backend.translate)

    def delete(self, key: str) -> None:
        """Delete the object; deleting a key that holds nothing is not an error."""
        run(self.backend.delete([check_key(key)]), self.backend.translate)

    def delete_many(self, keys: Iterable[str]) -> None:
        """Delete several objects (in batches where the service has them); missing ones pass."""
        checked = self._keys(keys)
        if checked:
            run(self.backend.delete(checked), self.backend.translate)

    def copy(self, source: str, target: str, *, overwrite: bool = True) -> None:
        """Copy an object with its metadata; ``overwrite=False`` refuses an existing target."""
        run(
            self.backend.copy(check_key(source), check_key(target), overwrite),
            self.backend.translate,
        )

    def rename(self, source: str, target: str, *, overwrite: bool = True) -> None:
        """Move an object (atomic on local disk; copy then delete on S3 and Azure)."""
        run(
            self.backend.rename(check_key(source), check_key(target), overwrite),
            self.backend.translate,
        )

    def presign_get(self, key: str, expires: timedelta = timedelta(hours=1)) -> str:
        """A URL that lets its holder GET the object until ``expires`` (S3 and Azure)."""
        return run(self._sign_op("GET", key, expires), self.backend.translate)

    def presign_put(self, key: str, expires: timedelta = timedelta(hours=1)) -> str:
        """A URL that lets its holder PUT an object (storied records no sha256 for it)."""
        return run(self._sign_op("PUT", key, expires), self.backend.translate)
