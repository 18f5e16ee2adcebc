"""The temporal strategy protocol and the context every write operation receives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..dialects import Capabilities
from ..ops.requests import Operation
from ..tenancy.scope import Scope

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..models.base import Model
    from ..ops.changes import ChangeEvent

#: what a create is recorded as in history (``create_many(…, operation=…)``)
CreateOperation = Literal["create", "import"]


@dataclass(frozen=True, slots=True)
class Returning:
    """Which statements can return rows on this backend (SQLAlchemy's dialect flags)."""

    insert: bool
    update: bool
    delete: bool


@dataclass(frozen=True, slots=True)
class Window:
    """A page of one record's history: the newest ``limit`` entries older than ``before``
    (a change set id, or a version number for scd2; None: from the newest)."""

    limit: int
    before: Any = None


@dataclass(slots=True)
class OpContext:
    """Everything a write needs besides its arguments: no connection, no I/O."""

    mapped: MappedModel
    scope: Scope
    actor: str | None
    now: dt.datetime
    new_id: Callable[[], Any]
    caps: Capabilities
    returning: Returning
    #: what a create is recorded as in history: "create", or "import" (CSV import)
    operation: CreateOperation = "create"
    #: where the write records what it changed (``ops/changes.py``); None: nobody listens
    events: list[ChangeEvent] | None = None


class TemporalStrategy(Protocol):
    """How a model keeps (or does not keep) its history.

    A strategy owns a model's writes. Its tables and the predicates that pick current (or
    as-of) rows are its layout's (``mapping/layouts.py``), which the read side uses.
    A write given ``expected_version`` checks it inside its own transaction (in the statement's
    WHERE clause, or under the row lock) and raises ``ConflictError`` when the row moved on.
    """

    name: str

    def create(self, ctx: OpContext, models: Sequence[Model]) -> Operation[list[Model]]:
        """Insert the rows of ``models`` (the repository's own validated copies, which are
        stamped with id, tenant, version and audit values and returned, in order)."""
        ...

    def update(
        self, ctx: OpContext, id: Any, changes: Mapping[str, Any], expected_version: int | None
    ) -> Operation[Model]: ...

    def delete(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]: ...

    def update_many(
        self, ctx: OpContext, changes: Mapping[Any, Mapping[str, Any]]
    ) -> Operation[list[Model]]: ...

    def delete_many(self, ctx: OpContext, ids: Sequence[Any]) -> Operation[None]: ...

    def restore(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[Model]: ...

    def purge(
        self, ctx: OpContext, id: Any, expected_version: int | None = None
    ) -> Operation[None]: ...

    # history reads; strategies that keep none raise ConfigurationError
    def history(
        self, mapped: MappedModel, scope: Scope, id: Any, window: Window | None = None
    ) -> Operation[list[Any]]: ...

    def field_history(
        self, mapped: MappedModel, scope: Scope, id: Any, field: str
    ) -> Operation[list[Any]]: ...

    def changes(
        self, mapped: MappedModel, scope: Scope, filters: Mapping[str, Any]
    ) -> Operation[list[Any]]: ...

    def prune_history(
        self, mapped: MappedModel, scope: Scope, older_than: dt.datetime
    ) -> Operation[int]: ...
