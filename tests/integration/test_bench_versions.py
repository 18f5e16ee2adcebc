"""``python -m bench versions`` runs end to end: two storied processes and the raw driver.

The "old" storied here is this checkout's own src, so the run shows the mechanics (a process per
system, interleaved rounds, CPU and wall change with their spread), not a regression. No timing
is asserted: the figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite

SRC = Path(__file__).resolve().parents[2] / "src"
PCT = r"[+-]\d+\.\d%"
ROW = re.compile(
    rf"^sqlite\s+(?P<mode>sync|async)\s+(?P<driver>\S+)\s+(?P<op>create|get|update)"
    rf"\s+(?P<raw>[\d,.]+)\s+(?P<old>[\d,.]+)\s+(?P<new>[\d,.]+)\s+{PCT} \({PCT} … {PCT}\)"
    rf"\s+[\d,.]+\s+[\d,.]+\s+{PCT} \({PCT} … {PCT}\)\s+(ok|MISS)$"
)


def test_the_versions_bench_compares_two_sources_per_driver() -> None:
    out = io.StringIO()
    argv = ["versions", "--old-src", str(SRC), "--backends", "sqlite", "--rounds", "2"]

    assert main([*argv, "--ops", "3"], out=out) == 0

    text = out.getvalue()
    assert f"old storied: {SRC}" in text
    rows = [m.groupdict() for m in map(ROW.match, text.splitlines()) if m]
    assert {(r["mode"], r["driver"], r["op"]) for r in rows} == {
        (mode, driver, op)
        for mode, driver in (("sync", "sqlite3"), ("async", "aiosqlite"))
        for op in ("create", "get", "update")
    }, text
    assert all(float(r[k].replace(",", "")) > 0 for r in rows for k in ("raw", "old", "new"))
    assert "machine: load average" in text


def test_the_versions_bench_needs_the_old_source() -> None:
    with pytest.raises(SystemExit):
        main(["versions", "--backends", "sqlite"], out=io.StringIO())
