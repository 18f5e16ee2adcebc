"""The replica examples of docs/scaling.md (its ``python replicas`` blocks), run against the
real pair: the page's example URLs are replaced by the pair's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storied import Database

from .clusters import Pair

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]

PAGE = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"
BLOCK = re.compile(r"^```python replicas\n(.*?)^```", re.DOTALL | re.MULTILINE)
PRIMARY = "postgresql://app@primary.db.internal/shop"
REPLICA = "postgresql://app@replica-1.db.internal/shop"


def test_the_replica_examples_run(pair: Pair) -> None:
    source = "\n".join(BLOCK.findall(PAGE.read_text()))
    assert PRIMARY in source
    assert REPLICA in source
    source = source.replace(PRIMARY, pair.primary.url()).replace(REPLICA, pair.replica.url())
    try:
        exec(compile(source, str(PAGE), "exec", dont_inherit=True), {"__name__": "docs_scaling"})
    finally:
        with Database(pair.primary.url()) as db:
            db.execute("DROP TABLE IF EXISTS scaling_articles")
