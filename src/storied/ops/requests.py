"""The sans-I/O protocol: an operation is a generator that yields requests and gets results.

An operation never touches a connection. It yields :class:`Exec` requests and receives a
:class:`Result` for each; the sync and the async executor drive the same generator.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.sql.elements import ClauseElement

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Load:
    """Where the rows of a ``many`` INSERT go, for a backend that can bulk-load them (COPY).

    ``columns`` pairs each bind name of the INSERT with its table column, in load order.
    """

    table: Table
    columns: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1024)
def load_of(table: Table, names: tuple[str, ...]) -> Load:
    """The :class:`Load` of the named columns of ``table`` (bind names = column keys)."""
    return Load(table, tuple((n, table.c[n].name) for n in names))


@dataclass(slots=True)
class Exec:
    """Run one statement.

    ``key`` names the statement's shape; ``build`` makes it, and is called only when that
    shape has not been compiled yet. ``params`` maps bind names to values (a sequence of such
    mappings runs as executemany). ``load`` marks a ``many`` INSERT whose rows nothing reads
    back: the executor may load them the backend's fastest way instead (PostgreSQL's COPY).
    ``columns`` asks for the result's column names too (raw SQL, whose shape storied does not
    know).
    """

    key: Hashable
    build: Callable[[], ClauseElement]
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] = field(default_factory=dict)
    fetch: bool = False
    many: bool = False
    load: Load | None = None
    columns: bool = False


@dataclass(slots=True)
class Result:
    rows: list[tuple[Any, ...]]
    rowcount: int
    lastrowid: Any = None
    #: the column names, when the request asked for them
    columns: tuple[str, ...] = ()


@dataclass(slots=True)
class Begin:
    """Open a transaction for the rest of the operation (joined if one is already open).

    ``write`` asks for the write lock up front where the backend locks the whole database.
    """

    write: bool = True


Request = Exec | Begin
Operation = Generator[Request, Result | None, T]
