"""``python -m bench ui`` runs end to end in a tiny mode and reports every page.

No timing is asserted: the figures are for people, on a quiet machine.
"""

from __future__ import annotations

import io
import re

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite

PAGES = (
    "record (copy_on_change)",
    "record (scd2)",
    "record as of (scd2)",
    "compare v1 and newest",
    "records list",
    "recent changes",
)


def test_the_ui_bench_reports_every_page() -> None:
    out = io.StringIO()
    args = ["ui", "--backends", "sqlite", "--changes", "60", "--rounds", "1", "--ops", "1"]
    result = main(args, out=out)
    text = out.getvalue()
    assert result in (0, 1)  # 1 only says a figure missed its budget on this machine
    for page in PAGES:
        pattern = rf"^sqlite\s+{re.escape(page)}\s+[\d.]+\s+[\d.]+\s+[\d.]+x\s+(ok|MISS)$"
        assert re.search(pattern, text, re.M), text
