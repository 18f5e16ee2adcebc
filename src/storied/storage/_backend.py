"""The small protocol every backend implements: each operation a sans-I/O generator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal, Protocol

from ._drive import Call, Op
from ._info import ObjectInfo, PutResult


class Backend(Protocol):
    """One storage service. Keys arrive checked; metadata arrives normalised and encoded.

    ``wants_prepared``: ``put`` needs the body hashed before the upload (a ``Prepared``,
    which carries its sha256 and whether it is fixed); otherwise it pulls the chunks itself,
    and ``body`` is the caller's buffer when the caller gave one (else None), which it may use
    instead of pulling. ``sha256``: the hash the caller measured for the body, when it did (a
    ``Files`` key names it); a put whose bytes hash otherwise raises StorageError and places
    nothing, leaving what the key held. ``fixed``: those bytes cannot change while they are
    read again (``Prepared.fixed``), so a backend that hashes as it writes may record
    ``sha256`` instead of hashing again. ``signs``: it has presigned URLs. ``translate``
    turns what a call raised into a storied error, once, in the drivers.
    """

    name: str
    signs: bool
    wants_prepared: bool

    def translate(self, exc: BaseException, call: Call | None) -> BaseException: ...

    def put(
        self,
        key: str,
        body: Any,
        attributes: dict[str, str],
        mode: str,
        if_match: str | None,
        sha256: str | None = None,
        fixed: bool = False,
    ) -> Op[PutResult]: ...

    def get(self, key: str) -> Op[bytes]: ...

    def read(self, key: str, chunk_size: int) -> Op[None]: ...

    def head(self, key: str) -> Op[ObjectInfo]: ...

    def list(self, prefix: str) -> Op[None]: ...

    def delete(self, keys: Sequence[str]) -> Op[None]: ...

    def copy(self, source: str, target: str, overwrite: bool) -> Op[None]: ...

    def rename(self, source: str, target: str, overwrite: bool) -> Op[None]: ...

    def sign(self, method: Literal["GET", "PUT"], key: str, expires: timedelta) -> Op[str]: ...
