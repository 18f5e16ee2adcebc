"""SQLAlchemy compiles each statement shape once; storied replays it on the driver."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.selectable import CompoundSelect, Select

from ..dialects import ColumnWise, uuid_result
from ..dialects.base import Copier, CopyTarget
from ..ops.requests import Load, Statement

Processor = Callable[[Any], Any] | None
#: a result processor over a whole column's values
ColumnProcessor = Callable[[Sequence[Any]], Sequence[Any]]

_REQUIRED: Any = object()

#: Shapes kept per Database; beyond this the cache starts over (shapes, not values, are keys).
MAX_SHAPES = 4096
#: from this many rows a result is converted column by column (see ``Compiled.rows``)
COLUMNWISE = 8
#: text UUIDs (SQLite, MySQL) parsed by pydantic-core, about 7 times faster than uuid.UUID(hex)
_UUIDS: TypeAdapter[list[uuid.UUID | None]] = TypeAdapter(list[uuid.UUID | None])


@dataclass(frozen=True, slots=True)
class Compiled:
    """SQL text plus how to turn named values into driver parameters and rows into values."""

    sql: str
    positional: bool
    #: per driver parameter: bind name, its literal value (for SQLAlchemy's own binds such as
    #: the 1 in ``version + 1``, else _REQUIRED) and the type's bind processor
    binds: tuple[tuple[str, Any, Processor], ...]
    results: tuple[Processor, ...]
    #: the parameter names the SQL text uses (named paramstyles escape some characters)
    rendered: tuple[str, ...] = ()
    #: a SELECT: running it again (after a lost connection, outside a transaction) is harmless
    reads: bool = False
    #: the same facts, arranged once per shape for the per-call work below
    _get: Callable[[Mapping[str, Any]], tuple[Any, ...]] = field(init=False, repr=False)
    _literals: dict[str, Any] = field(init=False, repr=False)
    _names: tuple[str, ...] = field(init=False, repr=False)
    _bind_procs: tuple[tuple[int, Callable[[Any], Any]], ...] = field(init=False, repr=False)
    _result_procs: tuple[tuple[int, Callable[[Any], Any]], ...] = field(init=False, repr=False)
    _column_procs: tuple[tuple[int, ColumnProcessor], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = tuple(name for name, _, _ in self.binds)
        init = partial(object.__setattr__, self)
        init("_names", self.rendered or names)
        init("_get", _getter(names))
        init("_literals", {n: d for n, d, _ in self.binds if d is not _REQUIRED})
        init("_bind_procs", tuple((i, p) for i, (_, _, p) in enumerate(self.binds) if p))
        procs = tuple((i, p) for i, p in enumerate(self.results) if p)
        init("_result_procs", tuple((i, _value(p)) for i, p in procs))
        init("_column_procs", tuple((i, _column(p)) for i, p in procs))

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if self._literals:
            values = {**self._literals, **values}
        out: Sequence[Any] = self._get(values)
        if self._bind_procs:
            out = list(out)
            for i, proc in self._bind_procs:
                v = out[i]
                if v is not None:
                    out[i] = proc(v)
        if self.positional:
            return out
        return dict(zip(self._names, out, strict=True))

    def params_many(
        self, rows: Sequence[Mapping[str, Any]]
    ) -> list[Sequence[Any]] | list[dict[str, Any]]:
        """``params`` of each row. A bind processor converts each distinct value object once
        per column: the values every row shares (the tenant, the transaction's "now") are
        converted once for the whole batch (processors are pure functions of their value)."""
        get, literals, procs = self._get, self._literals, self._bind_procs
        seen: list[tuple[Any, Any]] = [(_REQUIRED, None)] * len(procs)
        out: list[Any] = []
        for values in rows:
            if literals:
                values = {**literals, **values}
            row = list(get(values))
            for j, (i, proc) in enumerate(procs):
                v = row[i]
                if v is None:
                    continue
                last, done = seen[j]
                if v is not last:
                    done = proc(v)
                    seen[j] = (v, done)
                row[i] = done
            out.append(row)
        if self.positional:
            return out
        names = self._names
        return [dict(zip(names, row, strict=True)) for row in out]

    def reordered(self, names: Sequence[str], sql: str) -> Compiled:
        """The same binds (values, processors) as positional ``names``, for another SQL text
        that takes them in that order (a COPY replacing this INSERT)."""
        by_name = {name: (name, literal, proc) for name, literal, proc in self.binds}
        return Compiled(sql, True, tuple(by_name[n] for n in names), ())

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        procs = self._result_procs
        if not procs:
            return [tuple(r) for r in raw]
        if len(raw) >= COLUMNWISE:
            # one column at a time: the loop over values runs in C (map, or pydantic-core
            # for text UUIDs), and zip regroups the rows; processors take None, as in
            # SQLAlchemy's own result rows
            columns: list[Any] = list(zip(*raw, strict=True))
            for i, convert in self._column_procs:
                columns[i] = convert(columns[i])
            return list(zip(*columns, strict=True))
        out = []
        for r in raw:
            row = list(r)
            for i, proc in procs:
                v = row[i]
                if v is not None:
                    row[i] = proc(v)
            out.append(tuple(row))
        return out


def _getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The values of ``names``, in order, as one C-level call (KeyError for a missing one)."""
    if not names:
        return lambda values: ()
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return itemgetter(*names)


def compile_statement(statement: ClauseElement, dialect: Dialect) -> Compiled:
    compiled: Any = statement.compile(dialect=dialect)  # a SQLCompiler: binds, positiontup
    positional = bool(compiled.positional)
    if positional:
        order = [(compiled.binds[name], name) for name in compiled.positiontup or ()]
    else:
        # bind_names holds each parameter once under the name the SQL renders (SQLAlchemy's
        # ``binds`` also keeps anonymous ones under their unrendered key)
        order = list(compiled.bind_names.items())
    binds = tuple(
        (
            name,
            _REQUIRED if bind.required else bind.effective_value,
            bind.type.dialect_impl(dialect).bind_processor(dialect),
        )
        for bind, name in order
    )
    escaped = getattr(compiled, "escaped_bind_names", None) or {}
    rendered = tuple(escaped.get(name, name) for _, name in order)
    columns = getattr(statement, "exported_columns", ())
    results = tuple(_remembered(c.type, _result_processor(c.type, dialect)) for c in columns)
    exact = uuid_result(dialect)
    if exact is not None:  # the driver's uuid values need converting (asyncpg's subclass)
        results = tuple(
            exact if p is None and _is_uuid(c.type) else p
            for c, p in zip(columns, results, strict=True)
        )
    reads = isinstance(statement, Select | CompoundSelect)
    return Compiled(compiled.string, positional, binds, results, rendered, reads)


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)  # type: ignore[no-any-return]
    except TypeError:
        # psycopg's numeric processor wants the column's type code, which is only known after
        # execution; those drivers return Decimal themselves, and ExactDecimal normalizes it.
        return _decorator_only(type_, dialect)


