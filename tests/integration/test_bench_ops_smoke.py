"""``python -m bench ops`` runs end to end on a few rows and reports every operation.

No timing is asserted: the figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite


def test_the_ops_bench_reports_export_and_backup_with_peak_rss() -> None:
    out = io.StringIO()
    assert main(["ops", "--backends", "sqlite", "--rows", "300"], out=out) == 0
    text = out.getvalue()
    assert "load average at start:" in text
    for op, rows in (
        ("storied iterate\\(\\) to models", "30"),
        ("storied iterate\\(\\) to models", "300"),
        ("storied export_csv \\(zip of CSV\\)", "30"),
        ("storied export_csv \\(zip of CSV\\)", "300"),
        ("storied backup portable", "300"),
        ("storied backup native", "300"),
        ("sqlite3 backup API", "300"),
    ):
        assert re.search(
            rf"^sqlite\s+{op}\s+{rows}\s+[\d.]+\s+[\d,]+\s+[\d.]+\s+\d+ MiB", text, re.M
        ), text
