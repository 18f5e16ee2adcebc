"""``db.changes``: the resumable change feed's facade (``temporal/feed.py`` does the reading).

What a read asks for is checked and turned into one operation here, once for both twins;
``ChangeFeed`` runs it on the sync executor, ``AsyncChangeFeed`` awaits it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..ops.requests import Operation
from ..temporal.feed import ChangePage, Source, read_feed
from ..temporal.feed_cursor import decode_cursor
from ..tenancy.scope import make_scope
from .ambient import ambient_for

if TYPE_CHECKING:
    from ..models.base import Model
    from .async_database import AsyncDatabase
    from .database import Database

#: the most changes one read hands out
MAX_LIMIT = 10_000


def feed_operation(
    db: Database | AsyncDatabase,
    after: str | None,
    limit: int,
    models: Iterable[type[Model]] | None,
    tenant_id: Any,
    tenant_ids: Iterable[Any] | None,
    unscoped: bool,
) -> Operation[ChangePage]:
    """The operation of one read; every argument is checked here, before any I/O."""
    state = decode_cursor(after)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ConfigurationError(f"limit must be an int from 1 to {MAX_LIMIT}")
    executor = db._running()
    if ambient_for(executor) is not None:
        raise ConfigurationError(
            "db.changes.read runs outside db.transaction(): inside one it would see only that "
            "transaction's snapshot, and its lock would last until the block ends"
        )
    scoped = tenant_id is not None or tenant_ids is not None
    if not scoped and not unscoped:
        raise ConfigurationError(
            "db.changes.read needs a scope: tenant_id=…, tenant_ids=[…] or unscoped=True (admin)"
        )
    named = models is not None
    chosen = list(models) if models is not None else list(db.registry)
    sources: list[Source] = []
    for model in chosen:
        mapped = db.registry.mapped(model)
        spec = mapped.spec
        if spec.options.history == "none":
            if named:
                raise ConfigurationError(
                    f"{spec.name} keeps no history (history='none'), so it has no change feed"
                )
            continue
        if not spec.options.tenant:
            if scoped and not named:
                continue  # a tenant's feed holds tenant data; name the model to add it
            scope = make_scope(spec)
        else:
            scope = make_scope(spec, tenant_id=tenant_id, tenant_ids=tenant_ids, unscoped=unscoped)
        sources.append(Source(mapped, scope))
    return read_feed(sources, state, limit, db._backend().capabilities)


class ChangeFeed:
    """``db.changes`` of a :class:`~storied.Database` (see ``docs/changes.md``)."""

    __slots__ = ("_db",)

    def __init__(self, db: Database) -> None:
        self._db = db

    def read(
        self,
        after: str | None = None,
        *,
        limit: int = 100,
        models: Iterable[type[Model]] | None = None,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
    ) -> ChangePage:
        """The committed changes after the cursor ``after`` (None: from the beginning).

        Args:
            after: a cursor an earlier read returned, or None.
            limit: at most this many changes (1 to 10,000).
            models: the models to read (default: every history-keeping model of the
                registry); a model with ``history="none"`` keeps no history and is refused.
            tenant_id: read one tenant's changes.
            tenant_ids: read several tenants' changes.
            unscoped: True for an explicit admin feed across all tenants.

        Returns:
            The changes (``ChangeEvent``s, in commit order per model) and the cursor to
            store once they are processed.
        """
        op = feed_operation(self._db, after, limit, models, tenant_id, tenant_ids, unscoped)
        return self._db._running().run(op, None, "changes.read")


class AsyncChangeFeed:
    """``db.changes`` of an :class:`~storied.AsyncDatabase`: :meth:`ChangeFeed.read`, awaited."""

    __slots__ = ("_db",)

    def __init__(self, db: AsyncDatabase) -> None:
        self._db = db

    async def read(
        self,
        after: str | None = None,
        *,
        limit: int = 100,
        models: Iterable[type[Model]] | None = None,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
    ) -> ChangePage:
        """See :meth:`ChangeFeed.read`."""
        op = feed_operation(self._db, after, limit, models, tenant_id, tenant_ids, unscoped)
        return await self._db._running().run(op, None, "changes.read")
