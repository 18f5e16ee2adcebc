"""``python -m bench rls`` runs end to end in a tiny mode and reports every case (no timing
is asserted)."""

from __future__ import annotations

import io

import pytest
from bench.cli import main

from tests.conftest import SERVERS

pytestmark = pytest.mark.postgresql


def test_the_rls_bench_reports_every_case() -> None:
    out = io.StringIO()
    argv = ["rls", "--rounds", "1", "--ops", "2", "--postgresql-url", SERVERS["postgresql"]]
    assert main(argv, out=out) == 0
    rows = [
        line.split() for line in out.getvalue().splitlines() if line.startswith(("sync ", "async "))
    ]
    cases = {(r[0], " ".join(r[1:3]), r[3]) for r in rows}
    assert cases == {
        (mode, scope, op)
        for mode in ("sync", "async")
        for scope, ops in (
            ("one tenant", ("get", "create", "update", "list", "raw")),
            ("two tenants", ("get", "create", "update")),
        )
        for op in ops
    }
