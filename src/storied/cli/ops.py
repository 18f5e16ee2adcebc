"""``storied erd|backup|restore|health|export|import``: storied.admin from the shell.

Quiet by default; errors are one line on stderr with exit code 1; progress (on stderr) only
when stderr is a terminal, so piped or captured output is never garbled. ``health`` exits
0 healthy, 1 degraded, 2 unhealthy.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from . import loading
from .loading import load_models
from .schema import Models, Url, _fail

if TYPE_CHECKING:
    from ..engine.database import Database

Progress = Callable[[str, int], None]


def register(app: typer.Typer) -> None:
    app.command("erd")(erd)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("health")(health)
    app.command("export")(export)
    app.command("import")(import_)


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A rich progress display on a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    with Bar(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label)

        def update(table: str, rows: int) -> None:
            bar.update(task, description=f"{label} {table}: {rows:,} rows")

        yield update


@contextmanager
def _connected(models: str, url: str | None) -> Iterator[Database]:
    from ..engine.database import Database
    from ..errors import StoriedError

    try:
        found = load_models(models)
        db = Database(loading.database_url(url)).connect()
        db.registry.add(*found)
    except StoriedError as exc:
        _fail(exc)
    try:
        yield db
    except StoriedError as exc:
        _fail(exc)
    finally:
        db.close()


def erd(
    models: Models,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    format: Annotated[
        Literal["mermaid", "dot", "svg"], typer.Option("--format", "-f", help="Output format.")
    ] = "mermaid",
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Only these tables (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Leave these tables out (repeatable).")
    ] = None,
    history: Annotated[
        bool, typer.Option("--history/--no-history", help="Show audit and identity tables.")
    ] = True,
) -> None:
    """Draw the models' ER diagram (no database needed)."""
    from ..admin import build_graph, to_dot, to_mermaid, to_svg
    from ..errors import StoriedError
    from ..mapping.registry import Registry

    try:
        registry = Registry()
        registry.add(*load_models(models))
        graph = build_graph(registry, include=include, exclude=exclude or (), history=history)
        data = (
            to_svg(graph)
            if format == "svg"
            else (to_dot(graph) if format == "dot" else to_mermaid(graph)).encode()
        )
    except StoriedError as exc:
        _fail(exc)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        typer.echo(f"Wrote {output}")


def backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write.")],
    models: Models,
    database_url: Url = loading.DEFAULT_URL,
    portable: Annotated[
        bool, typer.Option("--portable", help="storied's own format (restores anywhere).")
    ] = False,
) -> None:
    """Write a consistent backup (native to the backend, or --portable)."""
    from ..admin import backup as run_backup

    with _connected(models, database_url) as db, _progress("backup") as progress:
        result = run_backup(db, path, portable=portable, progress=progress)
    rows = f", {result.manifest.rows} rows" if result.manifest else ""
    typer.echo(f"Wrote {result.path} ({result.format}, {result.size:,} bytes{rows})")


def restore(
    path: Annotated[Path, typer.Argument(help="The backup file to restore.")],
    models: Models,
    database_url: Url = loading.DEFAULT_URL,
    into: Annotated[
        str | None, typer.Option("--into", help="Servers: the new database to restore into.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Verify the backup only; switch nothing.")
    ] = False,
) -> None:
    """Verify a backup, restore it into a new target, verify that, then switch."""
    from ..admin import restore as run_restore

    with _connected(models, database_url) as db, _progress("restore") as progress:
        report = run_restore(db, path, into=into, dry_run=dry_run, progress=progress)
    rows = sum(report.rows.values())
    typer.echo(f"Verified {path} ({report.format}): {', '.join(report.checks)}; {rows} rows")
    if report.dry_run:
        typer.echo("Dry run: nothing restored.")
        return
    typer.echo(f"Restored into {report.target}")
    if report.previous is not None:
        typer.echo(f"The replaced database was kept as {report.previous}")


def health(
    models: Models,
    database_url: Url = loading.DEFAULT_URL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the database: exit 0 healthy, 1 degraded, 2 unhealthy."""
    from ..admin import health as run_health
    from ..engine.database import Database
    from ..errors import StoriedError

    try:
        found = load_models(models)
        db = Database(loading.database_url(database_url))
        db.registry.add(*found)
        report = run_health(db)  # connects a probe of its own; db stays unconnected
    except StoriedError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        typer.echo(report.status)
        for check in report.checks:
            typer.echo(f"  {check.name:<10} {check.status:<9} {check.detail}")
    raise typer.Exit(report.exit_code)


def export(
    path: Annotated[Path, typer.Argument(help="The zip file to write.")],
    models: Models,
    database_url: Url = loading.DEFAULT_URL,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Only this tenant's rows (default: all).")
    ] = None,
) -> None:
    """Export the models' tables as CSV files in a zip, with a manifest."""
    from ..admin import export_csv

    with _connected(models, database_url) as db, _progress("export") as progress:
        scope = None
        if tenant is not None:
            from uuid import UUID

            scope = UUID(tenant) if len(tenant) in (32, 36) else tenant
        manifest = export_csv(db, path, tenant_id=scope, progress=progress)
    typer.echo(f"Wrote {path} ({len(manifest.tables)} tables, {manifest.rows} rows)")


def import_(
    path: Annotated[Path, typer.Argument(help="The CSV export (zip) to import.")],
    models: Models,
    database_url: Url = loading.DEFAULT_URL,
    actor: Annotated[str, typer.Option("--actor", help="Who the history records.")] = "import",
    new_ids: Annotated[
        bool, typer.Option("--new-ids", help="Give every row a new id instead of its own.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate every row and report; write nothing.")
    ] = False,
) -> None:
    """Import a CSV export: validated through the models, all or nothing."""
    from ..admin import import_csv

    with _connected(models, database_url) as db:
        report = import_csv(db, path, actor=actor, keep_ids=not new_ids, dry_run=dry_run)
    for error in report.errors:
        typer.echo(f"{error.file}:{error.line}: {error.field}: {error.reason}")
    total = sum(report.rows.values())
    if report.dry_run:
        typer.echo(f"Dry run: {total} rows valid, {len(report.errors)} bad value(s).")
        raise typer.Exit(1 if report.errors else 0)
    typer.echo(f"Imported {total} rows as {actor}.")
