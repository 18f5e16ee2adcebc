"""``Repository``: the synchronous facade; every method runs one sans-I/O operation."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from .. import reads
from ..query.expressions import Condition
from ..temporal.audit import ChangeSet, FieldChange
from ..temporal.base import CreateOperation
from ..temporal.bulk import upsert_many
from ..temporal.versions import Version
from . import statistics, writes
from .base import _visibility
from .io import SyncIO

M = TypeVar("M", bound="Any")


class Repository(SyncIO[M]):
    """CRUD over one model within one tenant scope. Build it with ``db.repository(Model, …)``."""

    def create(self, model: M | Mapping[str, Any]) -> M:
        """Insert a new row; storied stamps id, tenant, version and the audit columns."""
        (created,) = self._create_many([model], "create", "create")
        return created

    def create_many(
        self, models: Iterable[M | Mapping[str, Any]], *, operation: CreateOperation = "create"
    ) -> list[M]:
        """Insert many rows in one transaction, in batched statements.

        ``operation="import"`` records the rows' history (audit rows, first versions) as an
        import rather than a create (storied.admin's CSV import uses it)."""
        return self._create_many(models, operation, "create_many")

    def _create_many(
        self, models: Iterable[M | Mapping[str, Any]], operation: CreateOperation, name: str
    ) -> list[M]:
        instances = [self._instance(m) for m in models]
        if not instances:
            return []
        op = partial(writes.create_many, self, instances, operation)
        return self._bulk_written(self._write("create", op, name))

    def get(self, id: Any, *, include_deleted: bool = False, as_of: dt.datetime | None = None) -> M:
        """The row with this id, or ``NotFoundError`` (also for another tenant's id)."""
        if as_of is not None:
            op = self._scd2().get_as_of(
                self.mapped, self.scope, self._id(id), as_of, include_deleted
            )
            return self._run(op)
        visibility = _visibility(include_deleted)
        return self._run(reads.get(self.mapped, self.scope, self._id(id), visibility))

    def get_many(self, ids: Iterable[Any], *, include_deleted: bool = False) -> list[M]:
        """The visible rows among ``ids``, in the order given; unknown ids are skipped."""
        visibility = _visibility(include_deleted)
        return self._run(reads.get_many(self.mapped, self.scope, self._ids(ids), visibility))

    def update(self, id: Any, /, *, expected_version: int | None = None, **changes: Any) -> M:
        """Change only the given fields. With ``expected_version``, a row that moved on since
        is a ``ConflictError``."""
        op = partial(writes.update, self, self._id(id), changes, expected_version)
        return self._write("update", op)

    def delete(self, id: Any, *, expected_version: int | None = None) -> None:
        """Soft-delete (hard delete for models with ``soft_delete=False``). With
        ``expected_version``, a row that moved on since is a ``ConflictError``."""
        self._write(
            "delete", partial(writes.delete, self, [self._id(id)], expected_version), "delete"
        )

    def restore(self, id: Any, *, expected_version: int | None = None) -> M:
        """Bring a soft-deleted row back (``expected_version`` as for ``delete``)."""
        i = self._id(id)
        return self._write(
            None,
            partial(writes.started, self, lambda c: self.strategy.restore(c, i, expected_version)),
            "restore",
        )

    def purge(self, id: Any, *, expected_version: int | None = None) -> None:
        """Delete the row for good, deleted or not (``expected_version`` as for ``delete``)."""
        i = self._id(id)
        self._write(
            None,
            partial(writes.started, self, lambda c: self.strategy.purge(c, i, expected_version)),
            "purge",
        )

    def list(
        self,
        *conditions: Condition,
        order_by: Any = None,
        limit: int | None = None,
        offset: int | None = None,
        include_deleted: bool = False,
        as_of: dt.datetime | None = None,
        **equals: Any,
    ) -> list[M]:
        """Rows matching the conditions (``F.price < 10``) and ``field=value`` equalities."""
        query = self._list_query(conditions, order_by, limit, offset, include_deleted, equals)
        if as_of is not None:
            self._scd2()
            query = query.as_of(as_of)
        return query.all()

    def count(self, *conditions: Condition, include_deleted: bool = False, **equals: Any) -> int:
        query = self._list_query(conditions, None, None, None, include_deleted, equals)
        return query.count()

    def exists(self, *conditions: Condition, include_deleted: bool = False, **equals: Any) -> bool:
        query = self._list_query(conditions, None, None, None, include_deleted, equals)
        return query.exists()

    def history(
        self, id: Any, *, limit: int | None = None, before: Any = None
    ) -> builtins.list[ChangeSet]:
        """Every change set of one record, oldest first: who, when, which fields old → new.

        With ``limit``, a page: the newest ``limit`` change sets older than the change set
        ``before`` (an id from a previous page; None: the newest), still oldest first.
        """
        window = self._window(limit, before)
        op = self.strategy.history(self.mapped, self.scope, self._id(id), window)
        return self._run(op)

    def field_history(self, id: Any, field: str) -> builtins.list[FieldChange]:
        """The changes of one field of one record, oldest first."""
        op = self.strategy.field_history(self.mapped, self.scope, self._id(id), field)
        return self._run(op)

    def changes(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        actor: str | None = None,
        operation: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> builtins.list[ChangeSet]:
        """Change sets across records of this scope, oldest first, in [since, until).

        ``newest_first`` reverses the order, so ``limit`` keeps the newest (recent changes).
        """
        filters = self._change_filters(since, until, actor, operation, limit, newest_first)
        return self._run(self.strategy.changes(self.mapped, self.scope, filters))

    def prune_history(self, *, older_than: dt.datetime) -> int:
        """Delete this scope's history older than ``older_than``; returns the rows removed."""
        return self._run(self.strategy.prune_history(self.mapped, self.scope, older_than))

    def versions(
        self, id: Any, *, limit: int | None = None, before: int | None = None
    ) -> builtins.list[Version[M]]:
        """Every version of the row, oldest first, with its validity interval (scd2).

        With ``limit``, a page: the newest ``limit`` versions numbered below ``before``.
        """
        window = self._window(limit, before)
        return self._run(self._scd2().versions(self.mapped, self.scope, self._id(id), window))

    def compare_versions(self, id: Any, a: int, b: int) -> dict[str, tuple[Any, Any]]:
        """The fields that differ between versions ``a`` and ``b``: {field: (in a, in b)}."""
        op = self._scd2().compare_versions(self.mapped, self.scope, self._id(id), a, b)
        return self._run(op)

    def revert(self, id: Any, *, to_version: int, expected_version: int | None = None) -> M:
        """Write a new version equal to ``to_version`` (recorded like any update; with
        ``expected_version``, a row that moved on since is a ``ConflictError``)."""
        i, scd2 = self._id(id), self._scd2()
        op = partial(
            writes.started, self, lambda c: scd2.revert(c, i, to_version, expected_version)
        )
        return self._write(None, op, "revert")

    def update_many(
        self,
        changes: Mapping[Any, Mapping[str, Any]] | Iterable[tuple[Any, Mapping[str, Any]]],
    ) -> builtins.list[M]:
        """Update many rows in one transaction: ``{id: {field: value}}``. History is kept
        exactly as for single updates; a missing id raises NotFoundError and writes nothing."""
        op = partial(writes.update_many, self, self._bulk_changes(changes))
        return self._bulk_written(self._write("update", op, "update_many"))

    def delete_many(self, ids: Iterable[Any]) -> None:
        """Delete many rows in one transaction (a missing id writes nothing)."""
        self._write("delete", partial(writes.delete, self, self._ids(ids), None), "delete_many")

    def upsert_many(
        self, models: Iterable[M | Mapping[str, Any]], *, on: str = "id"
    ) -> builtins.list[M]:
        """Create the rows whose ``on`` field value is new, update the others (one
        transaction; history as for create_many/update_many). ``on`` is the id or a unique
        field."""
        instances = [self._instance(m) for m in models]
        self._check_upsert_key(on)
        if not instances:
            return []
        op = partial(writes.started, self, lambda c: upsert_many(c, self.strategy, instances, on))
        return self._bulk_written(self._write(None, op, "upsert_many"))

    def _bulk_written(self, models: builtins.list[M]) -> builtins.list[M]:
        """``models`` as written; the tables' statistics after bulk writes (statistics.py)."""
        if tables := statistics.due(self, len(models)):
            self._run(statistics.analyze(self, tables))
        return models


__all__: Sequence[str] = ["Repository"]
