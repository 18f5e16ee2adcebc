"""CSV export: a zip with one CSV per table and a manifest, streamed table by table.

Rows are read in one snapshot transaction, ``BATCH`` at a time, and written straight into the
zip member, so memory stays flat however many rows there are. Cells use codec.py's exact text:
NULL is ``\\N`` and the empty string stays empty; Decimal, UUID, aware datetimes, JSON and
bytes (base64) read back equal. ``tenant_id`` limits tenant-scoped tables to one tenant (and
leaves out untenanted ones); without it the whole database is exported (an admin's export).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import sqlalchemy as sa

from ..errors import OperationsError
from .backup import model_names, model_tables
from .codec import kind, to_text
from .fingerprint import fingerprint
from .portable import BATCH, Manifest, Progress, TableEntry, open_snapshot, stored_columns

if TYPE_CHECKING:
    from ..engine.database import Database
    from ..models.base import Model

CSV_FORMAT = "storied-csv"


class _Digest(io.RawIOBase):
    """A write-through stream that hashes and counts what passes to the zip member."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha.update(data)
        self.target.write(data)
        return len(data)


def _tenant_columns(db: Database, models: list[type[Model]]) -> dict[str, str]:
    """table name → its tenant column, for the models' tenant-scoped tables."""
    out: dict[str, str] = {}
    for model in models:
        mapped = db.registry.mapped(model)
        if mapped.spec.options.tenant:
            for table in (mapped.table, *mapped.extra_tables):
                out[table.fullname] = mapped.spec.options.tenant_column
    return out


def export_csv(
    db: Database,
    path: str | os.PathLike[str],
    models: Iterable[type[Model]] | None = None,
    *,
    tenant_id: Any = None,
    progress: Progress | None = None,
) -> Manifest:
    """Write the models' tables (history tables included) as CSV files in a zip at ``path``.

    The file appears under its name only once complete."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with open(partial, "wb") as out:
            manifest = write_csv_export(db, out, models, tenant_id=tenant_id, progress=progress)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def write_csv_export(
    db: Database,
    out: BinaryIO,
    models: Iterable[type[Model]] | None = None,
    *,
    tenant_id: Any = None,
    progress: Progress | None = None,
) -> Manifest:
    """:func:`export_csv` into a binary stream, which need not be seekable (an HTTP body):
    the zip is written front to back, each member as its rows are read."""
    chosen = list(models) if models is not None else list(db.registry)
    tables = model_tables(db, chosen)
    tenants = _tenant_columns(db, chosen)
    if tenant_id is not None:
        tables = [t for t in tables if t.fullname in tenants]
    entries = []
    try:
        with (
            db.engine.connect() as conn,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        ):
            open_snapshot(conn)
            try:
                for table in tables:
                    entries.append(_table(conn, zf, table, tenants, tenant_id, progress))
            finally:
                conn.exec_driver_sql("ROLLBACK")
            manifest = Manifest(
                fingerprint(model_tables(db, chosen)),
                tuple(model_names(db, chosen)),
                tuple(entries),
                conn.dialect.name,
                dt.datetime.now(dt.UTC).isoformat(),
                format=CSV_FORMAT,
            )
            zf.writestr("manifest.json", manifest.to_json())
    except sa.exc.SQLAlchemyError as exc:
        raise OperationsError(f"CSV export failed: {type(exc).__name__}") from exc
    return manifest


def _table(
    conn: sa.Connection,
    zf: zipfile.ZipFile,
    table: sa.Table,
    tenants: dict[str, str],
    tenant_id: Any,
    progress: Progress | None,
) -> TableEntry:
    columns = stored_columns(table)
    kinds = [kind(c) for c in columns]
    query = sa.select(*columns).order_by(*table.primary_key.columns)
    if tenant_id is not None:
        query = query.where(table.c[tenants[table.fullname]] == tenant_id)
    name = f"{table.fullname}.csv"
    count = 0
    with zf.open(name, "w", force_zip64=True) as member:
        digest = _Digest(member)
        text = io.TextIOWrapper(digest, encoding="utf-8", newline="")  # type: ignore[type-var]
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        for row in conn.execute(query.execution_options(yield_per=BATCH)):
            writer.writerow([to_text(v, k) for v, k in zip(row, kinds, strict=True)])
            count += 1
            if progress is not None and count % BATCH == 0:
                progress(table.fullname, count)
        text.flush()
        text.detach()
    if progress is not None:
        progress(table.fullname, count)
    return TableEntry(
        table.fullname, name, tuple(c.name for c in columns), count, digest.sha.hexdigest()
    )
