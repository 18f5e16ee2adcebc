"""Time-ordered UUIDs (RFC 9562 version 7) for primary keys."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0


def uuid7() -> uuid.UUID:
    """A UUIDv7: 48-bit Unix milliseconds, then 74 random bits; strictly increasing per process."""
    global _last
    with _lock:
        payload = ((time.time_ns() // 1_000_000) << 74) | (
            int.from_bytes(os.urandom(10), "big") >> 6
        )
        if payload <= _last:
            payload = _last + 1
        _last = payload
    ms, rand_a, rand_b = payload >> 74, (payload >> 62) & 0xFFF, payload & ((1 << 62) - 1)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (rand_a << 64) | (0x2 << 62) | rand_b)
