"""``DryDatabase``: run repository calls with no server, recording the SQL they would send.

storied's operations are sans-I/O generators (they yield statements and receive results), so
a dry executor can drive them: each statement is compiled by SQLAlchemy for the chosen
dialect exactly as the real executor compiles it, recorded with its driver parameters, and
answered from canned results (or an empty result). Transactions record their BEGIN/COMMIT.

    db = DryDatabase("postgresql", results=[[(...row...)]])
    db.repository(Product, tenant_id=t).get(some_id)
    assert_statements(db, "SELECT …")
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from ..dialects import Backend
from ..engine.compiled import StatementCache
from ..engine.database import Database
from ..engine.executor import SyncExecutor
from ..engine.translate import ErrorContext
from ..errors import ConfigurationError
from ..ops.requests import NOTHING, Begin, CallHook, Exec, Operation, Result
from ..temporal.clock import FrozenClock

T = TypeVar("T")

#: the driver each dialect is compiled for (storied's default sync driver), and that
#: driver's paramstyle (SQLAlchemy learns it from the driver module, which need not be here)
DRIVERS = {
    "sqlite": ("sqlite+pysqlite://", "qmark"),
    "postgresql": ("postgresql+psycopg://", "pyformat"),
    "mysql": ("mysql+pymysql://", "pyformat"),
    "mariadb": ("mariadb+pymysql://", "pyformat"),
    "mssql": ("mssql+pyodbc://", "qmark"),
}

Row = tuple[Any, ...] | Mapping[str, Any]
Canned = Result | Sequence[Row] | Mapping[str, Any] | int | None


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement a dry run sent: SQL text and the driver parameters (a list of parameter
    sets for executemany / bulk loads)."""

    sql: str
    params: Any
    many: bool = False

    def __str__(self) -> str:
        return self.sql


class DryDatabase(Database):
    """A Database that records SQL instead of running it (no driver, no server).

    Args:
        dialect: "sqlite", "postgresql", "mysql", "mariadb" or "mssql".
        results: what each statement returns, in order: rows as the driver returns them (a
            list of tuples), rows of Python values by column name (a list of mappings, or
            one; a missing column is None), a row count (int), a ``Result``, or None for
            the default (no rows; rowcount = the rows sent).
        options: as for :class:`~storied.Database` (``registry``, ``clock``, ``id_factory``);
            the clock defaults to a FrozenClock and ids to a counter (UUIDs 1, 2, …), so the
            recorded parameters are the same on every run.
    """

    def __init__(
        self, dialect: str = "sqlite", *, results: Iterable[Canned] = (), **options: Any
    ) -> None:
        if dialect not in DRIVERS:
            raise ConfigurationError(
                f"DryDatabase(dialect={dialect!r}): choose one of {', '.join(DRIVERS)}"
            )
        ids = count(1)
        options.setdefault("clock", FrozenClock())
        options.setdefault("id_factory", lambda: UUID(int=next(ids)))
        url, self._paramstyle = DRIVERS[dialect]
        super().__init__(url, **options)
        self.statements: list[Statement] = []
        self.results: deque[Canned] = deque(results)
        self.connect()

    def connect(self) -> Self:
        if not self.connected:
            dialect_class: Any = self.url.get_dialect()
            dialect = dialect_class(paramstyle=self._paramstyle)
            self.use_executor(dialect, lambda backend, cache: DryExecutor(backend, cache, self))
        return self

    def close(self) -> None:
        """Nothing to close; the recording stays."""

    def reset(self, results: Iterable[Canned] = ()) -> None:
        """Forget the recorded statements and set new canned results."""
        self.statements.clear()
        self.results = deque(results)

    def create_all(self, models: Iterable[Any] | None = None) -> None:
        """Map the models (no DDL runs)."""
        self.registry.tables(models)

    def drop_all(self, models: Iterable[Any] | None = None) -> None:
        """Nothing to drop."""


