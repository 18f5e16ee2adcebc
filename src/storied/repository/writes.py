"""The repository's hooked writes, as operations: hooks, re-validation and the choice between
the single and the batched strategy operation live here, once, for both facades.

A hook is a request (:class:`~storied.ops.requests.CallHook`) that the executor answers by
calling it (and awaiting it, on the async executor), so the facades only pick the executor.
When the model has hooks for a write, the facade runs the operation inside a transaction (see
``io.py``), so a hook that raises rolls the write back and repositories used in a hook join it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..ops.requests import CallHook, Operation
from ..temporal.base import CreateOperation, OpContext

T = TypeVar("T")

if TYPE_CHECKING:
    from ..models.base import Model
    from .base import RepositoryBase
    from .hooks import Hook


def _hooks(repo: RepositoryBase[Any], name: Hook) -> list[Callable[..., Any]]:
    return repo.db.hooks.get(name, repo.model)


def _calls(
    repo: RepositoryBase[Any], name: Hook, fns: list[Callable[..., Any]], items: Sequence[Any]
) -> Operation[None]:
    """Each hook once per item, in registration order (a tuple item is spread as arguments)."""
    for fn in fns:
        for item in items:
            args = (repo, *item) if isinstance(item, tuple) else (repo, item)
            yield CallHook(name, fn, args)


def started(repo: RepositoryBase[Any], build: Callable[[OpContext], Operation[T]]) -> Operation[T]:
    """``build(ctx)`` with the context made when the operation starts (so that it carries the
    change-event list of the call running it, ``ops/changes.py``)."""
    return (yield from build(repo._ctx()))


def create_many(
    repo: RepositoryBase[Any], models: Sequence[Model], operation: CreateOperation
) -> Operation[list[Model]]:
    if before := _hooks(repo, "before_create"):
        yield from _calls(repo, "before_create", before, models)
    created = yield from repo.strategy.create(repo._ctx(operation), models)
    if after := _hooks(repo, "after_create"):
        yield from _calls(repo, "after_create", after, created)
    return created


def update(
    repo: RepositoryBase[Any], id: Any, changes: dict[str, Any], expected_version: int | None
) -> Operation[Model]:
    """A before_update hook may edit ``changes``: they are validated after the hooks ran."""
    if before := _hooks(repo, "before_update"):
        yield from _calls(repo, "before_update", before, [(id, changes)])
    checked = repo._changes(changes)
    updated = yield from repo.strategy.update(repo._ctx(), id, checked, expected_version)
    if after := _hooks(repo, "after_update"):
        yield from _calls(repo, "after_update", after, [updated])
    return updated


def update_many(
    repo: RepositoryBase[Any], changes: Mapping[Any, dict[str, Any]]
) -> Operation[list[Model]]:
    """``changes`` arrive validated; what before_update hooks edit is validated again."""
    if before := _hooks(repo, "before_update"):
        yield from _calls(repo, "before_update", before, list(changes.items()))
        changes = {i: repo._changes(c) for i, c in changes.items()}
    updated = yield from repo.strategy.update_many(repo._ctx(), changes)
    if after := _hooks(repo, "after_update"):
        yield from _calls(repo, "after_update", after, updated)
    return updated


def delete(
    repo: RepositoryBase[Any], ids: list[Any], expected_version: int | None
) -> Operation[None]:
    """One id: the strategy's single delete (which checks ``expected_version``); more: its
    batched one."""
    if before := _hooks(repo, "before_delete"):
        yield from _calls(repo, "before_delete", before, ids)
    ctx = repo._ctx()
    if len(ids) == 1:
        yield from repo.strategy.delete(ctx, ids[0], expected_version)
    else:
        yield from repo.strategy.delete_many(ctx, ids)
    if after := _hooks(repo, "after_delete"):
        yield from _calls(repo, "after_delete", after, ids)
