"""``storied serve`` as a user runs it: a subprocess serving examples/http_app.py's models on a
free loopback port, driven over real HTTP; and one error line with exit code 1 for a bad
module path, a bad URL or a port in use."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import sqlalchemy as sa

from storied import Database
from tests.conftest import ASYNC_DRIVERS

ROOT = Path(__file__).resolve().parents[2]
TENANT = "8a280c2d-73f0-4861-b0aa-b1a82c6bf3f2"
AUTH_MODULE = f'''
from fastapi import Header
from storied.api import Principal, ProblemError
from storied.api.problems import UNAUTHORIZED

def bearer(authorization: str = Header(default="")) -> Principal:
    if authorization != "Bearer alice-token":
        raise ProblemError(UNAUTHORIZED, "unknown token")
    return Principal(actor="alice", tenant_id="{TENANT}")
'''


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STORIED_DATABASE_URL"}
    path = [str(tmp_path), str(ROOT / "src"), str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join([*path, env.get("PYTHONPATH", "")])
    env["STORIED_EXAMPLE_DB"] = str(tmp_path / "unused.db")  # the example's own app, not served
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from storied.cli import main; main()", "serve", *args]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Ended:
    """How a served process ended (filled in when ``_serving`` stops it)."""

    returncode: int | None = None
    stderr: str = ""


def _wait_until_up(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60  # a guard against a hang, not a timing assertion
    while True:
        assert proc.poll() is None, "storied serve exited"
        try:
            if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "storied serve did not start"
        time.sleep(0.1)


@contextmanager
def _serving(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, Ended]]:
    """``storied serve … --port <free>`` until it answers; stopped with SIGINT (Ctrl-C) after."""
    port = _free_port()
    ended = Ended()
    with subprocess.Popen(
        _command(*args, "--port", str(port)),
        env=env or _env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, proc)
            yield base, ended
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                _, ended.stderr = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, ended.stderr = proc.communicate()
            ended.returncode = proc.returncode


def _create_list_get(base: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        sku = f"A-{uuid4().hex[:8]}"
        r = http.post("/products", json={"sku": sku, "name": "Anvil", "price": "9.99"})
        assert r.status_code == 201, r.text
        assert r.headers["etag"] == '"1"'
        assert r.json()["created_by"] == "alice"
        item = r.json()
        listed = http.get("/products", params={"sku": sku}).json()
        assert [p["id"] for p in listed["items"]] == [item["id"]]
        got = http.get(r.headers["location"])
        assert got.status_code == 200
        assert got.json() == item
        assert http.get(f"/products/{uuid4()}").status_code == 404


@pytest.fixture
def served_db(db: Database) -> Iterator[Database]:
    """The backend's database; the example's tables are dropped after."""
    from examples.http_app import Page, Product

    yield db
    db.drop_all([Product, Page])


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_serve_with_an_auth_dependency_creates_lists_and_gets(
    tmp_path: Path, served_db: Database, db_url: str, backend: str, driver: str
) -> None:
    (tmp_path / "shop_auth.py").write_text(AUTH_MODULE)
    url = db_url
    if driver == "async":
        async_url = sa.make_url(db_url).set(drivername=ASYNC_DRIVERS[backend])
        url = async_url.render_as_string(hide_password=False)
    args = ("--models", "examples.http_app", "--auth", "shop_auth:bearer", "--sync-schema")
    with _serving(tmp_path, *args, "-d", url) as (base, ended):
        _create_list_get(base, {"Authorization": "Bearer alice-token"})
        anonymous = httpx.get(base + "/products", timeout=30)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
    assert ended.returncode == 0, ended.stderr  # Ctrl-C is a normal stop
    assert "warning" not in ended.stderr  # no development-auth warning


def test_serve_with_dev_auth_warns_and_takes_the_url_from_the_environment(
    tmp_path: Path, served_db: Database, db_url: str, backend: str
) -> None:
    env = {**_env(tmp_path), "STORIED_DATABASE_URL": db_url}
    args = ("--models", "examples.http_app", "--dev-auth", "--sync-schema")
    with _serving(tmp_path, *args, env=env) as (base, ended):
        _create_list_get(base, {"X-User": "alice", "X-Tenant": TENANT})
    assert ended.returncode == 0, ended.stderr
    first, second = ended.stderr.splitlines()[:2]
    assert first.startswith("warning: --dev-auth believes the X-User and X-Tenant headers")
    assert second.startswith("serving 2 models on http://127.0.0.1:")


def _refused(tmp_path: Path, *args: str) -> str:
    (tmp_path / "shop_auth.py").write_text(AUTH_MODULE)
    base = ("--models", "examples.http_app", "--auth", "shop_auth:bearer")
    done = subprocess.run(
        _command(*base, *args),
        env=_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.sqlite
def test_a_bad_module_path_is_one_error_line(tmp_path: Path) -> None:
    assert "cannot import models module 'no_such_shop'" in _refused(
        tmp_path, "--models", "no_such_shop"
    )
    assert "has no attribute 'Nope'" in _refused(tmp_path, "--models", "examples.http_app:Nope")
    assert "--auth takes module:attr" in _refused(tmp_path, "--auth", "shop_auth")
    assert "has no attribute 'nobody'" in _refused(tmp_path, "--auth", "shop_auth:nobody")
    assert "or --dev-auth" in _refused(tmp_path, "--auth", "shop_auth:bearer", "--dev-auth")


@pytest.mark.sqlite
def test_a_bad_url_is_one_error_line(tmp_path: Path) -> None:
    assert "--database-url" in _refused(tmp_path, "-d", "not a url")
    assert "does not support 'foo'" in _refused(tmp_path, "-d", "foo://x")
    port = _free_port()  # nothing listens there
    unreachable = f"postgresql://u:s3cret@127.0.0.1:{port}/shop"
    line = _refused(tmp_path, "-d", unreachable)
    assert f"127.0.0.1:{port}" in line
    assert "s3cret" not in line


@pytest.mark.sqlite
def test_a_port_in_use_is_one_error_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        url = f"sqlite:///{tmp_path}/shop.db"
        line = _refused(tmp_path, "-d", url, "--port", str(port))
    assert f"cannot listen on 127.0.0.1:{port}" in line
