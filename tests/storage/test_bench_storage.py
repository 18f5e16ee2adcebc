"""``python -m bench storage`` runs end to end (quick, one round) and reports every row.

No timing is asserted: the figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.s3

ROW = re.compile(
    r"^(moto S3|local disk)\s+(upload|download)\s+1 MB\s+[\d,]+\s+[\d,]+\s+.+\d+%.*"
    r"\s(?P<cpu>[\d,]+)\s+(?P<other_cpu>[\d,]+)$"  # CPU µs per operation, both sides
)


def test_the_storage_bench_reports_every_row() -> None:
    out = io.StringIO()
    assert main(["storage", "--quick", "--rounds", "1"], out=out) == 0
    rows = [line for line in out.getvalue().splitlines() if ROW.match(line)]
    assert len(rows) == 8, out.getvalue()
    cpu = [ROW.match(line) for line in rows]
    assert all(m and int(m["cpu"].replace(",", "")) > 0 for m in cpu)
    assert all(m and int(m["other_cpu"].replace(",", "")) > 0 for m in cpu)
