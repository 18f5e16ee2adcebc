"""Amazon S3 and S3-compatible services (MinIO, moto, R2 …) through obstore.

Credentials come from the options or, like every AWS tool, from the ``AWS_*`` environment
variables and the instance's role; they are never part of a repr or a message.
"""

from __future__ import annotations

from typing import Any

from ._obstore import ObstoreBackend
from ._obstore_config import build, client_settings


def s3_backend(
    bucket: str,
    prefix: str = "",
    *,
    endpoint: str | None = None,
    region: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    credential_provider: Any = None,
    allow_http: bool | None = None,
    virtual_hosted_style: bool | None = None,
    timeout: float | None = None,
    connect_timeout: float | None = None,
    max_retries: int | None = None,
    retry_timeout: float | None = None,
    part_size: int = 5 * 1024 * 1024,
    multipart_threshold: int = 10 * 1024 * 1024,
    max_concurrency: int = 4,
    config: dict[str, Any] | None = None,
) -> ObstoreBackend:
    """An S3 bucket (optionally under ``prefix``) as a storied backend.

    ``config`` passes further obstore ``S3Config`` keys through unchanged.
    """
    from obstore.store import S3Store

    name = f"s3://{bucket}/{prefix}".rstrip("/")
    store = build(
        S3Store,
        name,
        bucket=bucket,
        prefix=prefix or None,
        endpoint=endpoint,
        region=region,
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
        token=session_token,
        credential_provider=credential_provider,
        virtual_hosted_style_request=virtual_hosted_style,
        config=config,
        **client_settings(
            endpoint=endpoint,
            allow_http=allow_http,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            retry_timeout=retry_timeout,
        ),
    )
    return ObstoreBackend(
        store,
        name=name,
        part_size=part_size,
        multipart_threshold=multipart_threshold,
        max_concurrency=max_concurrency,
        atomic_create_copy=False,  # S3 has no copy-if-absent precondition
    )
