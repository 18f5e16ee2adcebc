"""The change feed's cursor (``temporal/feed_cursor.py``): it round-trips, refuses what it did
not make, and makes a read's ids final only once every writer open at that read has ended."""

from __future__ import annotations

import pytest

from storied import InvalidCursorError
from storied.temporal.feed_cursor import (
    MAX_WAITING,
    FeedState,
    Waiting,
    decode_cursor,
    encode_cursor,
    settle,
)


def test_round_trip() -> None:
    state = FeedState({"a": 3}, {"a": 5, "b": 1}, (Waiting({"a": 9}, frozenset({7, 8})),))
    assert decode_cursor(encode_cursor(state)) == state
    assert decode_cursor(None) == decode_cursor("") == FeedState()


@pytest.mark.parametrize(
    "bad",
    ["x", "v2.e30", "v1.", "v1.e30", "v1.W10", "v1.eyJwIjp7ImEiOi0xfSwicyI6e30sInciOltdfQ", 3],
)
def test_refuses_what_it_did_not_make(bad: object) -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(bad)  # type: ignore[arg-type]


def test_ids_become_final_when_the_writers_open_at_that_read_have_ended() -> None:
    state = settle(FeedState(), {"a": 10}, frozenset({1}))
    assert state.final == {}
    assert len(state.waiting) == 1
    state = settle(state, {"a": 20}, frozenset({1, 2}))
    assert state.final == {}
    assert len(state.waiting) == 2
    state = settle(state, {"a": 25}, frozenset({2}))  # 1 ended: the first read's ids are final
    assert state.final == {"a": 10}
    assert [w.highest for w in state.waiting] == [
        {"a": 20},
        {"a": 25},
    ]
    state = settle(state, {"a": 30}, frozenset())  # nobody open: everything seen is final
    assert state.final == {"a": 30}
    assert state.waiting == ()


def test_waiting_reads_are_bounded_and_only_delay() -> None:
    state = FeedState()
    for i in range(MAX_WAITING * 2):
        state = settle(state, {"a": i + 1}, frozenset({100, i}))
    assert len(state.waiting) == MAX_WAITING
    assert state.final == {}
    assert decode_cursor(encode_cursor(state)) == state
    state = settle(state, {"a": 99}, frozenset({100}))  # the old writers ended, 100 did not
    assert state.final == {}
    state = settle(state, {"a": 99}, frozenset())
    assert state.final == {"a": 99}
