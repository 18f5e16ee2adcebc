"""The HTTP tests' app, served two ways per backend: in-process over httpx's ASGITransport
(with an AsyncDatabase) and over real HTTP from uvicorn on a free loopback port (with a sync
Database). Tables are created once per backend and mode; each test works in tenants of its own.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from storied import AsyncDatabase, Database
from tests.api.app import MODELS, Callers, make_app
from tests.conftest import ASYNC_DRIVERS, _Servers

MODES = [
    pytest.param(("sqlite", "asgi"), marks=pytest.mark.sqlite, id="sqlite-asgi"),
    pytest.param(("sqlite", "http"), marks=pytest.mark.sqlite, id="sqlite-http"),
    pytest.param(("postgresql", "asgi"), marks=pytest.mark.postgresql, id="postgresql-asgi"),
    pytest.param(("postgresql", "http"), marks=pytest.mark.postgresql, id="postgresql-http"),
    pytest.param(("mysql", "asgi"), marks=pytest.mark.mysql, id="mysql-asgi"),
    pytest.param(("mysql", "http"), marks=pytest.mark.mysql, id="mysql-http"),
]


class Loop:
    """An event loop in a thread of its own: the in-process app and its client live there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@dataclass
class Api:
    """Requests as a named caller (a bearer token), the same call whichever way it is served."""

    send: Any
    callers: Callers
    base_url: str
    backend: str
    mode: str
    apps: list[Any] = field(default_factory=list)
    #: the database's sync URL (for tests that write under the API)
    url: str = ""

    def request(
        self, method: str, url: str, caller: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if caller is not None:
            headers["Authorization"] = f"Bearer {caller}"
        return self.send(method, url, headers=headers, **kw)  # type: ignore[no-any-return]

    def get(self, url: str, caller: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, caller, **kw)

    def post(self, url: str, caller: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, caller, **kw)

    def patch(self, url: str, caller: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", url, caller, **kw)

    def put(self, url: str, caller: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", url, caller, **kw)

    def delete(self, url: str, caller: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, caller, **kw)


def scratch_url(backend: str, servers: _Servers, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/api.db"
    return servers.url(backend).render_as_string(hide_password=False)


def async_of(url: str, backend: str) -> str:
    parsed = sa.make_url(url).set(drivername=ASYNC_DRIVERS[backend])
    return parsed.render_as_string(hide_password=False)


def free_socket() -> socket.socket:
    """A listening socket on a free loopback port (uvicorn serves on it: no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def served(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread; stop it after."""
    sock = free_socket()
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not server.started:
            raise RuntimeError("uvicorn did not start")
        host, port = sock.getsockname()
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@contextmanager
def in_process(app: Any) -> Iterator[tuple[Loop, httpx.AsyncClient]]:
    """The app's lifespan and an httpx client over ASGITransport, on a loop of their own."""
    loop = Loop()
    lifespan = app.router.lifespan_context(app)
    loop.run(lifespan.__aenter__())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")
    try:
        yield loop, client
    finally:
        try:
            loop.run(client.aclose())
            loop.run(lifespan.__aexit__(None, None, None))
        finally:
            loop.close()


@contextmanager
def serve(backend: str, mode: str, url: str, callers: Callers, **options: Any) -> Iterator[Api]:
    """The test app on ``url``, in-process (AsyncDatabase) or over HTTP (Database)."""
    if mode == "asgi":
        app = make_app(AsyncDatabase(async_of(url, backend)), callers, **options)
        with in_process(app) as (loop, client):

            def send(method: str, path: str, **kw: Any) -> httpx.Response:
                return loop.run(client.request(method, path, **kw))  # type: ignore[no-any-return]

            yield Api(send, callers, "http://api", backend, mode, [app], url)
        return
    app = make_app(Database(url), callers, **options)
    with served(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield Api(client.request, callers, base, backend, mode, [app], url)


@pytest.fixture(scope="module", params=MODES)
def api(
    request: pytest.FixtureRequest, servers: _Servers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    backend, mode = request.param
    url = scratch_url(backend, servers, tmp_path_factory.mktemp("api"))
    tables = Database(url).connect()
    try:
        tables.drop_all(MODELS)
        tables.create_all(MODELS)
        with serve(backend, mode, url, Callers()) as api:
            yield api
    finally:
        try:
            tables.drop_all(MODELS)
        finally:
            tables.close()
