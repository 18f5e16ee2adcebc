"""CSV import: the model tables of an export zip, validated through the models, all or nothing.

Every row of every file is decoded and validated first; any bad row (its file, line, field and
reason) fails the whole import before anything is written — ``dry_run=True`` returns that list
instead of raising. Then all models are written in one transaction through their repositories,
so each created row gets its history (copy_on_change audit rows, scd2 first versions) under
``actor``, and tenancy holds as for any write. History and identity files are not imported:
history starts again at the import (so only current versions of scd2 models and live rows are
imported; soft-deleted rows are left out). ``keep_ids=False`` gives every row a new id (foreign keys
between imported rows then no longer match, so keep ids when the file has relations).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError as PydanticValidationError

from ..errors import RestoreRefused, ValidationError
from .backup import model_tables
from .codec import NULL, from_text, kind

if TYPE_CHECKING:
    from ..engine.database import Database
    from ..models.base import Model

_STAMPS = {
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "deleted_by",
}


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    line: int
    field: str
    reason: str


@dataclass
class ImportReport:
    dry_run: bool
    #: model name → rows (to be) created
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def import_csv(
    db: Database,
    path: str | os.PathLike[str],
    models: list[type[Model]] | None = None,
    *,
    actor: str,
    tenant_id: Any = None,
    keep_ids: bool = True,
    dry_run: bool = False,
) -> ImportReport:
    """Import the CSV export at ``path``; see the module docstring.

    Args:
        actor: who the created rows and their history are recorded as.
        tenant_id: import every tenant-scoped row into this tenant (default: the tenant in
            the file, written unscoped — an admin's import).
    """
    chosen = list(models) if models is not None else list(db.registry)
    order = [t.fullname for t in model_tables(db, chosen)]
    by_table = {db.registry.mapped(m).table.fullname: m for m in chosen}
    report = ImportReport(dry_run)
    parsed: dict[type[Model], list[Model]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            for table in order:
                model = by_table.get(table)
                if model is None or f"{table}.csv" not in names:
                    continue
                text = zf.read(f"{table}.csv").decode("utf-8")
                parsed[model] = _parse(
                    db, model, f"{table}.csv", text, keep_ids, tenant_id, report.errors
                )
                report.rows[model.__name__] = len(parsed[model])
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
        raise RestoreRefused(f"{path}: not a readable CSV export ({exc})") from exc
    if report.errors and not dry_run:
        first = report.errors[0]
        raise ValidationError(
            f"{path}: {len(report.errors)} bad value(s), nothing imported; first: {first.file} "
            f"line {first.line}, {first.field}: {first.reason}",
            [{"loc": (e.file, e.line, e.field), "msg": e.reason} for e in report.errors],
        )
    if dry_run:
        return report
    with db.transaction():
        for model, instances in parsed.items():
            scope = {"tenant_id": tenant_id} if tenant_id is not None else {"unscoped": True}
            if not db.registry.mapped(model).spec.options.tenant:
                scope = {}
            db.repository(model, actor=actor, **scope).create_many(instances, operation="import")
    return report


def _parse(
    db: Database,
    model: type[Model],
    file: str,
    text: str,
    keep_ids: bool,
    tenant_id: Any,
    errors: list[RowError],
) -> list[Model]:
    mapped = db.registry.mapped(model)
    by_column = {c.name: (n, c) for n, c in mapped.field_columns.items()}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    # bookkeeping columns of the table (scd2 row_id, valid_from/to) are not model fields
    unknown = [h for h in header if h not in by_column and h not in mapped.table.columns]
    if unknown:
        errors.append(RowError(file, 1, ", ".join(unknown), "column the model does not have"))
        return []
    skip = set(_STAMPS) | ({"id"} if not keep_ids else set())
    if tenant_id is not None:
        skip.add("tenant_id")
    out: list[Model] = []
    validate = model.__pydantic_validator__.validate_python
    line = reader.line_num
    past = [header.index(c) for c in ("valid_to", "deleted_at") if c in header]
    for record in reader:
        values: dict[str, Any] = {}
        bad = False
        # old versions and soft-deleted rows are history, which starts again at the import
        if any(i < len(record) and record[i] != NULL for i in past):
            line = reader.line_num
            continue
        for header_name, cell in zip(header, record, strict=False):
            if header_name not in by_column:
                continue
            name, column = by_column[header_name]
            if name in skip:
                continue
            try:
                values[name] = from_text(cell, kind(column))
            except (ValueError, ArithmeticError) as exc:  # Decimal's InvalidOperation
                reason = str(exc) if isinstance(exc, ValueError) else "not a decimal number"
                errors.append(RowError(file, line + 1, name, reason))
                bad = True
        if len(record) != len(header):
            errors.append(
                RowError(file, line + 1, "*", f"{len(record)} cells, expected {len(header)}")
            )
            bad = True
        if not bad:
            try:
                out.append(validate(values))
            except PydanticValidationError as exc:
                for e in exc.errors():
                    where = ".".join(str(p) for p in e["loc"])
                    errors.append(RowError(file, line + 1, where, e["msg"]))
        line = reader.line_num
    return out
