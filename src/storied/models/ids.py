"""Time-ordered UUIDs (RFC 9562 version 7) for primary keys."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0
#: random bytes read from os.urandom a block at a time (one system call per 409 ids)
_random = b""
_taken = 0
_BLOCK = 4090

_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown
_RAND_B = (1 << 62) - 1


def _forget_random() -> None:
    """A forked child must not reuse the random bytes its parent had left."""
    global _random, _taken
    _random, _taken = b"", 0


os.register_at_fork(after_in_child=_forget_random)


def uuid7() -> uuid.UUID:
    """A UUIDv7: 48-bit Unix milliseconds, then 74 random bits; strictly increasing per process."""
    global _last, _random, _taken
    with _lock:
        if _taken >= len(_random):
            _random, _taken = os.urandom(_BLOCK), 0
        bits = int.from_bytes(_random[_taken : _taken + 10], "big") >> 6
        _taken += 10
        payload = ((time.time_ns() // 1_000_000) << 74) | bits
        if payload <= _last:
            payload = _last + 1
        _last = payload
    value = (
        (payload >> 74) << 80  # unix_ts_ms
        | 0x7 << 76  # version
        | ((payload >> 62) & 0xFFF) << 64  # rand_a
        | 0x2 << 62  # variant
        | (payload & _RAND_B)  # rand_b
    )
    # uuid.UUID(int=value) with its argument checks skipped: value is 128 bits by construction
    out: uuid.UUID = _new(uuid.UUID)
    _set(out, "int", value)
    _set(out, "is_safe", _UNKNOWN)
    return out
