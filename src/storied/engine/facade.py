"""How a method of ``DatabaseCore`` becomes a method of ``Database`` or ``AsyncDatabase``.

The core holds what a method does (its signature, docstring and checks); these add how it
runs, the only part that differs between the twins:

    plan = JobMethod(_plan)        # in DatabaseCore: Database runs the job on engine.connect(),
                                   # AsyncDatabase awaits conn.run_sync(job)
    repository = sync_repository(DatabaseCore._repository)   # in Database: -> Repository[M]

Type checkers see the core method's parameters (a ``ParamSpec``) with the twin's return type;
``help()`` and ``inspect.signature`` show the same.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from types import MethodType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ..repository.asyncio import AsyncRepository
from ..repository.sync import Repository

if TYPE_CHECKING:
    from ..models.base import Model
    from .async_database import AsyncDatabase
    from .core import Scoped
    from .database import Database
    from .schema_jobs import Job

P = ParamSpec("P")
T = TypeVar("T")
M = TypeVar("M", bound="Model")
Method = TypeVar("Method", bound=Callable[..., Any])
#: the core's ``_repository``: the repository's arguments, typed by the model class ``M``
ScopedBy = Callable[Concatenate[Any, P], "Scoped[M]"]


def _as(owner: str, core: Callable[..., Any], returns: str, method: Method) -> Method:
    """``method`` named and documented as ``owner``'s public method for the core's ``core``."""
    name = core.__name__.lstrip("_")
    method.__name__ = name
    method.__qualname__ = f"{owner}.{name}"
    method.__doc__ = core.__doc__
    method.__signature__ = inspect.signature(core).replace(  # type: ignore[attr-defined]
        return_annotation=returns
    )
    return method


class JobMethod(Generic[P, T]):
    """A schema method written once in the core: a ``Database`` runs its job on
    ``engine.connect()``, an ``AsyncDatabase`` awaits it through ``conn.run_sync``."""

    def __init__(self, core: Callable[Concatenate[Any, P], Job[T]]) -> None:
        returns = str(inspect.signature(core).return_annotation)
        returns = returns.removeprefix("Job[").removesuffix("]")

        def method(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
            job = core(self, *args, **kwargs)
            with self.engine.connect() as conn:
                return job(conn)

        async def async_method(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
            job = core(self, *args, **kwargs)
            async with self.engine.connect() as conn:
                result: T = await conn.run_sync(job)
                return result

        self.sync = _as("Database", core, returns, method)
        self.async_ = _as("AsyncDatabase", core, returns, async_method)

    @overload
    def __get__(self, db: None, owner: type[Any]) -> Callable[..., Any]: ...
    @overload
    def __get__(self, db: AsyncDatabase, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    @overload
    def __get__(self, db: Database, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(self, db: Any, owner: type[Any]) -> Callable[..., Any]:
        method = self.async_ if owner._is_async else self.sync
        return method if db is None else MethodType(method, db)


def sync_repository(core: ScopedBy[P, M]) -> Callable[Concatenate[Any, P], Repository[M]]:
    def repository(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> Repository[M]:
        return Repository(self, *core(self, *args, **kwargs))

    return _as("Database", core, "Repository[M]", repository)


def async_repository(core: ScopedBy[P, M]) -> Callable[Concatenate[Any, P], AsyncRepository[M]]:
    def repository(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> AsyncRepository[M]:
        return AsyncRepository(self, *core(self, *args, **kwargs))

    return _as("AsyncDatabase", core, "AsyncRepository[M]", repository)
