"""What the store says about an object: plain frozen dataclasses, the same on every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    """One object as a listing sees it.

    Listings return no attributes on S3 and Azure, so an entry carries only what every backend
    lists; :meth:`ObjectStore.head` gives the full :class:`ObjectInfo`.
    """

    key: str
    size: int
    etag: str | None
    last_modified: datetime


@dataclass(frozen=True, slots=True)
class ObjectInfo(ObjectEntry):
    """An object's size, etag, time, content type, storied's sha256 and the user metadata.

    ``sha256`` is the hex digest storied recorded when it wrote the object (etags are not
    content hashes: multipart uploads and Azure give opaque ones); ``None`` for an object
    written by something else. ``metadata`` keys come back normalised (see the docs).
    """

    content_type: str | None = None
    sha256: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PutResult:
    """What a write produced: the key, its new etag, and the size and sha256 storied measured."""

    key: str
    etag: str | None
    size: int
    sha256: str
