"""``collect_garbage``: delete the stored files that no row, audit entry or version names.

The order of its steps is what makes it safe next to writers:

1. list the objects under the files prefix (all tenants, or one) and keep those older than
   the grace period (``older_than``): an upload whose row has not committed yet is young;
2. only then read every reference: the ``FileRef`` fields of all rows (soft-deleted ones and,
   for scd2 models, every version) and the old and new values of copy_on_change audit rows,
   across tenants;
3. before deleting an old, unreferenced object, look at it again: an upload of the same bytes
   since the listing has refreshed its time, and it is kept.

A writer's window is its upload-to-commit time, which must stay under ``older_than``.

Per store: given the :class:`~storied.storage.Files` that the application writes through,
only the fields bound to the store being collected (``Field(store=…)`` resolved by that
``Files``) count as references, so a key that only another store's field names is garbage
here. Two stores are the same place when they are one object or open the same URL (memory
stores: only the same object); a field naming a store the Files lacks counts everywhere (its
files are written through other Files). Without ``files`` every file field counts, everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import ConfigurationError, ObjectNotFoundError
from ..mapping.keys import row_key
from .fileref import field_stores, file_fields, tenant_segment
from .memory import MemoryBackend

if TYPE_CHECKING:
    from ..engine.async_database import AsyncDatabase
    from ..engine.database import Database
    from ..models.base import Model
    from .asyncio import AsyncObjectStore
    from .files import AsyncFiles, Files
    from .store import ObjectStore

BATCH = 1000


@dataclass
class GarbageReport:
    """What one collection saw and did. ``garbage``: keys deleted (or, in a dry run, that
    would be)."""

    dry_run: bool
    scanned: int = 0
    referenced: int = 0
    young: int = 0
    garbage: list[str] = field(default_factory=list)


Source = tuple[Any, tuple[Any, ...], Any]  # (primary key column, value columns, WHERE)


def same_place(a: ObjectStore | AsyncObjectStore, b: ObjectStore | AsyncObjectStore) -> bool:
    """Whether two stores hold the same objects (one object, or one URL; memory: one object)."""
    if a is b or a.backend is b.backend:
        return True
    return not isinstance(a.backend, MemoryBackend) and a.url == b.url


def _fields(
    store: ObjectStore | AsyncObjectStore, files: Files | AsyncFiles | None
) -> Callable[[type[Model]], tuple[str, ...]]:
    """The file fields of a model whose references count in ``store``."""
    if files is None:
        return file_fields
    known = [files.store, *files.stores.values()]
    if not any(s is not None and same_place(s, store) for s in known):
        raise ConfigurationError(
            f"{store!r} is none of the stores of {files!r}: collect the stores it writes to"
        )

    def bound_here(model: type[Model]) -> tuple[str, ...]:
        return tuple(
            field for field, name in field_stores(model).items() if _here(files, name, store)
        )

    return bound_here


def _here(files: Files | AsyncFiles, name: str | None, store: Any) -> bool:
    """Whether the store a field names is ``store``; a name ``files`` lacks counts as here
    (those files are written through other Files: keep what they reference)."""
    try:
        there = files.store_named(name)
    except ConfigurationError:
        return True
    return same_place(there, store)


def _sources(
    db: Database | AsyncDatabase,
    models: Iterable[type[Model]] | None,
    fields: Callable[[type[Model]], tuple[str, ...]] = file_fields,
) -> list[Source]:
    """Every place a FileRef can be kept: the rows (all versions), the audit values."""
    chosen = list(db.registry) if models is None else list(models)
    sources: list[Source] = []
    if not any(file_fields(model) for model in chosen):
        raise ConfigurationError(
            "no model with a FileRef field is known to this Database: pass models=[…] (without "
            "them every object would look unreferenced)"
        )
    for model in chosen:
        names = fields(model)
        if not names:
            continue
        mapped = db.registry.mapped(model)
        pk = row_key(mapped.table)
        columns = tuple(mapped.field_columns[name] for name in names)
        sources.append((pk, columns, sa.or_(*(c.is_not(None) for c in columns))))
        audit = mapped.audit_table
        if audit is not None:
            values = (audit.c.old_value, audit.c.new_value)
            sources.append((audit.c.audit_id, values, audit.c.field.in_(names)))
    return sources


def _references(sources: list[Source]) -> Generator[Any, Any, set[str]]:
    """The keys the sources name, read in primary-key pages (yields SELECTs, gets rows).

    Pages, not one server-side cursor: storied's connections are in autocommit mode. A row
    that changes between pages is safe either way: its new object is young, and its old one
    is still named by its audit row or version, or is no longer referenced at all.
    """
    keys: set[str] = set()
    for pk, columns, where in sources:
        after = None
        while True:
            query = sa.select(pk, *columns).where(where)
            if after is not None:
                query = query.where(pk > after)
            rows = yield query.order_by(pk).limit(BATCH)
            for row in rows:
                keys.update(_keys(row[1:]))
            if len(rows) < BATCH:
                break
            after = rows[-1][0]
    return keys


def _keys(row: Iterable[Any]) -> Iterator[str]:
    for value in row:
        if isinstance(value, str | bytes):
            value = json.loads(value)  # a JSON column some drivers return as text
        if isinstance(value, dict) and isinstance(value.get("key"), str):
            yield value["key"]


def _drive(op: Generator[Any, Any, Any], call: Any) -> Any:
    value = None
    try:
        while True:
            value = call(op.send(value))
    except StopIteration as stop:
        return stop.value


def _folder(prefix: str, tenant_id: Any) -> str:
    return prefix if tenant_id is None else f"{prefix}{tenant_segment(tenant_id)}/"


def _cutoff(older_than: dt.timedelta, now: dt.datetime | None) -> dt.datetime:
    if not isinstance(older_than, dt.timedelta) or older_than < dt.timedelta(0):
        raise ConfigurationError("older_than is a timedelta of zero or more")
    return (now or dt.datetime.now(dt.UTC)) - older_than


def _collect(cutoff: dt.datetime, dry_run: bool) -> Generator[tuple[str, Any], Any, GarbageReport]:
    """The collection's steps, sans-I/O: yields ("list"|"refs"|"head"|"delete", arg)."""
    report = GarbageReport(dry_run)
    old = []
    for entry in (yield ("list", None)):
        report.scanned += 1
        if entry.last_modified < cutoff:
            old.append(entry.key)
        else:
            report.young += 1
    referenced: set[str] = yield ("refs", None)  # read after the listing (see the module doc)
    for key in old:
        if key in referenced:
            report.referenced += 1
            continue
        info = yield ("head", key)
        if info is None:
            continue  # gone already
        if info.last_modified >= cutoff:
            report.young += 1  # uploaded again since the listing
            continue
        if not dry_run:
            yield ("delete", key)
        report.garbage.append(key)
    return report


