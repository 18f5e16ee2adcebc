"""``storied plan``, ``storied apply`` and ``storied revision``: schema sync from the shell.

Exit codes: 0 done or nothing to do; 1 refused or failed; 2 (``plan`` only) changes pending.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .loading import DEFAULT_URL, database_url, load_models

if TYPE_CHECKING:
    from ..engine.database import Database
    from ..schema import Plan

PENDING = 2

Models = Annotated[
    str,
    typer.Option("--models", "-m", envvar="STORIED_MODELS", help="Module path holding the models."),
]
Url = Annotated[
    str,
    typer.Option("--database-url", "-d", envvar="STORIED_DATABASE_URL", help="Database URL."),
]
Prune = Annotated[
    bool, typer.Option("--prune", help="Also drop tables that no model maps (destructive).")
]
Rls = Annotated[
    bool,
    typer.Option(
        "--row-level-security",
        envvar="STORIED_ROW_LEVEL_SECURITY",
        help="PostgreSQL: also plan Row-Level Security (policies on tenant-scoped tables).",
    ),
]
Leading = Annotated[
    bool,
    typer.Option(
        "--tenant-leading-keys",
        envvar="STORIED_TENANT_LEADING_KEYS",
        help="PostgreSQL: plan the tenant-leading key layout, as "
        "Database(tenant_leading_keys=True) maps it (Citus-ready; --target citus implies it).",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.command("apply")(apply)
    app.command("revision")(revision)


def _plan(
    models: str, url: str, prune: bool, rls: bool = False, leading: bool = False
) -> tuple[Database, Plan]:
    from ..engine.database import Database

    db = Database(database_url(url), row_level_security=rls, tenant_leading_keys=leading)
    db.connect()
    try:
        return db, db.plan(load_models(models), prune=prune)
    except BaseException:
        db.close()
        raise


def plan(
    models: Models,
    database_url: Url = DEFAULT_URL,
    prune: Prune = False,
    row_level_security: Rls = False,
    tenant_leading_keys: Leading = False,
    sql: Annotated[bool, typer.Option("--sql", help="Print the SQL each step runs.")] = False,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            help="citus: plan the tenant-leading key layout Citus needs (as "
            "Database(tenant_leading_keys=True) maps it) and also print the Citus calls "
            "distributing the tables the plan creates (create_distributed_table by tenant "
            "column, create_reference_table); implies --sql.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as JSON (steps, SQL, Alembic code).")
    ] = False,
) -> None:
    """Show what apply would change; exit 2 when changes are pending, 0 when none."""
    from ..errors import StoriedError

    if target not in (None, "citus"):
        typer.echo(f"error: unknown --target {target!r}: the one target is citus", err=True)
        raise typer.Exit(1)
    try:
        leading = tenant_leading_keys or target == "citus"
        db, found = _plan(models, database_url, prune, row_level_security, leading)
    except StoriedError as exc:
        _fail(exc)
    db.close()
    if as_json:
        typer.echo(found.to_json(indent=2))
        raise typer.Exit(PENDING if found else 0)
    typer.echo(str(found))
    if (sql or target) and found:
        typer.echo("")
        typer.echo(found.to_sql())
    if target == "citus":
        from ..schema.citus import plan_sql

        typer.echo(plan_sql(found, db.registry), nl=False)
    raise typer.Exit(PENDING if found else 0)


def apply(
    models: Models,
    database_url: Url = DEFAULT_URL,
    prune: Prune = False,
    row_level_security: Rls = False,
    tenant_leading_keys: Leading = False,
    allow_destructive: Annotated[
        bool,
        typer.Option(
            "--allow-destructive", help="Also run destructive steps (can lose data) and removals."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Apply the plan (safe steps; destructive ones and removals need --allow-destructive)."""
    from ..errors import StoriedError

    try:
        db, found = _plan(models, database_url, prune, row_level_security, tenant_leading_keys)
    except StoriedError as exc:
        _fail(exc)
    try:
        typer.echo(str(found))
        if not found:
            return
        from ..schema.apply import check

        check(found, allow_destructive=allow_destructive)
        if not yes and not typer.confirm("Apply these steps?"):
            typer.echo("Nothing applied.")
            raise typer.Exit(1)
        result = db.apply(found, allow_destructive=allow_destructive)
        typer.echo(f"Applied {len(result.applied)} step(s).")
    except StoriedError as exc:
        _fail(exc)
    finally:
        db.close()


def revision(
    models: Models,
    database_url: Url = DEFAULT_URL,
    prune: Prune = False,
    row_level_security: Rls = False,
    tenant_leading_keys: Leading = False,
    message: Annotated[str, typer.Option("--message", "-M", help="Revision message.")] = (
        "storied schema sync"
    ),
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Directory (or .py file) to write to.")
    ] = Path("."),
    down_revision: Annotated[
        str | None, typer.Option("--down-revision", help="Revision this one follows.")
    ] = None,
) -> None:
    """Write the plan as an Alembic revision script (nothing is applied)."""
    from ..errors import StoriedError

    try:
        db, found = _plan(models, database_url, prune, row_level_security, tenant_leading_keys)
    except StoriedError as exc:
        _fail(exc)
    db.close()
    if not found:
        typer.echo(str(found))
        return
    script = found.to_alembic(message, down_revision=down_revision)
    revision_id = script.split("Revision ID: ", 1)[1].split("\n", 1)[0]
    path = output if output.suffix == ".py" else output / f"{revision_id}_storied_sync.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script)
    typer.echo(f"Wrote {path}")


def _fail(exc: Exception) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)
