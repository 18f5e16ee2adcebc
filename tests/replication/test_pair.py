"""The fixture itself: a primary, and a replica in recovery that replays what it writes."""

from __future__ import annotations

import pytest

from .clusters import Pair

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]


def test_replica_streams_from_primary(pair: Pair) -> None:
    with pair.primary.connect() as conn:
        row = conn.execute("SELECT pg_is_in_recovery(), current_setting('wal_level')").fetchone()
        assert row == (False, "replica")
    with pair.replica.connect() as conn:
        row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        assert row == (True,)
    pair.wait_streaming(timeout=10)
    assert pair.primary.port != 5432
    assert pair.replica.port != 5432
