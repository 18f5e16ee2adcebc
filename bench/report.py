"""The printed report: the command, what ran, one row per backend, mode and operation."""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Iterable, Sequence
from importlib import metadata
from typing import TextIO

from . import clock
from .runner import LIST_DIVISOR, Measured, Plan

#: storied's overhead budget over the raw driver (issue 2), per operation, median of the run
BUDGET = 1.3
PACKAGES = ("storied", "sqlalchemy", "pydantic", "psycopg", "asyncpg", "pymysql", "asyncmy")

NOTES = """\
ratio = median over rounds of storied's time / raw's time, both timed back to back in each
round (which goes first alternates); ops/s = 1 / median time per operation. Lower ratio is better.
CPU µs = median over rounds of the process's CPU time per operation (time.process_time: user +
system, all threads), which other load disturbs far less than wall time; on PostgreSQL and
MariaDB it is the client's share only (the server's work is in the wall time, not here).
Both sides send the same statements to the same table on the same connection settings
(autocommit; SQLite WAL + synchronous=NORMAL). The raw side keeps rows as the driver returns
them (tuples; asyncpg records). storied additionally converts values (UUID, aware UTC datetime,
exact Decimal), validates every row into a Pydantic model, and on create validates the new
model, stamps its id, tenant, version and audit fields first. "list N rows" is the same list
as plain rows (query().limit(N).tuples().all()): the values converted, no models; the raw side
runs the same statement as for "list"."""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def header(command: str, plan: Plan, out: TextIO, what: str | None = None) -> None:
    """The command, the versions, and what each round runs (``what``, or the crud bench's)."""
    packages = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    list_calls = max(1, plan.ops // LIST_DIVISOR)
    print("storied bench: storied against the raw driver running the same SQL", file=out)
    print(f"command: {command}", file=out)
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {packages}",
        file=out,
    )
    if what is None:
        what = (
            f"rounds: {plan.rounds} (+{plan.warmup} warm-up), per round and side: {plan.ops} "
            f"create/get/update, {list_calls} list of {plan.rows} rows as models and "
            f"{list_calls} as plain rows"
        )
    print(what, file=out)
    print(f"machine: {clock.load()} (at the start)", file=out)


