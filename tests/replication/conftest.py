"""``pair``: a real primary and streaming replica for the session (see ``clusters.py``).

Locally, missing PostgreSQL server tools skip these tests (listed loudly at the end, like an
unreachable server); under ``CI=true`` they fail. Both clusters are stopped and removed at the
end of the session, whatever happened; a test that stops the replica or pauses its replay puts
it back (``replica_restored``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storied.testing.plugin import missing_backend

from .clusters import Pair, ToolsMissing

pytestmark = [pytest.mark.postgresql, pytest.mark.replication]


@pytest.fixture(scope="session")
def pair() -> Iterator[Pair]:
    try:
        made = Pair.create()
    except ToolsMissing as exc:
        missing_backend("replication", str(exc))
        raise AssertionError("unreachable") from exc
    try:
        yield made
    finally:
        made.remove()


@pytest.fixture
def replica_restored(pair: Pair) -> Iterator[Pair]:
    """The pair, with the replica running and replaying again after the test."""
    try:
        yield pair
    finally:
        if pair.replica.pid() is None:
            pair.replica.start()
        pair.resume_replay()
        pair.wait_streaming()
