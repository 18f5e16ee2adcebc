"""``python -m bench`` runs end to end in a tiny mode on SQLite and reports every row.

No timing is asserted: the bench's figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite

ROW = re.compile(
    r"^(?P<backend>sqlite\b[\w. ]*?)\s{2,}(?P<mode>sync|async)\s{2,}(?P<driver>\S+)\s{2,}"
    r"(?P<op>create|get|update|list \d+)\s{2,}(?P<storied>[\d,]+)\s{2,}(?P<raw>[\d,]+)\s{2,}"
    r"(?P<ratio>[\d.]+)x\s{2,}(?P<budget>ok|MISS)$"
)


def test_the_bench_reports_every_operation_sync_and_async() -> None:
    out = io.StringIO()
    argv = ["--backends", "sqlite", "--rounds", "1", "--ops", "2", "--rows", "5", "--show-sql"]

    assert main(argv, out=out) == 0

    text = out.getvalue()
    assert "command: python -m bench --backends sqlite --rounds 1 --ops 2" in text
    rows = [m.groupdict() for m in map(ROW.match, text.splitlines()) if m]
    found = {(r["mode"], r["driver"], r["op"]) for r in rows}
    assert found == {
        (mode, driver, op)
        for mode, driver in (("sync", "sqlite3"), ("async", "aiosqlite"))
        for op in ("create", "get", "update", "list 5")
    }
    assert len(rows) == 8
    assert all(float(r["ratio"]) > 0 for r in rows)
    assert "validates every row into a Pydantic model" in text
    # both sides' statements, storied's compiled ones and the raw driver's
    assert text.count("INSERT INTO bench_items") == 4