def _is_uuid(type_: Any) -> bool:
    return isinstance(type_, sa.Uuid) and bool(type_.as_uuid)


def _remembered(type_: Any, process: Processor) -> Processor:
    """A UUID column's processor that keeps the last value it made: where UUIDs are text
    (SQLite, MySQL), each costs a ``uuid.UUID(hex)`` (about 10,000 instructions), and a
    column such as the tenant's repeats one value in every row a repository reads. Another
    value costs one comparison more; UUIDs are immutable, so rows may share one. (Results of
    ``COLUMNWISE`` rows or more parse the column in pydantic-core instead: ``_UuidColumn``.)"""
    if process is None or not _is_uuid(type_) or isinstance(process, ColumnWise):
        return process
    return _Remembered(process)


class _Remembered:
    __slots__ = ("convert", "last")

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert
        self.last: tuple[Any, Any] = (_REQUIRED, None)

    def __call__(self, value: Any) -> Any:
        seen = self.last
        if seen[0] == value:
            return seen[1]
        made = self.convert(value)
        self.last = (value, made)
        return made


class _UuidColumn:
    """A text UUID column's processor over a whole column: pydantic-core parses the values
    (into ``uuid.UUID``, as the processor does); text it refuses goes through the processor,
    which raises SQLAlchemy's own error. A column of one value (the tenant's, in every read
    of a tenant's repository) is parsed once; its rows share the immutable UUID."""

    __slots__ = ("process",)

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process

    def __call__(self, values: Sequence[Any]) -> Sequence[Any]:
        first = values[0]
        # one value (a tenant's rows' tenant column); the last value first, so that a column
        # of distinct ids is not compared value by value
        if values[-1] == first and values.count(first) == len(values):
            return [self.process(first)] * len(values)
        try:
            return _UUIDS.validate_python(values)
        except PydanticValidationError:
            return list(map(self.process, values))


def _value(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The per-value form of a processor (called with values that are not None)."""
    return process.value if isinstance(process, ColumnWise) else process


def _column(process: Callable[[Any], Any]) -> ColumnProcessor:
    if isinstance(process, ColumnWise):
        return partial(_whole, process.column)
    if isinstance(process, _Remembered):
        return _UuidColumn(process.convert)
    return partial(_mapped, process)


def _mapped(process: Callable[[Any], Any], values: Sequence[Any]) -> Sequence[Any]:
    if values[0] is None and values.count(None) == len(values):  # deleted_at of live rows
        return values
    return list(map(process, values))


def _whole(convert: ColumnProcessor, values: Sequence[Any]) -> Sequence[Any]:
    if values[0] is None and values.count(None) == len(values):  # deleted_at of live rows
        return values
    return convert(values)


def _decorator_only(type_: Any, dialect: Dialect) -> Processor:
    process = getattr(type_, "process_result_value", None)
    if process is None or not hasattr(type_, "impl"):
        return None
    return lambda value: process(value, dialect)


class StatementCache:
    """Compiled statements of one dialect, keyed by each statement's shape (``Statement.key``:
    its builder and the arguments that shape it, so a key cannot disagree with its SQL)."""

    __slots__ = ("_copies", "_dialect", "_entries")

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._entries: dict[Hashable, Compiled] = {}
        self._copies: dict[Hashable, tuple[Compiled, CopyTarget]] = {}

    def get(self, statement: Statement) -> Compiled:
        entry = self._entries.get(statement)  # a Statement is its own key: (builder, args)
        if entry is None:
            if len(self._entries) >= MAX_SHAPES:
                self._entries.clear()
                self._copies.clear()
            if getattr(statement.builder, "__closure__", None):
                # what a closure captured would shape the SQL without being in the key
                raise TypeError(f"{statement.builder.__qualname__}: a builder is no closure")
            entry = compile_statement(statement.build(), self._dialect)
            self._entries[statement] = entry
        return entry

    def copy(self, statement: Statement, load: Load, copier: Copier) -> tuple[Compiled, CopyTarget]:
        """The COPY that may replace the INSERT of ``statement``: its target, and the
        INSERT's binds in the target's column order."""
        entry = self._copies.get(statement)
        if entry is None:
            insert = self.get(statement)
            target = copier.target(self._dialect, load.table, [c for _, c in load.columns])
            entry = (insert.reordered([n for n, _ in load.columns], target.sql), target)
            self._copies[statement] = entry
        return entry
