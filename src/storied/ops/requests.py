"""The sans-I/O protocol: an operation is a generator that yields requests and gets results.

An operation never touches a connection. It yields requests and receives a :class:`Result`
for each (an empty one for :class:`Begin` and :class:`CallHook`); the sync and the async
executor drive the same generator. A database error on a statement is translated into
storied's error and *thrown* into the operation at its ``yield`` (so an operation may catch a
``ConflictError`` and go on), and an operation is always closed when its executor stops
driving it (so its ``finally`` runs even when it is abandoned).

Every request and result is a frozen value: what an operation yielded cannot change while the
executor runs it. The three made for every statement (:class:`Statement`, :class:`Exec`,
:class:`Result`) are named tuples, the cheapest frozen value Python builds (about half a
dataclass's cost, which a one-statement ``get`` notices).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Table
from sqlalchemy.sql.elements import ClauseElement

T = TypeVar("T")


class Statement(NamedTuple):
    """A statement's shape: the function that builds it and the arguments that shape it.

    The statement is its own cache key (``builder, args``) and ``build()`` is
    ``builder(*args)``, so the key the statement cache compiles under and the SQL it compiles
    cannot disagree: everything the SQL depends on is an argument, and every argument is in
    the key. Arguments are therefore shapes, never values (a scope's shape, field names,
    flags; values go in ``Exec.params``), and each must be hashable; ``builder`` must be a
    module-level function (a closure would hide what it captured from the key).
    """

    builder: Callable[..., ClauseElement]
    args: tuple[Hashable, ...] = ()

    @property
    def key(self) -> tuple[Callable[..., ClauseElement], tuple[Hashable, ...]]:
        return (self.builder, self.args)

    def build(self) -> ClauseElement:
        return self.builder(*self.args)


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


_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Exec(NamedTuple):
    """Run one statement.

    ``statement`` names its shape and builds it (only when that shape has not been compiled
    yet). ``params`` maps bind names to values (a sequence of such mappings runs as
    executemany). ``load`` marks a ``many`` INSERT whose rows nothing reads back: the
    executor may load them the backend's fastest way instead (PostgreSQL's COPY).
    ``columns`` asks for the result's column names too (raw SQL, whose shape storied does
    not know).
    """

    statement: Statement
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] = _NO_PARAMS
    fetch: bool = False
    many: bool = False
    load: Load | None = None
    columns: bool = False


class Result(NamedTuple):
    """What a request returned: the rows fetched, the driver's row count, the last row id."""

    rows: Sequence[tuple[Any, ...]]
    rowcount: int
    lastrowid: Any = None
    #: the column names, when the request asked for them
    columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Begin:
    """Open a transaction for the rest of the operation (joined if one is already open).

    ``write`` asks for the write lock up front where the backend locks the whole database.
    """

    write: bool = True


@dataclass(frozen=True, slots=True)
class CallHook:
    """Call a lifecycle hook: ``fn(*args)``; the async executor awaits what it returns when
    that is awaitable. ``name`` says which hook (``before_update`` …), for messages."""

    name: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]


#: the answer to a request that returns nothing (Begin, CallHook)
NOTHING = Result((), 0)

Request = Exec | Begin | CallHook
Operation = Generator[Request, Result, T]
"""The operation protocol: what an operation yields (requests) and receives (results).

The lowest layer of the core besides ``errors``: operations in ``reads``, ``temporal`` and
``repository`` speak it, the executors in ``engine`` drive it.
"""
