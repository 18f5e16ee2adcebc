"""The ``storied`` command (Typer; install the ``cli`` extra)."""

from __future__ import annotations


def main() -> None:
    """Console-script entry point."""
    try:
        from .app import app
    except ImportError as exc:  # typer is an optional extra
        hint = "the storied command needs its extra: pip install 'storied[cli]'"
        raise SystemExit(f"{hint} ({exc})") from exc
    app()
