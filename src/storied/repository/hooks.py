"""Lifecycle hooks: before/after create, update and delete, inside the write's transaction.

A hook is registered per model on a Database::

    @db.hook("before_update", Product)
    def no_price_drop(repo, id, changes): ...

Signatures: ``before_create(repo, model)``, ``after_create(repo, model)``,
``before_update(repo, id, changes)`` (``changes`` may be edited), ``after_update(repo, model)``,
``before_delete(repo, id)``, ``after_delete(repo, id)``. When a model has hooks, its writes run
inside a transaction with them: a hook that raises rolls the write back, and repositories used
in a hook join that transaction. On an AsyncDatabase, hooks may be coroutine functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, get_args

from ..errors import ConfigurationError

Hook = Literal[
    "before_create",
    "after_create",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
]
HOOKS: tuple[str, ...] = get_args(Hook)
#: a hooked write, and the hooks around it
Write = Literal["create", "update", "delete"]
AROUND: dict[Write, tuple[Hook, Hook]] = {
    "create": ("before_create", "after_create"),
    "update": ("before_update", "after_update"),
    "delete": ("before_delete", "after_delete"),
}
F = TypeVar("F", bound=Callable[..., Any])


class Hooks:
    """The hooks of one Database, by (hook name, model class)."""

    def __init__(self) -> None:
        self._hooks: dict[tuple[str, type], list[Callable[..., Any]]] = {}

    def register(self, name: Hook, model: type, fn: Callable[..., Any]) -> None:
        if name not in HOOKS:
            raise ConfigurationError(f"unknown hook {name!r}; hooks: {', '.join(HOOKS)}")
        self._hooks.setdefault((name, model), []).append(fn)

    def decorator(self, name: Hook, model: type) -> Callable[[F], F]:
        def register(fn: F) -> F:
            self.register(name, model, fn)
            return fn

        return register

    def get(self, name: Hook, model: type) -> list[Callable[..., Any]]:
        return self._hooks.get((name, model), [])

    def any_for(self, model: type, *names: Hook) -> bool:
        return any((name, model) in self._hooks for name in names)
