"""``max_upload_size``: an upload over the limit is 413 (problem+json) and stores nothing.

Served by uvicorn on a loopback port, with a sync Database and ``Files`` and with an
AsyncDatabase and ``AsyncFiles`` (the raw body then streams into the store as it arrives), on
SQLite, PostgreSQL and MariaDB (sync). Both stores are local folders, so what is on disk can
be checked: after a refused upload no object and no temporary file is left, and the row is as
it was. The limit holds whatever the headers say: a declared ``Content-Length`` over it is
refused before the body is read, a chunked body (no length) when its bytes pass it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storied import AsyncDatabase, Database, Field, Model
from storied.api import Principal, ProblemError, bootstrap
from storied.api.problems import UNAUTHORIZED
from storied.storage import AsyncFiles, AsyncObjectStore, FileRef, Files, ObjectStore
from tests.api.app import Callers
from tests.api.conftest import async_of, scratch_url, served
from tests.conftest import _Servers

LIMIT = 64 * 1024


class Scan(Model, table="api_scans", history="copy_on_change"):
    title: str = Field(max_length=200)
    image: FileRef | None = Field(default=None, store="docs")
    thumb: FileRef | None = None


MODES = [
    pytest.param(("sqlite", "sync"), marks=pytest.mark.sqlite, id="sqlite-sync"),
    pytest.param(("sqlite", "async"), marks=pytest.mark.sqlite, id="sqlite-async"),
    pytest.param(("postgresql", "sync"), marks=pytest.mark.postgresql, id="postgresql-sync"),
    pytest.param(("postgresql", "async"), marks=pytest.mark.postgresql, id="postgresql-async"),
    pytest.param(("mysql", "sync"), marks=pytest.mark.mysql, id="mysql-sync"),
]


class Served:
    def __init__(
        self, client: httpx.Client, callers: Callers, roots: list[Path], base: str
    ) -> None:
        self.base = base
        self.client = client
        self.callers = callers
        self.roots = roots
        self.alice = callers.tenant("alice")

    def send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.alice}", **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)

    def on_disk(self) -> list[str]:
        """Every file under the stores' folders (objects, sidecars, temporary files), lock
        files aside."""
        return sorted(
            str(p.relative_to(root))
            for root in self.roots
            for p in root.rglob("*")
            if p.is_file() and "locks" not in p.parts
        )


@contextmanager
def serve(backend: str, mode: str, url: str, tmp: Path) -> Iterator[Served]:
    callers = Callers()
    bearer = HTTPBearer(auto_error=False)

    def auth(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
        principal = callers.tokens.get(creds.credentials) if creds else None
        if principal is None:
            raise ProblemError(UNAUTHORIZED, "unknown bearer token")
        return principal

    roots = [tmp / "docs", tmp / "default"]
    db: Any
    if mode == "async":
        docs: Any = AsyncObjectStore(f"file://{roots[0]}")
        files: Any = AsyncFiles(AsyncObjectStore(f"file://{roots[1]}"), stores={"docs": docs})
        db = AsyncDatabase(async_of(url, backend))
    else:
        docs = ObjectStore(f"file://{roots[0]}")
        files = Files(ObjectStore(f"file://{roots[1]}"), stores={"docs": docs})
        db = Database(url)
    app = bootstrap(FastAPI(), db, models=[Scan], auth=auth, files=files, max_upload_size=LIMIT)
    with served(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield Served(client, callers, roots, base)


@pytest.fixture(scope="module", params=MODES)
def api(
    request: pytest.FixtureRequest, servers: _Servers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    backend, mode = request.param
    url = scratch_url(backend, servers, tmp_path_factory.mktemp("limit-api"))
    tables = Database(url).connect()
    try:
        tables.drop_all([Scan])
        tables.create_all([Scan])
        with serve(backend, mode, url, tmp_path_factory.mktemp("stores")) as api:
            yield api
    finally:
        try:
            tables.drop_all([Scan])
        finally:
            tables.close()


def refused(api: Served, response: httpx.Response, row: dict[str, Any]) -> None:
    """413 as problem+json, and nothing changed: no file on disk, the row as it was."""
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 413
    assert str(LIMIT) in problem["detail"]
    assert api.on_disk() == []
    after = api.send("GET", f"/api_scans/{row['id']}")
    assert after.status_code == 200, after.text
    assert after.json() == row
    assert after.headers["etag"] == '"1"'


@pytest.fixture
def row(api: Served) -> dict[str, Any]:
    made = api.send("POST", "/api_scans", json={"title": "t"})
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


def chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """A body without Content-Length (chunked transfer encoding)."""
    sent = 0
    while sent < total:
        part = b"x" * min(size, total - sent)
        sent += len(part)
        yield part


def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    api: Served, row: dict[str, Any]
) -> None:
    for field in ("image", "thumb"):
        sent = api.send("PUT", f"/api_scans/{row['id']}/files/{field}", content=b"y" * (LIMIT + 1))
        refused(api, sent, row)


def test_a_declared_length_is_answered_without_waiting_for_the_body(
    api: Served, row: dict[str, Any]
) -> None:
    """Only the headers are sent: the 413 comes back although no byte of the body ever will
    (a server reading the body first would wait, and the read below would time out)."""
    host, port = api.base.removeprefix("http://").split(":")
    head = (
        f"PUT /api_scans/{row['id']}/files/image HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {api.alice}\r\nContent-Type: image/png\r\n"
        f"Content-Length: {LIMIT + 1}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert api.on_disk() == []


def test_a_chunked_body_is_counted_as_it_arrives(api: Served, row: dict[str, Any]) -> None:
    for field in ("image", "thumb"):
        sent = api.send("PUT", f"/api_scans/{row['id']}/files/{field}", content=chunks(LIMIT + 1))
        refused(api, sent, row)


def test_a_multipart_body_over_the_limit_is_refused(api: Served, row: dict[str, Any]) -> None:
    sent = api.send(
        "PUT",
        f"/api_scans/{row['id']}/files/image",
        files={"file": ("scan.png", b"z" * LIMIT, "image/png")},  # framing makes it larger
    )
    refused(api, sent, row)


def test_a_body_of_exactly_the_limit_is_stored(api: Served, row: dict[str, Any]) -> None:
    sent = api.send("PUT", f"/api_scans/{row['id']}/files/image", content=chunks(LIMIT))
    assert sent.status_code == 200, sent.text
    assert sent.json()["image"]["size"] == LIMIT
    got = api.send("GET", f"/api_scans/{row['id']}/files/image")
    assert got.content == b"x" * LIMIT
    api.send("DELETE", f"/api_scans/{row['id']}", headers={"If-Match": '"2"'})
    for root in api.roots:  # leave the folders empty for the next test
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and "locks" not in path.parts:
                path.unlink()


def test_the_limit_is_a_number_of_bytes_or_none() -> None:
    from storied import ConfigurationError
    from storied.api import files_router

    files = Files(ObjectStore("memory://"), stores={"docs": ObjectStore("memory://")})
    with pytest.raises(ConfigurationError, match="max_upload_size"):
        files_router(
            Scan, db=Database("sqlite://"), files=files, auth=lambda: None, max_upload_size=-1
        )
    files_router(
        Scan, db=Database("sqlite://"), files=files, auth=lambda: None, max_upload_size=None
    )
