"""The schema methods of Database and AsyncDatabase, written once as *jobs*.

``_plan(...)`` checks its arguments and returns a function of one (sync) engine connection;
:class:`~storied.engine.facade.JobMethod` makes it ``Database.plan`` (run on
``engine.connect()``) and ``AsyncDatabase.plan`` (awaited through ``conn.run_sync``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.engine import Connection

from ..dialects import check_ddl
from ..mapping.registry import Registry
from ..schema.apply import apply_plan, sync
from ..schema.partitions import create_partitions
from ..schema.planner import make_plan
from ..schema.target import target_for, target_of
from .facade import JobMethod

if TYPE_CHECKING:
    from ..models.base import Model
    from ..schema import ApplyResult, Plan
    from ..temporal.clock import Clock

T = TypeVar("T")
#: what a schema method does, as a function of one (sync) engine connection
Job = Callable[[Connection], T]


class SchemaJobs:
    """``create_all``, ``drop_all``, ``plan``, ``apply`` and ``sync_schema``."""

    registry: Registry
    row_level_security: bool
    clock: Clock

    @property
    def engine(self) -> Any:
        raise NotImplementedError

    def _create_all(self, models: Iterable[type[Model]] | None = None) -> Job[None]:
        """Create the models' tables (and history tables) that do not exist yet."""
        tables = self.registry.tables(models)
        check_ddl(tables, self.engine.dialect)

        now = self.clock.now()

        def job(conn: Connection) -> None:
            with conn.begin():
                self.registry.metadata.create_all(conn, tables=tables)
                create_partitions(conn, tables, now)

        return job

    def _drop_all(self, models: Iterable[type[Model]] | None = None) -> Job[None]:
        """Drop the models' tables (and history tables) that exist."""
        tables = self.registry.tables(models)

        def job(conn: Connection) -> None:
            with conn.begin():
                self.registry.metadata.drop_all(conn, tables=tables)

        return job

    def _plan(
        self, models: Iterable[type[Model]] | None = None, *, prune: bool = False
    ) -> Job[Plan]:
        """Compare the models' tables (default: every mapped model) with the database.

        ``prune=True`` also plans dropping tables that no model maps. See ``docs/schema.md``.
        """
        target = target_for(
            self.registry,
            models,
            prune=prune,
            row_security=self.row_level_security,
            now=self.clock.now(),
        )
        return lambda conn: make_plan(conn, target)

    def _apply(
        self, plan: Plan, *, allow_destructive: bool = False, lock_timeout: float = 60.0
    ) -> Job[ApplyResult]:
        """Run a plan under the schema lock, after planning again there: a plan made earlier (or
        read back with ``Plan.from_json``) runs only while the database is as it was.
        Destructive steps and removals need ``allow_destructive``."""
        target = target_of(
            self.registry, plan, self.clock.now(), row_security=self.row_level_security
        )
        return lambda conn: apply_plan(
            conn, plan, target, allow_destructive=allow_destructive, timeout=lock_timeout
        )

    def _sync_schema(
        self,
        models: Iterable[type[Model]] | None = None,
        *,
        allow_destructive: bool = False,
        prune: bool = False,
        lock_timeout: float = 60.0,
    ) -> Job[ApplyResult]:
        """Plan and apply the safe steps (all, with ``allow_destructive``): for start-up."""
        target = target_for(
            self.registry,
            models,
            prune=prune,
            row_security=self.row_level_security,
            now=self.clock.now(),
        )
        return lambda conn: sync(
            conn, target, allow_destructive=allow_destructive, timeout=lock_timeout
        )

    create_all = JobMethod(_create_all)
    drop_all = JobMethod(_drop_all)
    plan = JobMethod(_plan)
    apply = JobMethod(_apply)
    sync_schema = JobMethod(_sync_schema)
