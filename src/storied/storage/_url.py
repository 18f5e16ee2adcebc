"""Store URLs: ``memory://``, ``file:///path``, ``s3://bucket/prefix?…``, ``az://container/prefix?…``.

Query parameters carry only non-secret settings (``endpoint``, ``region``, ``allow_http``,
``account_name``); credentials go in options or the environment, never in a URL.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import ConfigurationError
from ._backend import Backend

_QUERY = {
    "s3": {"endpoint", "region", "allow_http", "virtual_hosted_style"},
    "az": {"endpoint", "account_name", "allow_http"},
}
_SCHEMES = {"s3": "s3", "s3a": "s3", "az": "az", "azure": "az", "abfs": "az"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _query(kind: str, query: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in _QUERY[kind]:
            raise ConfigurationError(
                f"store URL parameter {name!r} is not one of {sorted(_QUERY[kind])}; "
                "credentials are passed as options or through the environment"
            )
        if name in ("allow_http", "virtual_hosted_style"):
            if value.lower() not in _TRUE | _FALSE:
                raise ConfigurationError(f"store URL parameter {name} must be true or false")
            found[name] = value.lower() in _TRUE
        else:
            found[name] = value
    return found


def open_backend(url: str, options: dict[str, Any]) -> Backend:
    """The backend a URL names, configured with ``options``."""
    if not isinstance(url, str):
        raise ConfigurationError("a store URL is a str such as 'memory://' or 'file:///data'")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        _no_options(options, scheme)
        from .memory import MemoryBackend

        return MemoryBackend()
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path or parts.query:
            raise ConfigurationError("a local store URL is file:///absolute/path")
        root = options.pop("root", None) or unquote(parts.path)
        _no_options(options, scheme)
        from .local import LocalBackend

        return LocalBackend(os.path.abspath(root))
    kind = _SCHEMES.get(scheme)
    if kind is None or not parts.netloc:
        raise ConfigurationError(
            "store URLs are memory://, file:///path, s3://bucket/prefix or az://container/prefix"
        )
    settings = {**_query(kind, parts.query), **options}
    prefix = unquote(parts.path).strip("/")
    if kind == "s3":
        from .s3 import s3_backend

        return _configured(s3_backend, unquote(parts.netloc), prefix, settings)
    from .azure import azure_backend

    return _configured(azure_backend, unquote(parts.netloc), prefix, settings)


def _configured(factory: Any, root: str, prefix: str, settings: dict[str, Any]) -> Backend:
    try:
        backend: Backend = factory(root, prefix, **settings)
    except TypeError as exc:
        raise ConfigurationError(f"unknown store option: {exc}") from None
    return backend


def _no_options(options: dict[str, Any], scheme: str) -> None:
    if options:
        raise ConfigurationError(f"a {scheme}: store takes no options ({', '.join(options)})")
