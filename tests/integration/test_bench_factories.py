"""``python -m bench factories`` runs end to end in a tiny mode on SQLite (no timing asserted)."""

from __future__ import annotations

import io

import pytest
from bench.cli import main

pytestmark = pytest.mark.sqlite


def test_the_factories_bench_reports_build_and_create() -> None:
    out = io.StringIO()
    argv = ["factories", "--backends", "sqlite", "--rounds", "1", "--ops", "20", "--rows", "50"]
    assert main([*argv, "--batch", "20"], out=out) == 0
    text = out.getvalue()
    assert "build 20 objects (median of 1):" in text
    assert "storied factory" in text
    assert "plain polyfactory" in text
    assert "create 50 rows into sqlite with create_batch(20), build included:" in text
