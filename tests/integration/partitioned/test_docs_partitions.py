"""The partitioned-history examples of docs/scaling.md (its ``python partitions`` blocks),
run on the local PostgreSQL server: the page's example URL is replaced by a scratch one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storied import Database

PAGE = Path(__file__).resolve().parents[3] / "docs" / "scaling.md"
BLOCK = re.compile(r"^```python partitions\n(.*?)^```", re.DOTALL | re.MULTILINE)
URL = "postgresql://app@localhost/shop"


@pytest.mark.postgresql
def test_the_partition_examples_run(db_url: str, backend: str) -> None:
    source = "\n".join(BLOCK.findall(PAGE.read_text()))
    assert URL in source
    try:
        namespace = {"__name__": "docs_scaling_partitions"}
        exec(compile(source.replace(URL, db_url), str(PAGE), "exec", dont_inherit=True), namespace)
    finally:
        with Database(db_url) as db:
            tables = ("scaling_ledgers_audit", "scaling_ledgers", "scaling_tariffs")
            db.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}, scaling_tariffs_identity")
