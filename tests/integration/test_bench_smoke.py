"""``python -m bench`` runs end to end in a tiny mode on SQLite and reports every row.

No timing is asserted: the bench's figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite

ROW = re.compile(
    r"^(?P<backend>sqlite\b[\w. ]*?)\s{2,}(?P<mode>sync|async)\s{2,}(?P<driver>\S+)\s{2,}"
    r"(?P<op>create|get|update|list \d+(?: rows)?)\s{2,}(?P<storied>[\d,]+)\s{2,}"
    r"(?P<raw>[\d,]+)\s{2,}"
    r"(?P<ratio>[\d.]+)x\s{2,}(?P<storied_cpu>[\d,.]+)\s{2,}(?P<raw_cpu>[\d,.]+)\s{2,}"
    r"(?P<budget>ok|MISS)$"
)
CELL = re.compile(r"([\d.]+)x \(([\d,.]+)\)")
PEER_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<mode>sync|async)\s{2,}\S+\s{2,}(?P<op>create|get|update|list \d+)"
    r"\s{2,}(?P<raw>1\.00x \S+)\s{2,}(?P<storied>\S+ \S+)\s{2,}(?P<orm>\S+ \S+)"
    r"\s{2,}(?P<sqlmodel>\S+ \S+)$"
)
LIST_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<mode>sync|async)\s{2,}\S+\s{2,}list 5\s{2,}"
    r"(?P<raw>1\.00x \S+)\s{2,}(?P<validated>\S+ \S+)\s{2,}(?P<storied>\S+ \S+)"
    r"\s{2,}(?P<over>[\d.]+)x\s{2,}[\d.]+x\s{2,}(ok|MISS)$"
)
CPU = r"\s{2,}(?P<cpu>[\d,.]+)\s{2,}(?P<raw_cpu>[\d,.]+)"


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
        for op in ("create", "get", "update", "list 5", "list 5 rows")
    }
    assert len(rows) == 10  # "list 5 rows": the list as plain rows (query().tuples())
    assert all(float(r["ratio"]) > 0 for r in rows)
    # CPU µs per operation beside every ratio, and the machine's load with them
    assert all(_number(r["storied_cpu"]) > 0 and _number(r["raw_cpu"]) > 0 for r in rows)
    assert "machine: load average" in text
    # storied beside SQLAlchemy ORM and SQLModel: a ratio to raw and CPU µs for each system
    peers = [m.groupdict() for m in map(PEER_ROW.match, text.splitlines()) if m]
    assert {(r["mode"], r["op"]) for r in peers} == {
        (mode, op) for mode in ("sync", "async") for op in ("create", "get", "update", "list 5")
    }
    for row in peers:
        cells = [CELL.fullmatch(row[k]) for k in ("raw", "storied", "orm", "sqlmodel")]
        assert all(c and float(c[1]) > 0 and _number(c[2]) > 0 for c in cells), row
    assert "peers: sqlalchemy 2." in text
    # lists of models beside the raw driver + Pydantic validation of the same rows (issue 16)
    lists = [m.groupdict() for m in map(LIST_ROW.match, text.splitlines()) if m]
    assert {r["mode"] for r in lists} == {"sync", "async"}
    for row in lists:
        cells = [CELL.fullmatch(row[k]) for k in ("raw", "validated", "storied")]
        assert all(c and float(c[1]) > 0 and _number(c[2]) > 0 for c in cells), row
        assert float(row["over"]) > 0
    assert "raw + validation = the raw driver's list" in text
    assert "validates every row into a Pydantic model" in text
    # both sides' statements, storied's compiled ones and the raw driver's
    assert text.count("INSERT INTO bench_items") == 4


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def _rows(pattern: re.Pattern[str], text: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(pattern.match, text.splitlines()) if m]


UPDATE_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<mode>sync|async)\s{2,}(?P<driver>\S+)\s{2,}"
    r"update (?P<strategy>none|copy_on_change|scd2)\s{2,}[\d,]+\s{2,}[\d,]+\s{2,}"
    r"(?P<ratio>[\d.]+)x" + CPU + r"\s{2,}(ok|MISS)$"
)
TRIPS_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<strategy>none|copy_on_change|scd2)\s{2,}"
    r"(?P<create>\d+(\+tx)?)\s{2,}(?P<get>\d+(\+tx)?)\s{2,}(?P<update>\d+(\+tx)?)\s{2,}"
    r"(?P<delete>\d+(\+tx)?)\s{2,}(?P<budget>ok|MISS)\b.*$"
)
READ_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<mode>sync|async)\s{2,}(?P<driver>\S+)\s{2,}"
    r"(?P<read>get|as_of)\s{2,}[\d,]+\s{2,}[\d,]+\s{2,}(?P<ratio>[\d.]+)x"
    + CPU
    + r"\s{2,}(ok|MISS)$"
)
LOAD_ROW = re.compile(
    r"^sqlite\b[\w. ]*?\s{2,}(?P<mode>sync|async)\s{2,}(?P<driver>\S+)\s{2,}"
    r"(?P<strategy>none|copy_on_change|scd2)\s{2,}1[\w +]*?\s{2,}[\d,]+\s{2,}[\d,]+\s{2,}"
    r"(?P<share>\d+)%\s{2,}(?P<copy>[\d,]+|-)\s{2,}(?P<copy_share>\d+%|-)\s{2,}"
    r"(?P<vs_none>\d+)%" + CPU + r"\s{2,}(?P<copy_cpu>[\d.]+|-)\s{2,}(ok|MISS.*)$"
)
DRIVERS = (("sync", "sqlite3"), ("async", "aiosqlite"))
STRATEGIES = ("none", "copy_on_change", "scd2")


def test_the_history_bench_reports_updates_statements_and_reads() -> None:
    out = io.StringIO()
    argv = ["history", "--backends", "sqlite", "--rounds", "1", "--ops", "2"]
    argv += ["--ids", "2", "--versions", "3", "--show-sql"]

    assert main(argv, out=out) == 0

    text = out.getvalue()
    assert "command: python -m bench history --backends sqlite" in text
    updates = _rows(UPDATE_ROW, text)
    assert {(r["mode"], r["driver"], r["strategy"]) for r in updates} == {
        (mode, driver, s) for mode, driver in DRIVERS for s in STRATEGIES
    }
    assert all(float(r["ratio"]) > 0 for r in updates)
    assert all(_number(r["cpu"]) > 0 for r in updates)
    # statements per operation are counted, not timed: SQLite's are known exactly
    trips = {r["strategy"]: r for r in _rows(TRIPS_ROW, text)}
    assert {
        s: tuple(trips[s][op] for op in ("create", "get", "update", "delete")) for s in trips
    } == {
        "none": ("1", "1", "1", "1"),
        "copy_on_change": ("2+tx", "1", "3+tx", "3+tx"),
        "scd2": ("2+tx", "1", "2+tx", "3+tx"),
    }
    assert all(r["budget"] == "ok" for r in trips.values())
    reads = _rows(READ_ROW, text)
    assert {(r["mode"], r["read"]) for r in reads} == {
        (mode, read) for mode, _ in DRIVERS for read in ("get", "as_of")
    }
    assert all(_number(r["cpu"]) > 0 and _number(r["raw_cpu"]) > 0 for r in reads)
    assert "1 vs 3 versions each" in text
    # both sides' statements: the raw side's per strategy, storied's per operation
    assert "== sqlite sync update scd2: raw" in text
    assert "-- sqlite scd2 update" in text


def test_the_bulk_bench_reports_every_strategy_sync_and_async() -> None:
    out = io.StringIO()
    argv = ["bulk", "--backends", "sqlite", "--rows", "20", "--batch", "10", "--rounds", "1"]

    assert main([*argv, "--show-sql"], out=out) == 0

    text = out.getvalue()
    assert "command: python -m bench bulk --backends sqlite --rows 20 --batch 10" in text
    loads = _rows(LOAD_ROW, text)
    assert {(r["mode"], r["driver"], r["strategy"]) for r in loads} == {
        (mode, driver, s) for mode, driver in DRIVERS for s in STRATEGIES
    }
    assert all(int(r["share"]) > 0 for r in loads)
    assert all(_number(r["cpu"]) > 0 and _number(r["raw_cpu"]) > 0 for r in loads)
    # COPY is PostgreSQL's: SQLite rows have no COPY figures
    assert all(r["copy"] == r["copy_share"] == r["copy_cpu"] == "-" for r in loads)
    assert "none >= 90% of raw executemany" in text
    assert "INSERT INTO stock_audited_audit" in text


@pytest.mark.postgresql
def test_the_bulk_bench_puts_raw_copy_beside_executemany_on_postgresql() -> None:
    out = io.StringIO()
    argv = ["bulk", "--backends", "postgresql", "--rows", "40", "--batch", "40", "--rounds", "1"]
    assert main(argv, out=out) == 0
    text = out.getvalue()
    if "SKIPPED postgresql" in text and os.environ.get("CI") != "true":
        pytest.skip("PostgreSQL is not reachable")
    pattern = re.compile(LOAD_ROW.pattern.replace("^sqlite", "^postgresql"))
    loads = {r["mode"] + " " + r["strategy"]: r for r in _rows(pattern, text)}
    assert len(loads) == 6
    for mode in ("sync", "async"):
        none = loads[f"{mode} none"]
        assert _number(none["copy"]) > 0
        assert _number(none["copy_cpu"]) > 0
        assert int(none["copy_share"].rstrip("%")) > 0
        assert loads[f"{mode} scd2"]["copy"] == "-"
