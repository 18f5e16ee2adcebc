"""MariaDB/MySQL with ``mariadb-dump --single-transaction --routines --events``."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ...errors import OperationsError, RestoreRefused
from ..tools import run

HEADERS = (b"-- MariaDB dump", b"-- MySQL dump")
#: the last line mariadb-dump writes: a file without it was cut short
TRAILER = b"-- Dump completed"


#: recent mariadb-dump versions open with this line before the header comment
SANDBOX = b"/*M!999999"


def sniff(head: bytes) -> bool:
    if head.startswith(SANDBOX):
        head = head.partition(b"\n")[2]
    return head.startswith(HEADERS)


def _args(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    args = [f"--host={url.host or '127.0.0.1'}", f"--port={url.port or 3306}", "--protocol=TCP"]
    if url.username:
        args.append(f"--user={url.username}")
    env = {"MYSQL_PWD": str(url.password)} if url.password else {}
    return args, env


def backup(url: sa.URL, engine: sa.Engine, path: Path) -> None:
    args, env = _args(url)
    run(
        [
            "mariadb-dump",
            *args,
            "--single-transaction",
            "--routines",
            "--events",
            "--skip-lock-tables",
            f"--result-file={path}",
            str(url.database),
        ],
        what="backup",
        env=env,
    )


def verify(path: Path) -> None:
    """Refuse a dump without mariadb-dump's closing line (truncated) or its header."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(256)
        f.seek(max(0, size - 256))
        tail = f.read()
    if not sniff(head):
        raise RestoreRefused(f"{path}: not a mariadb-dump file")
    last = [ln for ln in tail.splitlines() if ln.strip()]
    if not last or not last[-1].startswith(TRAILER):
        raise RestoreRefused(f"{path}: the dump is truncated (no '-- Dump completed' line)")


def restore(url: sa.URL, engine: sa.Engine, path: Path) -> None:
    args, env = _args(url)
    try:
        run(
            ["mariadb", *args, f"--database={url.database}"],
            what="restore",
            stdin_file=path,
            env=env,
        )
    except OperationsError as exc:
        raise RestoreRefused(f"{path}: the mariadb client refused it ({exc})") from exc
