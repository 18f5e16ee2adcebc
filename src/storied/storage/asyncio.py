"""``AsyncObjectStore``: the same store, awaited."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import timedelta

from ..errors import ObjectNotFoundError
from ._body import AsyncSource, aiter_chunks, aprepare, buffer_of
from ._drive import arun, astream
from ._facade import DEFAULT_CHUNK, SPOOL_LIMIT, StoreBase
from ._info import ObjectEntry, ObjectInfo, PutResult
from ._keys import check_key


class AsyncObjectStore(StoreBase):
    """:class:`~storied.storage.ObjectStore` with every call awaited.

    ``put`` also takes an async iterator of chunks; ``stream`` and ``list`` are async
    iterators. Local-disk I/O runs in worker threads; S3 and Azure use obstore's async calls.
    """

    async def put(
        self,
        key: str,
        data: AsyncSource,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        create_only: bool = False,
        if_match: str | None = None,
    ) -> PutResult:
        """See :meth:`ObjectStore.put`."""
        key, attributes, mode = self._put_args(key, metadata, content_type, create_only, if_match)
        if self.backend.wants_prepared:
            body = await aprepare(data, SPOOL_LIMIT)
            try:
                return await arun(
                    self.backend.put(key, body, attributes, mode, if_match), self.backend.translate
                )
            finally:
                body.close()
        chunks = aiter_chunks(data)
        return await arun(
            self.backend.put(key, buffer_of(data), attributes, mode, if_match),
            self.backend.translate,
            chunks,
        )

    async def get(self, key: str) -> bytes:
        return await arun(self.backend.get(check_key(key)), self.backend.translate)

    def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> AsyncIterator[bytes]:
        """The object's bytes in chunks of ``chunk_size``, as an async iterator."""
        return astream(self._read_op(key, chunk_size), self.backend.translate)

    async def head(self, key: str) -> ObjectInfo:
        return await arun(self.backend.head(check_key(key)), self.backend.translate)

    async def exists(self, key: str) -> bool:
        try:
            await self.head(key)
        except ObjectNotFoundError:
            return False
        return True

    def list(self, prefix: str = "") -> AsyncIterator[ObjectEntry]:
        """Objects whose key starts with ``prefix``, in key order, as an async iterator."""
        return astream(self._list_op(prefix), self.backend.translate)

    async def delete(self, key: str) -> None:
        await arun(self.backend.delete([check_key(key)]), self.backend.translate)

    async def delete_many(self, keys: Iterable[str]) -> None:
        checked = self._keys(keys)
        if checked:
            await arun(self.backend.delete(checked), self.backend.translate)

    async def copy(self, source: str, target: str, *, overwrite: bool = True) -> None:
        await arun(
            self.backend.copy(check_key(source), check_key(target), overwrite),
            self.backend.translate,
        )

    async def rename(self, source: str, target: str, *, overwrite: bool = True) -> None:
        await arun(
            self.backend.rename(check_key(source), check_key(target), overwrite),
            self.backend.translate,
        )

    async def presign_get(self, key: str, expires: timedelta = timedelta(hours=1)) -> str:
        return await arun(self._sign_op("GET", key, expires), self.backend.translate)

    async def presign_put(self, key: str, expires: timedelta = timedelta(hours=1)) -> str:
        return await arun(self._sign_op("PUT", key, expires), self.backend.translate)