class DryExecutor(SyncExecutor):
    """Drives an operation like :class:`SyncExecutor`, recording instead of executing."""

    def __init__(self, backend: Backend, cache: StatementCache, db: DryDatabase) -> None:
        self.backend = backend
        self.cache = cache
        self.db = db

    def run(
        self, op: Operation[T], errors: ErrorContext | None = None, name: str | None = None
    ) -> T:
        began = False
        try:
            request = next(op)
            while True:
                if isinstance(request, Begin):
                    if not began:
                        self._record(Statement(self.begin_sql(request), ()))
                        began = True
                    request = op.send(NOTHING)
                elif isinstance(request, CallHook):
                    failure: Exception | None = None
                    try:
                        request.fn(*request.args)
                    except Exception as exc:
                        failure = exc
                    request = op.send(NOTHING) if failure is None else op.throw(failure)
                else:
                    request = op.send(self._answer(request))
        except StopIteration as stop:
            if began:
                self._record(Statement("COMMIT", ()))
            return stop.value  # type: ignore[no-any-return]
        except BaseException:
            if began:
                self._record(Statement("ROLLBACK", ()))
            raise
        finally:
            op.close()

    def _record(self, statement: Statement) -> None:
        self.db.statements.append(statement)

    def _answer(self, request: Exec) -> Result:
        copier = self.bulk_loader(request)
        if copier is not None:
            target, rows = self.bulk_rows(request, copier)
            self._record(Statement(target.sql, rows, many=True))
            sent = len(rows)
            compiled = None
        else:
            sql, params, compiled, many = self.prepare(request)
            self._record(Statement(sql, params, many))
            sent = len(params) if many else 1
        canned = self.db.results.popleft() if self.db.results else None
        if canned is None:
            return Result([], sent)
        if isinstance(canned, Result):
            return canned
        if isinstance(canned, int):
            return Result([], canned)
        if isinstance(canned, Mapping):
            canned = [canned]
        if all(isinstance(r, Mapping) for r in canned):
            # Python values by column name: already what the result processors would make
            columns = getattr(request.statement.build(), "exported_columns", ())
            names = [getattr(c, "name", None) or "" for c in columns]  # "" for EXISTS …
            picked = [tuple(_pick(r, n) for n in names) for r in canned]  # type: ignore[arg-type]
            return Result(picked, len(picked))
        rows = [tuple(r) for r in cast(Sequence[Sequence[Any]], canned)]
        return Result(compiled.rows(rows) if compiled is not None else rows, len(rows))


def _pick(row: Mapping[str, Any], name: str) -> Any:
    try:
        return row[name]  # a dict subclass's __missing__ may answer any column
    except KeyError:
        return None


def _flat(sql: str) -> str:
    return " ".join(sql.split())


def assert_statements(db: DryDatabase, *expected: str, params: Sequence[Any] | None = None) -> None:
    """The recorded statements are exactly ``expected``, in order (whitespace-insensitive);
    with ``params``, their driver parameters too. Raises AssertionError naming the first
    difference."""
    got = [_flat(s.sql) for s in db.statements]
    want = [_flat(s) for s in expected]
    if got != want:
        lines = [f"expected {len(want)} statement(s), recorded {len(got)}:"]
        for i in range(max(len(got), len(want))):
            g = got[i] if i < len(got) else "<none>"
            w = want[i] if i < len(want) else "<none>"
            mark = "  " if g == w else "!="
            lines += [f"{mark} [{i}] recorded: {g}", f"{mark} [{i}] expected: {w}"]
        raise AssertionError("\n".join(lines))
    if params is not None:
        recorded = [s.params for s in db.statements]
        if list(params) != recorded:
            raise AssertionError(f"parameters differ: recorded {recorded!r}")


def assert_statement_count(db: DryDatabase, n: int) -> None:
    """Exactly ``n`` statements were recorded (round trips, BEGIN and COMMIT included)."""
    if len(db.statements) != n:
        listing = "\n".join(f"  [{i}] {_flat(s.sql)}" for i, s in enumerate(db.statements))
        count_ = len(db.statements)
        raise AssertionError(f"expected {n} statement(s), recorded {count_}:\n{listing}")
