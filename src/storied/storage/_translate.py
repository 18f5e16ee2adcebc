"""obstore's exceptions as storied's, in one table, with messages that carry no secrets.

obstore raises builtin ``FileNotFoundError`` for a missing object, ``ValueError`` for a path it
cannot parse, its own ``BaseError`` family for the rest, and a Rust panic surfaces as a
``PanicException`` that derives from ``BaseException``. Messages are rebuilt from the first
line of obstore's text with every URL's query string cut (presigned and SAS signatures live
there) and no headers (where keys and tokens travel).
"""

from __future__ import annotations

import re

from obstore import exceptions as obx

from .. import errors
from ._drive import Call

# most specific first; the first isinstance match wins
TABLE: tuple[tuple[type[BaseException], type[errors.StoriedError]], ...] = (
    (FileNotFoundError, errors.ObjectNotFoundError),
    (obx.NotFoundError, errors.ObjectNotFoundError),
    (obx.AlreadyExistsError, errors.ObjectExistsError),
    (obx.PreconditionError, errors.PreconditionFailedError),
    (obx.NotModifiedError, errors.PreconditionFailedError),
    (obx.PermissionDeniedError, errors.StorageAccessDenied),
    (obx.UnauthenticatedError, errors.StorageAccessDenied),
    (obx.InvalidPathError, errors.InvalidKeyError),
    (obx.NotSupportedError, errors.UnsupportedOperationError),
    (obx.UnknownConfigurationKeyError, errors.ConfigurationError),
    (obx.JoinError, errors.StorageError),
    (obx.GenericError, errors.StorageError),
    (obx.BaseError, errors.StorageError),
    (ValueError, errors.InvalidKeyError),
    (NotImplementedError, errors.UnsupportedOperationError),
    (TimeoutError, errors.StorageUnavailableError),
    (ConnectionError, errors.StorageUnavailableError),
)
_QUERY = re.compile(r"(https?://[^\s?#]*)\?\S*")
# obstore's first line when no response came back (its retry summary mentions "retry_timeout"
# on every failure, so only these phrases count)
_UNREACHABLE = ("error sending request", "timed out", "connection refused")


def summary(exc: BaseException) -> str:
    """obstore's first line, with URL query strings cut off."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _QUERY.sub(r"\1?…", text)[:300]


def translate(exc: BaseException, call: Call | None, store: str) -> BaseException:
    """The storied exception for an obstore failure during ``call`` on ``store``."""
    if isinstance(exc, errors.StoriedError):
        return exc
    key = call.key if call is not None else None
    action = call.action if call is not None else "request"
    target = type(exc)
    for source, storied in TABLE:
        if isinstance(exc, source):
            target = storied
            break
    else:
        if isinstance(exc, Exception):
            return exc  # a programming error stays what it is
        target = errors.StorageError  # a Rust panic (PanicException is a BaseException)
    about = f"{store}: {action} {key!r}" if key is not None else f"{store}: {action}"
    text = summary(exc)
    if target is errors.ObjectNotFoundError:
        if action in ("put", "copy to", "rename to") or key is None:
            return errors.StorageError(f"{about} failed: the bucket or container does not exist")
        return errors.ObjectNotFoundError(key)
    if target in (errors.ObjectExistsError, errors.PreconditionFailedError):
        return target(key or "")
    if target is errors.StorageError and any(w in text.lower() for w in _UNREACHABLE):
        target = errors.StorageUnavailableError
    if issubclass(target, errors.StorageError):
        return target(f"{about} failed: {text}", key=key)
    return target(f"{about} failed: {text}")