def collect_garbage(
    store: ObjectStore,
    db: Database,
    *,
    older_than: dt.timedelta = dt.timedelta(hours=1),
    prefix: str = "files/",
    tenant_id: Any = None,
    models: Iterable[type[Model]] | None = None,
    files: Files | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> GarbageReport:
    """Delete objects under ``prefix`` that are older than ``older_than`` and that no current
    or historical row of ``models`` (default: every model ``db`` knows) references.

    ``tenant_id`` limits the objects considered to that tenant's files (references are read
    across tenants either way). ``files``: the :class:`~storied.storage.Files` the
    application writes through; then only the fields bound to ``store`` count as references
    (without it, a key any file field names is kept in every store). ``dry_run`` deletes
    nothing and reports what it would.
    """
    op = _collect(_cutoff(older_than, now), dry_run)
    sources = _sources(db, models, _fields(store, files))
    value: Any = None
    while True:
        try:
            step, key = op.send(value)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        if step == "list":
            value = list(store.list(_folder(prefix, tenant_id)))
        elif step == "refs":
            with db.engine.connect() as conn:
                value = _drive(_references(sources), lambda q: conn.execute(q).all())
        elif step == "head":
            try:
                value = store.head(key)
            except ObjectNotFoundError:
                value = None
        else:
            store.delete(key)
            value = None


async def acollect_garbage(
    store: AsyncObjectStore,
    db: AsyncDatabase,
    *,
    older_than: dt.timedelta = dt.timedelta(hours=1),
    prefix: str = "files/",
    tenant_id: Any = None,
    models: Iterable[type[Model]] | None = None,
    files: AsyncFiles | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> GarbageReport:
    """:func:`collect_garbage` with an AsyncObjectStore, an AsyncDatabase (and AsyncFiles)."""
    op = _collect(_cutoff(older_than, now), dry_run)
    sources = _sources(db, models, _fields(store, files))
    value: Any = None
    while True:
        try:
            step, key = op.send(value)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        if step == "list":
            value = [entry async for entry in store.list(_folder(prefix, tenant_id))]
        elif step == "refs":
            async with db.engine.connect() as conn:
                refs = _references(sources)
                rows: Any = None
                try:
                    while True:
                        rows = (await conn.execute(refs.send(rows))).all()
                except StopIteration as stop:
                    value = stop.value
        elif step == "head":
            try:
                value = await store.head(key)
            except ObjectNotFoundError:
                value = None
        else:
            await store.delete(key)
            value = None
