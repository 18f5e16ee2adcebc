"""What a repository needs from the Database that made it, as protocols.

``engine.Database``/``AsyncDatabase`` satisfy them; naming them here keeps the repository
layer below the engine (the engine builds repositories, never the other way round).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from ..dialects import Backend
    from ..mapping.registry import Registry
    from ..ops.changes import ChangeEvent, ChangeListeners
    from ..ops.requests import Operation
    from ..temporal.base import Returning
    from .hooks import Hooks

T = TypeVar("T")


class Host(Protocol):
    """The database's configuration a repository reads (no I/O)."""

    registry: Registry
    hooks: Hooks
    change_listeners: ChangeListeners
    new_id: Callable[[], Any]
    _returning: Returning
    row_level_security: bool
    analyze_after_bulk: int | None
    bulk_rows: dict[str, int]

    def _now(self) -> dt.datetime: ...

    def _in_transaction(self) -> bool: ...

    def _backend(self) -> Backend: ...


# ``errors``: the executor's ``ErrorContext`` (a MappedModel, or the repository running the
# operation, which also tells its scope and actor to listeners)
class SyncRunner(Protocol):
    def run(
        self,
        op: Operation[T],
        errors: Any = None,
        name: str | None = None,
        session: Any = None,
    ) -> T: ...


class AsyncRunner(Protocol):
    async def run(
        self,
        op: Operation[T],
        errors: Any = None,
        name: str | None = None,
        session: Any = None,
    ) -> T: ...


class SyncHost(Host, Protocol):
    def _sync_executor(self) -> SyncRunner: ...

    def _publish(self, events: list[ChangeEvent]) -> None: ...

    def transaction(self) -> AbstractContextManager[None]: ...


class AsyncHost(Host, Protocol):
    def _async_executor(self) -> AsyncRunner: ...

    async def _publish(self, events: list[ChangeEvent]) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[None]: ...
