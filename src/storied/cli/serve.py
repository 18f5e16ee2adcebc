"""``storied serve``: the generated HTTP API for a module's models, served by uvicorn.

Everything that can be checked before serving is checked first — the models, the auth
dependency, the database (one connection, opened and closed) and the port (bound here and
handed to uvicorn, so no other process can take it in between) — and a failure is one line
on stderr with exit code 1. Identity comes from ``--auth module:attr``; the header-trusting
development auth only with ``--dev-auth``, which says so on stderr.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import loading
from .loading import DEFAULT_URL, load_attribute, load_models
from .schema import Models, Url, _fail

if TYPE_CHECKING:
    from ..engine.database import AsyncDatabase, Database

DEV_AUTH_WARNING = (
    "warning: --dev-auth believes the X-User and X-Tenant headers of every request: "
    "anyone can act as anyone. Never use it outside development."
)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    models: Models,
    database_url: Url = DEFAULT_URL,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port.")] = 8000,
    auth: Annotated[
        str | None,
        typer.Option(
            "--auth",
            envvar="STORIED_AUTH",
            help="module:attr of the FastAPI dependency returning the caller's Principal.",
        ),
    ] = None,
    dev_auth: Annotated[
        bool,
        typer.Option(
            "--dev-auth", help="Take identity from X-User/X-Tenant headers (development only)."
        ),
    ] = False,
    prefix: Annotated[str, typer.Option("--prefix", help="Path before every collection.")] = "",
    sync_schema: Annotated[
        bool, typer.Option("--sync-schema", help="Apply the safe schema changes at start-up.")
    ] = False,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level.")] = "warning",
) -> None:
    """Serve the HTTP API (CRUD, history, problem+json) of the models in a module."""
    from ..errors import StoriedError

    try:
        from fastapi import FastAPI

        from ..api import bootstrap, dev_header_auth
    except ImportError as exc:
        _fail(ImportError(f"storied serve needs the api extra: pip install 'storied[api]' ({exc})"))
    if dev_auth and auth is not None:
        _fail(ValueError("pass --auth or --dev-auth, not both"))
    if not dev_auth and auth is None:
        _fail(ValueError("pass --auth module:attr (your Principal dependency), or --dev-auth"))
    try:
        found = load_models(models)
        dependency = dev_header_auth() if dev_auth else _auth(auth or "")
        db = _database(loading.database_url(database_url))
    except (StoriedError, ValueError) as exc:
        _fail(exc)
    sock = _bind(host, port)
    if dev_auth:
        typer.echo(DEV_AUTH_WARNING, err=True)
    app = FastAPI(title="storied", description=", ".join(m.__name__ for m in found))
    bootstrap(app, db, models=found, auth=dependency, prefix=prefix, sync_schema=sync_schema)
    _run(app, sock, log_level, len(found))


def _auth(path: str) -> Any:
    from ..errors import ConfigurationError

    dependency = load_attribute(path, "--auth")
    if not callable(dependency):
        raise ConfigurationError(f"--auth {path!r} is not callable: name the dependency itself")
    return dependency


def _database(url: str) -> Database | AsyncDatabase:
    """The Database (or AsyncDatabase, for an async driver), once connected and closed to
    show that the URL, the driver and the server are all right."""
    import asyncio

    import sqlalchemy as sa

    from ..engine.database import AsyncDatabase, Database
    from ..errors import ConfigurationError

    try:
        Database(url)  # storied's own checks first: a backend it speaks
        is_async = sa.make_url(url).get_dialect().is_async
    except (ConfigurationError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigurationError(f"--database-url: {exc}") from None
    if is_async:
        db: AsyncDatabase = AsyncDatabase(url)

        async def check() -> None:
            await db.connect()
            await db.close()

        asyncio.run(check())
        return AsyncDatabase(url)
    Database(url).connect().close()
    return Database(url)


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``: taken now, so "in use" is known before serving."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        _fail(OSError(f"cannot listen on {host}: {exc.strerror or exc}"))
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        _fail(OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
    return sock


def _run(app: Any, sock: socket.socket, log_level: str, count: int) -> None:
    import uvicorn

    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(app, log_level=log_level, lifespan="on")
    server = uvicorn.Server(config)
    typer.echo(f"serving {count} models on http://{shown}:{port} (docs at /docs)", err=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it shut down on: a normal stop
        pass
    finally:
        sock.close()
    if not server.started:  # start-up failed (uvicorn has logged why)
        raise typer.Exit(1)
