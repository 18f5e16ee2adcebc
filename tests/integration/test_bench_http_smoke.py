"""``python -m bench http`` runs end to end in a tiny mode and reports every operation.

No timing is asserted: the figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.postgresql


def test_the_http_bench_reports_every_operation() -> None:
    out = io.StringIO()
    result = main(["http", "--rounds", "1", "--ops", "5"], out=out)
    text = out.getvalue()
    if "SKIPPED postgresql" in text:
        if os.environ.get("CI") == "true":
            pytest.fail(text)
        pytest.skip("PostgreSQL unreachable")
    assert result in (0, 1)  # 1 only says a figure missed its budget on this machine
    for op in ("get", "list 100", "create", "patch"):
        row = rf"^{op}\s+\d+ µs\s+\d+ µs\s+[\d.]+x\s+(ok|MISS)\s+(\d+) µs\s+(\d+) µs$"
        found = re.search(row, text, re.M)
        assert found, text
        # the server process's CPU per request, both sides
        assert int(found[2]) > 0, text
        assert int(found[3]) > 0, text
