"""Every relative link in README.md and docs/*.md points at a file inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: [text](target) and `path/like/this.md` mentions: both must resolve inside the repository
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
MENTION = re.compile(r"`((?:\.\./|[\w./-]+/)[\w./-]+\.md)`")


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_relative_links_stay_inside_the_repository(page: Path) -> None:
    text = page.read_text()
    targets = [t for t in LINK.findall(text) if "://" not in t and not t.startswith("mailto:")]
    targets += MENTION.findall(text)
    for target in targets:
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{page.name} links outside the repo: {target}"
        assert resolved.exists(), f"{page.name} links to a missing file: {target}"
