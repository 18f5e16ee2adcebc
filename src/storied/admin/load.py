"""Loading a verified backup into a new, empty target, and checking the target afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..dialects import capabilities, resync_autoincrement
from ..engine.database import Database
from ..errors import RestoreRefused
from .portable import BATCH, Progress, Reader

if TYPE_CHECKING:
    from ..models.base import Model


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_portable(
    target: Database,
    reader: Reader,
    models: list[type[Model]],
    progress: Progress | None = None,
) -> None:
    """Create the models' tables in ``target`` and insert every row, in one transaction
    (where DDL is not transactional, the caller drops what was created on failure)."""
    target.create_all(models)
    by_name = {t.fullname: t for t in target.registry.tables(models)}
    order = [t for t in target.registry.metadata.sorted_tables if t.fullname in by_name]
    entries = {e.name: e for e in reader.manifest.tables}
    with target.engine.connect() as conn:
        conn.exec_driver_sql(capabilities(conn.dialect).begin_write)
        try:
            for table in order:
                done = 0
                for batch in batches(reader.rows(entries[table.fullname], table)):
                    conn.execute(table.insert(), batch)
                    done += len(batch)
                    if progress is not None:
                        progress(table.fullname, done)
                resync_autoincrement(conn, table)
            conn.exec_driver_sql("COMMIT")
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise


def check_target(
    url: sa.URL, models: list[type[Model]], expected: dict[str, int] | None, where: str
) -> dict[str, int]:
    """The restored database matches the models (empty plan) and holds the expected rows."""
    with Database(url) as restored:
        plan = restored.plan(models)
        if plan:
            raise RestoreRefused(
                f"{where}: the restored schema differs from the models ({len(plan)} step(s), "
                f"e.g. {plan.steps[0]}); a backup of other models, or of another version"
            )
        counts: dict[str, int] = {}
        with restored.engine.connect() as conn:
            for table in restored.registry.tables(models):
                query = sa.select(sa.func.count()).select_from(table)
                counts[table.fullname] = int(conn.execute(query).scalar_one())
    if expected is not None and counts != expected:
        wrong = sorted(n for n in expected if counts.get(n) != expected[n])
        raise RestoreRefused(f"{where}: row counts differ after restoring, in {wrong}")
    return counts
