"""The examples the README points at run, twice on the same file (schema sync is idempotent)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.sqlite
def test_quickstart_runs_and_tells_the_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["quickstart.py", str(tmp_path / "shop.db")])
    for _ in range(2):
        runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("history  update by alice: price: 9.99 → 12.50") == 2
    assert out.count("isolated another tenant sees no such product") == 2
