"""``storied``: the Typer application; each command group lives in its own module."""

from __future__ import annotations

import typer

from . import ops, schema

app = typer.Typer(
    name="storied",
    help="storied: Pydantic models as tables whose data keeps its story.",
    no_args_is_help=True,
    add_completion=False,
)
schema.register(app)
ops.register(app)
