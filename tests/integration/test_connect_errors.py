"""A connection that cannot be opened is one clear error: where storied tried and why, never
the password (Python API, sync and async, and the ``storied`` command)."""

from __future__ import annotations

import socket
import subprocess
import sys
import traceback

import pytest

from storied import AsyncDatabase, Database, OperationalError

SECRET = "pw-8c1f3e"
#: how the drivers word a refused connection (asyncpg and asyncmy quote the OS error)
REFUSED = ("refused", "errno 111")
SERVERS = {
    "postgresql": ("postgresql", "postgresql+asyncpg"),
    "mysql": ("mysql", "mysql+asyncmy"),
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def url(scheme: str, port: int) -> str:
    return f"{scheme}://storied_user:{SECRET}@127.0.0.1:{port}/nowhere"


def assert_clear(exc: BaseException, port: int) -> None:
    text = str(exc)
    assert f"127.0.0.1:{port}" in text
    assert "nowhere" in text
    assert any(why in text.lower() for why in REFUSED), text  # the driver's reason
    assert SECRET not in "".join(traceback.format_exception(exc))


@pytest.mark.parametrize("server", list(SERVERS))
def test_sync_connect_names_host_and_reason(server: str) -> None:
    port = closed_port()
    with pytest.raises(OperationalError) as caught:
        Database(url(SERVERS[server][0], port)).connect()
    assert_clear(caught.value, port)


@pytest.mark.parametrize("server", list(SERVERS))
async def test_async_connect_names_host_and_reason(server: str) -> None:
    port = closed_port()
    with pytest.raises(OperationalError) as caught:
        await AsyncDatabase(url(SERVERS[server][1], port)).connect()
    assert_clear(caught.value, port)


@pytest.mark.sqlite
def test_sqlite_names_the_file(tmp_path: object) -> None:
    path = f"{tmp_path}/missing-dir/app.db"
    with pytest.raises(OperationalError, match=r"missing-dir/app\.db: unable to open"):
        Database(f"sqlite:///{path}").connect()


def test_cli_prints_one_line_without_the_password(tmp_path: object) -> None:
    port = closed_port()
    (tmp_path / "conn_models.py").write_text(  # type: ignore[operator]
        "from storied import Model\n\nclass Thing(Model, table='things'):\n    name: str\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "from storied.cli import main; main()", "plan",
         "--models", "conn_models", "--database-url", url("postgresql", port)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"127.0.0.1:{port}" in lines[0]
    assert any(why in lines[0].lower() for why in REFUSED)
    assert SECRET not in done.stdout + done.stderr
