"""The Row-Level Security examples of docs/scaling.md (its ``python rls`` blocks), run as the
application role of the RLS tests: the page's example URL is replaced by that role's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storied import Database

from .conftest import Server

pytestmark = pytest.mark.postgresql

PAGE = Path(__file__).resolve().parents[3] / "docs" / "scaling.md"
BLOCK = re.compile(r"^```python rls\n(.*?)^```", re.DOTALL | re.MULTILINE)
URL = "postgresql://app@db.internal/shop"


def test_the_row_level_security_examples_run(rls_server: Server) -> None:
    source = "\n".join(BLOCK.findall(PAGE.read_text()))
    assert URL in source
    source = source.replace(URL, rls_server.url)
    try:
        exec(compile(source, str(PAGE), "exec", dont_inherit=True), {"__name__": "docs_rls"})
    finally:
        with Database(rls_server.url) as db:
            db.execute("DROP TABLE IF EXISTS rls_invoices_audit, rls_invoices")
