"""Every Python example in README.md and docs/*.md runs, top to bottom, one script per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
PAGES = sorted(
    p for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")] if BLOCK.search(p.read_text())
)


@pytest.mark.sqlite
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = "\n".join(BLOCK.findall(page.read_text()))
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    # the page's own asserts check it; dont_inherit keeps this module's __future__ flags out
    exec(compile(source, str(page), "exec", dont_inherit=True), namespace)
