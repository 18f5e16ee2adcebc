"""How a repository runs its operations and hooks: the only code that differs between the
sync and the async facade. ``sync.py`` builds on :class:`SyncIO`; ``asyncio.py`` is generated
from it (``scripts/unasync.py``) and builds on :class:`AsyncIO`."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, TypeVar

from .. import reads
from ..query.bound import AsyncQuery, SyncQuery
from .base import RepositoryBase, keyset_pages

if TYPE_CHECKING:
    from ..ops.requests import Operation
    from ..query.query import Query
    from .hooks import Hook
    from .host import AsyncHost, SyncHost

M = TypeVar("M", bound="Any")


class SyncIO(RepositoryBase[M]):
    db: SyncHost

    def _run(self, op: Operation[Any]) -> Any:
        return self.db._sync_executor().run(op, self.mapped)

    def _hooked(self, *names: Hook) -> AbstractContextManager[Any]:
        """The write's transaction when the model has hooks for it; nothing extra otherwise."""
        if self.db.hooks.any_for(self.model, *names):
            return self.db.transaction()
        return nullcontext()

    def _call(self, name: Hook, items: Sequence[Any]) -> bool:
        """Run the hooks called ``name`` once per item (a tuple item is spread as arguments)."""
        hooks = self.db.hooks.get(name, self.model)
        for fn in hooks:
            for item in items:
                fn(self, *item) if isinstance(item, tuple) else fn(self, item)
        return bool(hooks)

    def query(self) -> SyncQuery[M]:
        """A new query over this repository's visible rows."""
        return SyncQuery(runner=self)

    def _run_query(self, query: Query[Any], mode: str) -> Any:
        return self._run(reads.run_query(self.db.registry, self.mapped, self.scope, query, mode))

    def _iterate(self, query: Query[Any], batch_size: int) -> Iterator[Any]:
        page = keyset_pages(query, batch_size)
        rows = self._run_query(next(page), "rows")
        while True:
            yield from rows
            if len(rows) < batch_size:
                return
            rows = self._run_query(page.send(rows[-1]), "rows")


class AsyncIO(RepositoryBase[M]):
    db: AsyncHost

    async def _run(self, op: Operation[Any]) -> Any:
        return await self.db._async_executor().run(op, self.mapped)

    def _hooked(self, *names: Hook) -> AbstractAsyncContextManager[Any]:
        if self.db.hooks.any_for(self.model, *names):
            return self.db.transaction()
        return nullcontext()

    async def _call(self, name: Hook, items: Sequence[Any]) -> bool:
        """Run (and await) the hooks called ``name`` once per item."""
        hooks = self.db.hooks.get(name, self.model)
        for fn in hooks:
            for item in items:
                result = fn(self, *item) if isinstance(item, tuple) else fn(self, item)
                if inspect.isawaitable(result):
                    await result
        return bool(hooks)

    def query(self) -> AsyncQuery[M]:
        """A new query over this repository's visible rows; its terminal methods are awaited."""
        return AsyncQuery(runner=self)

    def _run_query(self, query: Query[Any], mode: str) -> Any:
        return self._run(reads.run_query(self.db.registry, self.mapped, self.scope, query, mode))

    async def _iterate(self, query: Query[Any], batch_size: int) -> AsyncIterator[Any]:
        page = keyset_pages(query, batch_size)
        rows = await self._run_query(next(page), "rows")
        while True:
            for row in rows:
                yield row
            if len(rows) < batch_size:
                return
            rows = await self._run_query(page.send(rows[-1]), "rows")
