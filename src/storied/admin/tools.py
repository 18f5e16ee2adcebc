"""External programs operations call (``dot``, ``pg_dump``, ``mariadb-dump``): found or named."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from ..errors import MissingToolError, OperationsError

#: the Debian package that provides each program
PACKAGES = {
    "dot": "graphviz",
    "pg_dump": "postgresql-client",
    "pg_restore": "postgresql-client",
    "psql": "postgresql-client",
    "mariadb-dump": "mariadb-client",
    "mariadb": "mariadb-client",
}


def find(program: str) -> str:
    """The path of ``program``, or MissingToolError naming the package that provides it."""
    path = shutil.which(program)
    if path is None:
        package = PACKAGES.get(program, program)
        raise MissingToolError(
            f"{program} is not installed (Debian/Ubuntu: apt-get install {package})"
        )
    return path


def run(
    args: Sequence[str],
    *,
    what: str,
    stdin: bytes | None = None,
    stdin_file: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> bytes:
    """Run a program; its stdout, or OperationsError with the first line of its stderr.

    ``env`` is added to this process's environment (passwords go there, never into argv).
    """
    program = find(args[0])
    try:
        with open(stdin_file, "rb") if stdin_file else nullcontext() as source:
            done = subprocess.run(
                [program, *args[1:]],
                input=stdin,
                stdin=source,
                capture_output=True,
                env=None if env is None else {**os.environ, **env},
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired as exc:
        raise OperationsError(f"{what}: {args[0]} timed out after {timeout} s") from exc
    if done.returncode != 0:
        first = next(
            (ln for ln in done.stderr.decode(errors="replace").splitlines() if ln.strip()), ""
        )
        raise OperationsError(f"{what}: {args[0]} failed (exit {done.returncode}): {first}")
    return done.stdout
