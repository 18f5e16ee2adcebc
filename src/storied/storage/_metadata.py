"""User metadata: keys normalised, values encoded, so every backend round-trips any text.

S3 and Azure return metadata keys lowercased and Azure accepts only identifier-like keys (no
``-``), so a key is lowercased and ``-`` becomes ``_``; what is left must match
``[a-z_][a-z0-9_]*``. Values travel as HTTP headers, which carry printable ASCII only (a
non-ASCII value makes every later S3 read fail and panics obstore's Azure signer), so any value
that is not plain printable ASCII, or has edge spaces, or starts with ``=?``, is stored as an
RFC 2047 encoded word ``=?utf-8?b?<base64>?=`` and decoded on read.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping

from ..errors import ValidationError

CONTENT_TYPE = "Content-Type"
SHA256_KEY = "storied_sha256"
RESERVED_PREFIX = "storied_"
_KEY = re.compile(r"[a-z_][a-z0-9_]*\Z")
_PLAIN = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?\Z")
_WORD = re.compile(r"=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=\Z")


def normalise_key(key: str) -> str:
    """The stored form of a metadata key: lowercase, ``-`` as ``_``."""
    return key.lower().replace("-", "_")


def encode_value(value: str) -> str:
    """A header-safe form of ``value`` that :func:`decode_value` turns back into it."""
    if _PLAIN.match(value) and not value.startswith("=?"):
        return value
    return "=?utf-8?b?" + base64.b64encode(value.encode("utf-8")).decode("ascii") + "?="


def decode_value(stored: str) -> str:
    match = _WORD.match(stored)
    if match is None:
        return stored
    try:
        return base64.b64decode(match.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return stored  # written by something else that happens to look encoded


def to_attributes(
    metadata: Mapping[str, str] | None, content_type: str | None, sha256: str
) -> dict[str, str]:
    """Checked, normalised, encoded attributes for a write (content type, sha256, user keys)."""
    attributes: dict[str, str] = {}
    errors = []
    for raw_key, value in (metadata or {}).items():
        key = normalise_key(raw_key) if isinstance(raw_key, str) else ""
        if not _KEY.match(key) or key.startswith(RESERVED_PREFIX):
            errors.append({"loc": ("metadata", raw_key), "msg": "invalid metadata key"})
        elif not isinstance(value, str):
            errors.append({"loc": ("metadata", raw_key), "msg": "metadata values are str"})
        elif key in attributes:
            errors.append({"loc": ("metadata", raw_key), "msg": "duplicate after normalising"})
        else:
            attributes[key] = encode_value(value)
    if errors:
        keys = ", ".join(repr(e["loc"][1]) for e in errors)
        raise ValidationError(
            f"metadata keys {keys} refused: keys are letters, digits, '_' or '-', not starting "
            f"with a digit or {RESERVED_PREFIX!r}, values are str",
            errors,
        )
    attributes[SHA256_KEY] = sha256
    if content_type is not None:
        if not isinstance(content_type, str) or not _PLAIN.match(content_type):
            raise ValidationError(
                "content_type must be printable ASCII", [{"loc": ("content_type",), "msg": ""}]
            )
        attributes[CONTENT_TYPE] = content_type
    return attributes


def from_attributes(attributes: Mapping[str, str]) -> tuple[str | None, str | None, dict[str, str]]:
    """(content type, sha256, user metadata) from what a backend returned."""
    content_type = None
    sha256 = None
    metadata = {}
    for name, value in attributes.items():
        key = normalise_key(name)
        if key == "content_type":
            content_type = value
        elif key == SHA256_KEY:
            sha256 = value
        elif _KEY.match(key):
            metadata[key] = decode_value(value)
    return content_type, sha256, metadata
