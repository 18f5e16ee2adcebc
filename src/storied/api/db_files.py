"""The file endpoints of the operations router, each for the ``admin`` role only.

- ``GET /export.zip``: the CSV export, streamed while it is written (never whole in memory);
- ``POST /import``: a CSV export uploaded (multipart), validated, ``dry_run`` reports only;
- ``GET /backup``: a consistent backup (native by default, ``portable=true`` for storied's own);
- ``POST /restore``: a backup uploaded (multipart), verified before anything is switched;
  ``dry_run`` verifies only. A bad file is 422 and the live database is unchanged.

Uploads are spooled to a temporary file in chunks; the sync operations run in a worker thread
(on a sync twin for an AsyncDatabase, see ``storied.admin.aio``).
"""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

import asyncio
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response, StreamingResponse

from storied import AsyncDatabase, ConfigurationError, Database, Model
from storied.admin import backup, import_csv, restore, sync_twin, write_csv_export

from .context import route_ids
from .db_stream import CHUNK, stream_from_thread
from .principal import AnyDatabase
from .problems import INVALID_REQUEST, ProblemError, problem_responses

#: the name pattern of a new server database to restore into
DATABASE_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"
_SUFFIX = {"portable": ".zip", "sqlite": ".sqlite", "pg_dump": ".dump", "mariadb-dump": ".sql"}


class RowErrorOut(BaseModel):
    file: str
    line: int
    field: str
    reason: str


class ImportOut(BaseModel):
    dry_run: bool
    rows: dict[str, int]
    errors: list[RowErrorOut]


class RestoreOut(BaseModel):
    format: str
    dry_run: bool
    checks: list[str]
    rows: dict[str, int]
    #: the database now holding the restored data (password hidden); null after a dry run
    target: str | None = None
    #: the file name of the copy kept of the SQLite database the restore replaced
    previous: str | None = None


async def on_sync(db: AnyDatabase, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(sync_db, …)`` in a worker thread (a sync twin of an AsyncDatabase)."""
    if isinstance(db, AsyncDatabase):
        async with sync_twin(db) as twin:
            return await asyncio.to_thread(fn, twin, *args, **kwargs)
    return await run_in_threadpool(fn, db, *args, **kwargs)


async def spooled(upload: UploadFile) -> Path:
    """The upload in a temporary file of its own (the caller removes it)."""
    fd, name = tempfile.mkstemp(prefix="storied-upload-")
    with os.fdopen(fd, "wb") as out:
        await run_in_threadpool(shutil.copyfileobj, upload.file, out, CHUNK)
    return Path(name)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def add_file_routes(
    router: APIRouter, db: AnyDatabase, models: list[type[Model]], Caller: Any
) -> None:
    admin_only = problem_responses(401, 403, 422, 503)

    @router.get(
        "/export.zip",
        **route_ids("db", "export"),
        summary="CSV export of every model's tables (history included), streamed",
        responses={200: {"content": {"application/zip": {}}}, **admin_only},
    )
    async def db_export(caller: Caller) -> Response:
        caller.require("admin")
        stack = AsyncExitStack()
        sync_db = db if isinstance(db, Database) else await stack.enter_async_context(sync_twin(db))

        def write(out: BinaryIO) -> None:
            write_csv_export(sync_db, out, models)

        async def body() -> Any:
            async with stack:
                async for chunk in stream_from_thread(write):
                    yield chunk

        headers = _attachment(f"export-{_stamp()}.zip")
        return StreamingResponse(body(), media_type="application/zip", headers=headers)

    @router.post(
        "/import",
        **route_ids("db", "import"),
        summary="Import a CSV export: all rows or none, recorded as an import by the caller",
        response_model=ImportOut,
        responses=problem_responses(401, 403, 422, 503),
    )
    async def db_import(
        caller: Caller,
        file: Annotated[UploadFile, File()],
        dry_run: bool = False,
        keep_ids: bool = True,
    ) -> Response:
        caller.require("admin")
        path = await spooled(file)
        try:
            report = await on_sync(
                db, import_csv, path, models, actor=caller.actor, keep_ids=keep_ids, dry_run=dry_run
            )
        finally:
            path.unlink(missing_ok=True)
        errors = [
            RowErrorOut(file=e.file, line=e.line, field=e.field, reason=e.reason)
            for e in report.errors
        ]
        out = ImportOut(dry_run=report.dry_run, rows=report.rows, errors=errors)
        return Response(out.model_dump_json(), media_type="application/json")

    @router.get(
        "/backup",
        **route_ids("db", "backup"),
        summary="A consistent backup: the backend's native format, or storied's portable one",
        responses={200: {"content": {"application/octet-stream": {}}}, **admin_only},
    )
    async def db_backup(caller: Caller, portable: bool = False) -> Response:
        caller.require("admin")
        folder = Path(tempfile.mkdtemp(prefix="storied-backup-"))
        try:
            done = await on_sync(db, backup, folder / "backup", portable=portable, models=models)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        name = f"backup-{_stamp()}{_SUFFIX.get(done.format, '.bak')}"
        return FileResponse(
            done.path,
            media_type="application/octet-stream",
            headers=_attachment(name),
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )

    @router.post(
        "/restore",
        **route_ids("db", "restore"),
        summary="Restore an uploaded backup: verified first, the live database untouched "
        "unless every check passes",
        response_model=RestoreOut,
        responses=problem_responses(401, 403, 422, 503),
    )
    async def db_restore(
        caller: Caller,
        file: Annotated[UploadFile, File()],
        dry_run: bool = False,
        integrity_check: bool = True,
        into: Annotated[str | None, Query(pattern=DATABASE_NAME)] = None,
    ) -> Response:
        caller.require("admin")
        if not integrity_check:
            raise ProblemError(
                INVALID_REQUEST,
                "storied always verifies a backup before it restores it; integrity_check "
                "cannot be turned off",
            )
        path = await spooled(file)
        try:
            report = await on_sync(db, restore, path, into=into, dry_run=dry_run, models=models)
        except ConfigurationError as exc:  # e.g. a server restore without ``into``
            raise ProblemError(INVALID_REQUEST, str(exc)) from None
        finally:
            path.unlink(missing_ok=True)
        out = RestoreOut(
            format=report.format,
            dry_run=report.dry_run,
            checks=list(report.checks),
            rows=report.rows,
            target=report.target,
            previous=report.previous.name if report.previous is not None else None,
        )
        return Response(out.model_dump_json(), media_type="application/json")
