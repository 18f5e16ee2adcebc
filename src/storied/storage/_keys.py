"""Object keys: one rule for every backend, checked before any I/O.

A key is a ``/``-separated relative path of non-empty segments. Refused: empty keys, absolute
keys, empty segments (``a//b``, a trailing ``/``), ``.`` and ``..`` segments, backslashes,
control characters, and anything under storied's own ``.storied`` folder.
"""

from __future__ import annotations

from ..errors import InvalidKeyError

RESERVED_SEGMENT = ".storied"
MAX_KEY_BYTES = 1024  # S3's and Azure's limit; keeping one limit keeps backends interchangeable


def check_key(key: object) -> str:
    """Return ``key`` unchanged if it is a valid object key, else raise InvalidKeyError."""
    if not isinstance(key, str):
        raise InvalidKeyError(f"an object key is a str, not {type(key).__name__}")
    problem = _problem(key)
    if problem:
        raise InvalidKeyError(f"invalid object key {key!r}: {problem}", key=key)
    return key


def check_prefix(prefix: object) -> str:
    """A listing prefix: ``""`` or a key, optionally ending in ``/``."""
    if prefix == "":
        return ""
    if not isinstance(prefix, str):
        raise InvalidKeyError(f"a prefix is a str, not {type(prefix).__name__}")
    check_key(prefix[:-1] if prefix.endswith("/") and len(prefix) > 1 else prefix)
    return prefix


def _problem(key: str) -> str | None:
    if not key:
        return "it is empty"
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        return f"it is longer than {MAX_KEY_BYTES} bytes"
    if key.startswith("/"):
        return "it is absolute"
    if "\\" in key:
        return "it contains a backslash"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        return "it contains a control character"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in key):
        return "it is not valid Unicode"
    segments = key.split("/")
    if "" in segments:
        return "it has an empty path segment"
    if "." in segments or ".." in segments:
        return "it has a '.' or '..' segment"
    if segments[0] == RESERVED_SEGMENT:
        return f"{RESERVED_SEGMENT}/ is reserved for storied's own files"
    return None