def render(
    columns: Sequence[str], lines: Sequence[Sequence[str]], right: Iterable[int], out: TextIO
) -> None:
    """A plain text table: a header, a rule, the rows; ``right`` columns aligned right."""
    widths = [max(len(c), *(len(row[i]) for row in lines)) for i, c in enumerate(columns)]
    aligned = set(right)

    def line(cells: Iterable[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in aligned else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print("", file=out)
    print(line(columns), file=out)
    print(line("-" * w for w in widths), file=out)
    for row in lines:
        print(line(row), file=out)
    print("", file=out)


def op_label(op: str, rows: int) -> str:
    """An operation as the tables name it: ``list 1000``, ``list 1000 rows`` (plain rows)."""
    if op == "list":
        return f"list {rows}"
    return f"list {rows} rows" if op == "rows" else op


def cpu(value_us: float) -> str:
    """CPU µs per operation, as the tables print it."""
    return f"{value_us:,.1f}" if value_us < 100 else f"{value_us:,.0f}"


CPU_COLUMNS = ("storied CPU µs", "raw CPU µs")


def table(results: Sequence[Measured], servers: dict[str, str], rows: int, out: TextIO) -> None:
    columns = ("backend", "mode", "driver", "op", "storied ops/s", "raw ops/s", "ratio")
    columns += (*CPU_COLUMNS, "budget")
    lines = [
        (
            f"{r.backend} {servers.get(r.backend, '')}".strip(),
            r.mode,
            r.driver,
            op_label(r.op, rows),
            f"{r.storied_rate:,.0f}",
            f"{r.raw_rate:,.0f}",
            f"{r.ratio:.2f}x",
            cpu(r.cpu_us("storied")),
            cpu(r.cpu_us("raw")),
            "ok" if r.ratio <= BUDGET else "MISS",
        )
        for r in results
    ]
    render(columns, lines, (4, 5, 6, 7, 8), out)
    print(f"budget: ratio <= {BUDGET}x for every row.", file=out)
    print(NOTES, file=out)


#: a list of models against the raw driver's rows validated into the same model (issue 16)
LIST_BUDGET = 1.2
LIST_SYSTEMS = ("raw", "validated", "storied")
LIST_NOTES = """\
raw + validation = the raw driver's list, each row validated into the model storied returns
(BenchItem's validator over dict(zip(columns, row)), the values as the driver returns them;
bench/validated.py). Each system's cell: ratio to raw and CPU µs per list; "÷ validation" =
median over rounds of storied's time / raw + validation's time. Budget: <= 1.2x."""


def lists(results: Sequence[Measured], servers: dict[str, str], rows: int, out: TextIO) -> None:
    """storied's list of models beside the raw driver and the raw driver + validation."""
    ran = [r for r in results if all(s in r.wall for s in LIST_SYSTEMS)]
    if not ran:
        return
    columns = ("backend", "mode", "driver", "op", "raw", "raw + validation", "storied")
    columns += ("÷ validation", "CPU ÷ validation", "budget")
    lines = []
    for r in ran:
        over = r.ratio_of("storied", "validated")
        lines.append(
            (
                f"{r.backend} {servers.get(r.backend, '')}".strip(),
                r.mode,
                r.driver,
                op_label(r.op, rows),
                *(f"{r.ratio_of(s):.2f}x ({cpu(r.cpu_us(s))})" for s in LIST_SYSTEMS),
                f"{over:.2f}x",
                f"{r.cpu_us('storied') / r.cpu_us('validated'):.2f}x",
                "ok" if over <= LIST_BUDGET else "MISS",
            )
        )
    print(
        "lists of models against raw + Pydantic validation (ratio to raw, CPU µs per op):", file=out
    )
    render(columns, lines, range(4, len(columns) - 1), out)
    print(LIST_NOTES, file=out)


PEER_NAMES = {"sqlalchemy": "SQLAlchemy ORM", "sqlmodel": "SQLModel"}
SYSTEMS = ("raw", "storied", *PEER_NAMES)

PEER_NOTES = """\
Each cell: median over rounds of the system's time / raw's time in the same round (rounds rotate
which system goes first), and in brackets its median CPU µs per operation. The peers each have a
table of their own with storied's columns and the same rows; one session per operation;
statements built once with bound parameters; create = add + commit, get and list =
select(Item), update = ORM-enabled UPDATE … RETURNING Item, the statement storied sends
(bench/peers.py says why). ORM and SQLModel objects loaded from the database are not validated
by Pydantic; storied validates every row into its model."""


def peers(results: Sequence[Measured], servers: dict[str, str], rows: int, out: TextIO) -> None:
    """storied beside SQLAlchemy ORM and SQLModel, where they ran: ratio to raw and CPU µs."""
    ran = [r for r in results if all(s in r.wall for s in SYSTEMS)]
    if not ran:
        return
    names = [PEER_NAMES.get(s, s) for s in SYSTEMS]
    columns = ("backend", "mode", "driver", "op", *names)
    lines = [
        (
            f"{r.backend} {servers.get(r.backend, '')}".strip(),
            r.mode,
            r.driver,
            op_label(r.op, rows),
            *(f"{r.ratio_of(s):.2f}x ({cpu(r.cpu_us(s))})" for s in SYSTEMS),
        )
        for r in ran
    ]
    print("storied and the ORM peers (ratio to raw, CPU µs per op):", file=out)
    render(columns, lines, range(4, 4 + len(SYSTEMS)), out)
    print(PEER_NOTES, file=out)
    print(f"peers: {', '.join(f'{n} {_version(n)}' for n in ('sqlalchemy', 'sqlmodel'))}", file=out)


def skipped(reasons: dict[str, str], out: TextIO) -> None:
    for backend, reason in reasons.items():
        print(f"SKIPPED {backend}: {reason}", file=out)


def statements(shown: dict[str, tuple[list[str], list[str]]], out: TextIO) -> None:
    """storied's compiled statements and the raw side's, per backend and mode."""
    for label, (ours, theirs) in shown.items():
        print(f"\n== {label}: storied", file=out)
        for sql in ours:
            print("  " + " ".join(sql.split()), file=out)
        print(f"== {label}: raw", file=out)
        for sql in theirs:
            print("  " + sql, file=out)
