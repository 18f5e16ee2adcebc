"""What history reads give back: change sets, field changes and versions, as immutable values.

``ChangeSet`` is one write to one record. A ``copy_on_change`` model's change set carries the
id that groups its audit rows (``change_set_id``); an ``scd2`` model's is derived from one
version and carries that version's number (``version``). ``Version[M]`` is one version of an
``scd2`` row: the model as it was, typed as the repository's model, and when it was valid.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

if TYPE_CHECKING:
    from ..models.base import Model

#: every operation a change set (and an audit row) records
ChangeOperation = Literal["create", "import", "update", "delete", "restore", "purge"]
OPERATIONS: tuple[ChangeOperation, ...] = get_args(ChangeOperation)

M = TypeVar("M", bound="Model")


def _frozen(changes: Mapping[str, tuple[Any, Any]]) -> Mapping[str, tuple[Any, Any]]:
    return MappingProxyType(dict(changes))


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """One write to one record: who, when, which operation, and each field's old → new.

    ``changes`` is a read-only mapping (field → (old, new)). ``change_set_id`` groups the audit
    rows of one write (copy_on_change; None for scd2); ``version`` is the version the write
    made (scd2; None for copy_on_change, whose audit does not record it).
    """

    record_id: Any
    operation: ChangeOperation
    actor: str | None
    at: dt.datetime
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    change_set_id: uuid.UUID | None = None
    version: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _frozen(self.changes))

    @property
    def id(self) -> uuid.UUID | int | None:
        """The change set's id where it has one, else its version (the HTTP API's ``id``)."""
        return self.change_set_id if self.change_set_id is not None else self.version


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's change within a change set.

    As on :class:`ChangeSet`, ``change_set_id`` is the id grouping the audit rows of the write
    (copy_on_change; None for scd2) and ``version`` the version the write made (scd2; None for
    copy_on_change).
    """

    record_id: Any
    operation: str
    actor: str | None
    at: dt.datetime
    old: Any
    new: Any
    change_set_id: uuid.UUID | None = None
    version: int | None = None

    @property
    def id(self) -> uuid.UUID | int | None:
        """The change set's id where it has one, else its version (as ``ChangeSet.id``)."""
        return self.change_set_id if self.change_set_id is not None else self.version

    @property
    def change_set(self) -> uuid.UUID | int | None:
        """Deprecated name of :attr:`id` (it held an scd2 version's number under a UUID's
        type)."""
        return self.id


@dataclass(frozen=True, slots=True)
class Version(Generic[M]):
    """One version of a row: the model as it was, and when it was valid."""

    model: M
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    #: the operation that recorded this version when it is not derived from its predecessor
    #: ("import"); None otherwise
    recorded_as: str | None = None

    @property
    def number(self) -> int:
        return int(self.model.version or 0)
