"""Raw SQL through storied: ``db.fetch_all(sql, params)`` and friends.

The SQL is SQLAlchemy's ``text()`` with named parameters (``:name``); values are always bound,
never formatted into the text. Each call is one operation on the same executor as repository
calls: it joins the ambient transaction (``with db.transaction():``), takes its connection from
the same pool, and its errors are translated the same way. A raw statement is never run again
after a lost connection (storied cannot tell a read from a write in text), unless the driver
sent nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import ConfigurationError
from ..ops.requests import Exec, Operation, Result, Statement

if TYPE_CHECKING:
    from .async_executor import AsyncExecutor
    from .executor import SyncExecutor

Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


@lru_cache(maxsize=1024)
def _names(sql: str) -> frozenset[str]:
    """The ``:name`` parameters the text takes."""
    return frozenset(sa.text(sql).compile().params)


def _checked(sql: str, params: Params) -> tuple[Any, bool]:
    """The parameters (a mapping, or a list of them for executemany) and whether it is a list."""
    if not isinstance(sql, str):
        raise ConfigurationError("raw SQL must be a str with :name parameters")
    rows: Sequence[Mapping[str, Any]]
    if params is None:
        rows, many = [{}], False
    elif isinstance(params, Mapping):
        rows, many = [params], False
    elif isinstance(params, Sequence) and not isinstance(params, str | bytes):
        rows, many = list(params), True
    else:
        raise ConfigurationError("raw SQL parameters must be a mapping of :name to value")
    names = _names(sql)
    for row in rows:
        if not isinstance(row, Mapping):
            raise ConfigurationError("raw SQL parameters must be mappings of :name to value")
        missing, unknown = names - row.keys(), row.keys() - names
        if missing or unknown:
            raise ConfigurationError(
                "raw SQL parameters do not match the text: "
                + "; ".join(
                    part
                    for part in (
                        f"missing {', '.join(sorted(missing))}" if missing else "",
                        f"not in the text: {', '.join(sorted(unknown))}" if unknown else "",
                    )
                    if part
                )
            )
    return (rows if many else rows[0]), many


def raw_operation(sql: str, params: Params, fetch: bool) -> Operation[Result]:
    """The operation running ``sql``; bad arguments are refused here, before any I/O."""
    values, many = _checked(sql, params)
    if many and fetch:
        raise ConfigurationError("a list of parameter sets runs with execute(), not fetch_*()")
    return _run(sql, values, many, fetch)


def _run(sql: str, values: Any, many: bool, fetch: bool) -> Operation[Result]:
    return (yield Exec(Statement(sa.text, (sql,)), values, fetch=fetch, many=many, columns=fetch))


def as_dicts(result: Result) -> list[dict[str, Any]]:
    names = result.columns
    return [dict(zip(names, row, strict=True)) for row in result.rows]


class RawSQL:
    """``fetch_all``, ``fetch_one``, ``fetch_value`` and ``execute`` of ``Database``."""

    def _sync_executor(self) -> SyncExecutor:
        raise NotImplementedError

    def fetch_all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every row of ``sql`` as a dict of column name to value.

        Args:
            sql: SQL text with named parameters, e.g. ``"SELECT sku FROM products WHERE
                price < :limit"``.
            params: the value of each ``:name`` (all of them, and no others).
        """
        return as_dicts(self._sync_executor().run(raw_operation(sql, params, True)))

    def fetch_one(self, sql: str, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """The first row as a dict, or None when there is none."""
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None

    def fetch_value(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        result = self._sync_executor().run(raw_operation(sql, params, True))
        return result.rows[0][0] if result.rows else None

    def execute(self, sql: str, params: Params = None) -> int:
        """Run a statement (a list of parameter mappings runs it once per mapping); returns
        the row count the driver reports."""
        return self._sync_executor().run(raw_operation(sql, params, False)).rowcount


class AsyncRawSQL:
    """The same, awaited, for ``AsyncDatabase``."""

    def _async_executor(self) -> AsyncExecutor:
        raise NotImplementedError

    async def fetch_all(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """See :meth:`RawSQL.fetch_all`."""
        return as_dicts(await self._async_executor().run(raw_operation(sql, params, True)))

    async def fetch_one(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        result = await self._async_executor().run(raw_operation(sql, params, True))
        return result.rows[0][0] if result.rows else None

    async def execute(self, sql: str, params: Params = None) -> int:
        return (await self._async_executor().run(raw_operation(sql, params, False))).rowcount
