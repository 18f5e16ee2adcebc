"""PostgreSQL with ``pg_dump -Fc`` and ``pg_restore`` (client and server majors must match)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from ...errors import OperationsError, RestoreRefused
from ..tools import run

HEADER = b"PGDMP"


def sniff(head: bytes) -> bool:
    return head.startswith(HEADER)


def _env(url: sa.URL) -> dict[str, str]:
    env = {"PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432)}
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def client_major(program: str = "pg_dump") -> int:
    text = run([program, "--version"], what="backup").decode()
    found = re.search(r"(\d+)(?:\.\d+)?", text)
    if found is None:
        raise OperationsError(f"cannot read the version of {program}: {text.strip()!r}")
    return int(found.group(1))


def check_versions(engine: sa.Engine, program: str = "pg_dump") -> None:
    """Refuse a client whose major version differs from the server's."""
    server = engine.dialect.server_version_info
    client = client_major(program)
    if server is None or server[0] != client:
        raise OperationsError(
            f"{program} is version {client} but the server runs PostgreSQL "
            f"{server[0] if server else '?'}; use the client of the same major version "
            f"(Debian: apt-get install postgresql-client-{server[0] if server else 'N'})"
        )


def backup(url: sa.URL, engine: sa.Engine, path: Path) -> None:
    check_versions(engine)
    run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(path), "-d", str(url.database)],
        what="backup",
        env=_env(url),
    )


def verify(path: Path) -> None:
    """Refuse a file whose table of contents pg_restore cannot read."""
    try:
        run(["pg_restore", "--list", str(path)], what="restore")
    except OperationsError as exc:
        raise RestoreRefused(f"{path}: not a readable pg_dump archive ({exc})") from exc


def restore(url: sa.URL, engine: sa.Engine, path: Path) -> None:
    """Load the archive into the empty database at ``url``, in one transaction."""
    check_versions(engine, "pg_restore")
    try:
        run(
            [
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "-d",
                str(url.database),
                str(path),
            ],
            what="restore",
            env=_env(url),
        )
    except OperationsError as exc:
        raise RestoreRefused(f"{path}: pg_restore refused it ({exc})") from exc
