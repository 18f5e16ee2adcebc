"""``python -m bench rls`` runs end to end in a tiny mode and reports every case (no timing
is asserted)."""

from __future__ import annotations

import io
import re

import pytest
from bench.cli import main

from tests.conftest import SERVERS

pytestmark = pytest.mark.postgresql
ROW = re.compile(
    r"^(?P<mode>sync|async)\s{2,}(?P<scope>one tenant|two tenants)\s{2,}(?P<op>.+?)\s{2,}\d"
)


def test_the_rls_bench_reports_every_case() -> None:
    out = io.StringIO()
    argv = ["rls", "--rounds", "1", "--ops", "2", "--postgresql-url", SERVERS["postgresql"]]
    assert main(argv, out=out) == 0
    rows = [ROW.match(line) for line in out.getvalue().splitlines()]
    cases = {(m["mode"], m["scope"], m["op"]) for m in rows if m}
    assert cases == {
        (mode, scope, op)
        for mode in ("sync", "async")
        for scope, ops in (
            ("one tenant", ("get", "create", "update", "list", "raw", "raw is_local")),
            ("two tenants", ("get", "create", "update")),
        )
        for op in ops
    }
