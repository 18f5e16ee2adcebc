"""What the sync and async stores share: argument checks and the operations they build."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, Literal

from ..errors import ConfigurationError, UnsupportedOperationError, ValidationError
from ._backend import Backend
from ._drive import Emit, Op
from ._keys import check_key, check_prefix
from ._metadata import to_attributes
from ._url import open_backend

DEFAULT_CHUNK = 1024 * 1024
SPOOL_LIMIT = 8 * 1024 * 1024
MAX_EXPIRY = timedelta(days=7)


class StoreBase:
    """A backend with storied's checks; subclasses drive its operations sync or async."""

    def __init__(
        self, url: str | None = None, /, *, backend: Backend | None = None, **options: Any
    ) -> None:
        if (url is None) == (backend is None):
            raise ConfigurationError("give a store URL or a backend, not both or neither")
        self.backend: Backend = backend if backend is not None else open_backend(url, options)  # type: ignore[arg-type]
        if backend is not None and options:
            raise ConfigurationError("options configure a URL; a backend comes configured")

    @property
    def url(self) -> str:
        """Where the store is, without credentials."""
        return self.backend.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.backend.name!r})"

    @staticmethod
    def _put_args(
        key: str,
        metadata: Mapping[str, str] | None,
        content_type: str | None,
        create_only: bool,
        if_match: str | None,
    ) -> tuple[str, dict[str, str], str]:
        check_key(key)
        if create_only and if_match is not None:
            raise ConfigurationError("create_only and if_match exclude each other")
        if if_match is not None and not isinstance(if_match, str):
            raise ConfigurationError("if_match is an etag string from head() or put()")
        attributes = to_attributes(metadata, content_type or "application/octet-stream", "")
        attributes.pop("storied_sha256")  # the backend adds the sha256 it measured
        return key, attributes, "create" if create_only else "overwrite"

    @staticmethod
    def _chunk_size(chunk_size: int) -> int:
        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise ConfigurationError("chunk_size is a positive number of bytes")
        return chunk_size

    @staticmethod
    def _keys(keys: Iterable[str]) -> list[str]:
        if isinstance(keys, str):
            raise ValidationError("delete_many() takes a list of keys, not one str")
        return [check_key(key) for key in keys]

    def _sign_args(self, key: str, expires: timedelta) -> None:
        check_key(key)
        if not self.backend.signs:
            raise UnsupportedOperationError(f"{self.backend.name} has no presigned URLs")
        if not isinstance(expires, timedelta) or not timedelta(0) < expires <= MAX_EXPIRY:
            raise ConfigurationError("expires is a timedelta between 0 and 7 days")

    def _read_op(self, key: str, chunk_size: int) -> Op[None]:
        check_key(key)
        return sized(self.backend.read(key, self._chunk_size(chunk_size)), chunk_size)

    def _list_op(self, prefix: str) -> Op[None]:
        return self.backend.list(check_prefix(prefix))

    def _sign_op(self, method: Literal["GET", "PUT"], key: str, expires: timedelta) -> Op[str]:
        self._sign_args(key, expires)
        return self.backend.sign(method, key, expires)


def sized(op: Op[None], size: int) -> Op[None]:
    """Re-emit ``op``'s chunks so each but the last holds exactly ``size`` bytes."""
    pending = bytearray()
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = op.throw(error) if error is not None else op.send(value)
        except StopIteration:
            break
        value = error = None
        if isinstance(step, Emit):
            chunk = step.value
            if not pending and len(chunk) == size:
                yield Emit(bytes(chunk))
                continue
            pending += chunk
            while len(pending) >= size:
                yield Emit(bytes(pending[:size]))
                del pending[:size]
        else:
            try:
                value = yield step
            except GeneratorExit:
                op.close()
                raise
            except BaseException as exc:  # handed back to the operation, which decides
                error = exc
    if pending:
        yield Emit(bytes(pending))
