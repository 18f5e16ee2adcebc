"""The sans-I/O protocol: an operation is a generator that yields requests and gets results.

An operation never touches a connection. It yields :class:`Exec` requests and receives a
:class:`Result` for each; the sync and the async executor drive the same generator.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.sql.elements import ClauseElement

T = TypeVar("T")


@dataclass(slots=True)
class Exec:
    """Run one statement.

    ``key`` names the statement's shape; ``build`` makes it, and is called only when that
    shape has not been compiled yet. ``params`` maps bind names to values (a sequence of such
    mappings runs as executemany).
    """

    key: Hashable
    build: Callable[[], ClauseElement]
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] = field(default_factory=dict)
    fetch: bool = False
    many: bool = False


@dataclass(slots=True)
class Result:
    rows: list[tuple[Any, ...]]
    rowcount: int
    lastrowid: Any = None


@dataclass(slots=True)
class Begin:
    """Open a transaction for the rest of the operation (joined if one is already open).

    ``write`` asks for the write lock up front where the backend locks the whole database.
    """

    write: bool = True


Request = Exec | Begin
Operation = Generator[Request, Result | None, T]
