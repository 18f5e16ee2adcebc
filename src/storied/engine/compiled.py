"""SQLAlchemy compiles each statement shape once; storied replays it on the driver."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None

_REQUIRED: Any = object()

#: Shapes kept per Database; beyond this the cache starts over (shapes, not values, are keys).
MAX_SHAPES = 4096


@dataclass(frozen=True, slots=True)
class Compiled:
    """SQL text plus how to turn named values into driver parameters and rows into values."""

    sql: str
    positional: bool
    #: per driver parameter: bind name, its literal value (for SQLAlchemy's own binds such as
    #: the 1 in ``version + 1``, else _REQUIRED) and the type's bind processor
    binds: tuple[tuple[str, Any, Processor], ...]
    results: tuple[Processor, ...]

    def params(self, values: Mapping[str, Any]) -> list[Any] | dict[str, Any]:
        out = [
            (name, v if proc is None or v is None else proc(v))
            for name, default, proc in self.binds
            for v in (values[name] if default is _REQUIRED else values.get(name, default),)
        ]
        if self.positional:
            return [v for _, v in out]
        return dict(out)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        procs = self.results
        if not any(p is not None for p in procs):
            return [tuple(r) for r in raw]
        return [
            tuple(v if p is None or v is None else p(v) for v, p in zip(r, procs, strict=True))
            for r in raw
        ]


def compile_statement(statement: ClauseElement, dialect: Dialect) -> Compiled:
    compiled: Any = statement.compile(dialect=dialect)  # a SQLCompiler: binds, positiontup
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    binds = tuple(
        (
            name,
            _REQUIRED if bind.required else bind.effective_value,
            bind.type.dialect_impl(dialect).bind_processor(dialect),
        )
        for name in names
        for bind in (compiled.binds[name],)
    )
    columns = getattr(statement, "exported_columns", ())
    results = tuple(_result_processor(c.type, dialect) for c in columns)
    return Compiled(compiled.string, positional, binds, results)


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)  # type: ignore[no-any-return]
    except TypeError:
        # psycopg's numeric processor wants the column's type code, which is only known after
        # execution; those drivers return Decimal themselves, and ExactDecimal normalizes it.
        return _decorator_only(type_, dialect)


def _decorator_only(type_: Any, dialect: Dialect) -> Processor:
    process = getattr(type_, "process_result_value", None)
    if process is None or not hasattr(type_, "impl"):
        return None
    return lambda value: process(value, dialect)


class StatementCache:
    """Compiled statements of one dialect, keyed by the caller's shape key."""

    __slots__ = ("_dialect", "_entries")

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._entries: dict[Hashable, Compiled] = {}

    def get(self, key: Hashable, build: Callable[[], ClauseElement]) -> Compiled:
        entry = self._entries.get(key)
        if entry is None:
            if len(self._entries) >= MAX_SHAPES:
                self._entries.clear()
            entry = self._entries[key] = compile_statement(build(), self._dialect)
        return entry

    def sql(self, key: Hashable, build: Callable[[], ClauseElement]) -> str:
        """The SQL text of a shape (for plans, logs and tests)."""
        return self.get(key, build).sql
