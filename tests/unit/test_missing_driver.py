"""A URL whose driver is not installed: ConfigurationError naming the extra that brings it.

Each case runs in a fresh interpreter in which the driver's module cannot be imported (as
without the extra), so nothing of this process's imports is disturbed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import sys
sys.modules[{module!r}] = None  # the import now fails, as when the package is absent
from storied import {cls}, ConfigurationError
try:
    db = {cls}({url!r})
    {call}
except ConfigurationError as exc:
    assert exc.__cause__ is None, exc.__cause__
    print(exc)
else:
    raise SystemExit("no ConfigurationError")
"""
CASES = [
    ("psycopg", "Database", "postgresql://u@127.0.0.1:1/x", "postgresql"),
    ("asyncpg", "AsyncDatabase", "postgresql://u@127.0.0.1:1/x", "postgresql"),
    ("pymysql", "Database", "mysql://u@127.0.0.1:1/x", "mysql"),
    ("asyncmy", "AsyncDatabase", "mysql://u@127.0.0.1:1/x", "mysql"),
    ("aiosqlite", "AsyncDatabase", "sqlite:///x.db", "sqlite-async"),
]


@pytest.mark.parametrize(("module", "cls", "url", "extra"), CASES, ids=[c[0] for c in CASES])
def test_a_missing_driver_names_its_extra(
    module: str, cls: str, url: str, extra: str, tmp_path: object
) -> None:
    call = "db.connect()" if cls == "Database" else "import asyncio; asyncio.run(db.connect())"
    source = SCRIPT.format(module=module, cls=cls, url=url, call=call)
    done = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert f'pip install "storied[{extra}]"' in done.stdout
    assert module in done.stdout
