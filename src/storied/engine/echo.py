"""``Database(echo=True)``: storied's statements on the "storied.sql" logger, at INFO, as
SQLAlchemy's ``echo`` logs its engine's (placeholders only, never bound values)."""

from __future__ import annotations

import logging

from .events import StatementEvent

logger = logging.getLogger("storied.sql")


def log_statement(event: StatementEvent) -> None:
    """The statement listener ``echo=True`` installs."""
    if not logger.isEnabledFor(logging.INFO):
        return
    where = f"{event.model}.{event.operation}" if event.model else event.operation or "-"
    failed = f" failed: {event.error}" if event.error else ""
    rows = f" ({event.batch} rows)" if event.batch > 1 else ""
    logger.info("%s%s [%s, %.3f ms]%s", event.sql, rows, where, event.duration_ns / 1e6, failed)
