"""SQLAlchemy compiles each statement shape once; storied replays it on the driver."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.selectable import CompoundSelect, Select

from ..dialects.base import Copier, CopyTarget
from ..ops.requests import Load, Statement
from .processors import ColumnProcessor, Processor, per_column, per_value, result_processors

_REQUIRED: Any = object()

#: Shapes kept per Database; beyond this the cache starts over (shapes, not values, are keys).
MAX_SHAPES = 4096
#: from this many rows a result is converted column by column (see ``Compiled.rows``)
COLUMNWISE = 8


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
        init("_result_procs", tuple((i, per_value(p)) for i, p in procs))
        init("_column_procs", tuple((i, per_column(p)) for i, p in procs))

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
    results = result_processors(getattr(statement, "exported_columns", ()), dialect)
    reads = isinstance(statement, Select | CompoundSelect)
    return Compiled(compiled.string, positional, binds, results, rendered, reads)


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
