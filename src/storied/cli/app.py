"""``storied``: the Typer application; each command group lives in its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from . import ops, schema, serve

app = typer.Typer(
    name="storied",
    help="storied: Pydantic models as tables whose data keeps its story.",
    no_args_is_help=True,
    add_completion=False,
    # help text is plain text: Rich markup would eat the "[env var …]" and "[default …]" notes
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"storied {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """storied: Pydantic models as tables whose data keeps its story."""


schema.register(app)
ops.register(app)
serve.register(app)
