"""Configuring an obstore store (S3, Azure) from storied's plain options."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ._translate import translate


def client_settings(
    *,
    endpoint: str | None,
    allow_http: bool | None,
    timeout: float | None,
    connect_timeout: float | None,
    max_retries: int | None,
    retry_timeout: float | None,
) -> dict[str, Any]:
    """obstore's client_options and retry_config from storied's plain options."""
    client: dict[str, Any] = {}
    if allow_http is None:
        allow_http = bool(endpoint and endpoint.startswith("http://"))
    if allow_http:
        client["allow_http"] = True
    if timeout is not None:
        client["timeout"] = timedelta(seconds=timeout)
    if connect_timeout is not None:
        client["connect_timeout"] = timedelta(seconds=connect_timeout)
    retry: dict[str, Any] = {}
    if max_retries is not None:
        retry["max_retries"] = max_retries
    if retry_timeout is not None:
        retry["retry_timeout"] = timedelta(seconds=retry_timeout)
    return {"client_options": client or None, "retry_config": retry or None}


def build(factory: Any, name: str, **kwargs: Any) -> Any:
    """Construct an obstore store; its configuration errors become storied's."""
    try:
        return factory(**{k: v for k, v in kwargs.items() if v is not None})
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise translate(exc, None, name) from None
