"""Azure Blob Storage (and Azurite) through obstore.

Authenticate with a connection string, an account key, a SAS token, or a credential object:
an ``azure.identity`` credential such as ``DefaultAzureCredential`` (wrapped in obstore's
provider) or any obstore ``AzureCredentialProvider``. None of it appears in reprs or messages.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError
from ._obstore import ObstoreBackend
from ._obstore_config import build, client_settings


def parse_connection_string(text: str) -> dict[str, str]:
    """Account name, key or SAS, and blob endpoint from an Azure connection string."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, sep, value = item.strip().partition("=")
        if sep:
            parts[name.strip().lower()] = value.strip()
    if "accountname" not in parts and "blobendpoint" not in parts:
        raise ConfigurationError("the Azure connection string names no AccountName")
    found: dict[str, str] = {}
    if "accountname" in parts:
        found["account_name"] = parts["accountname"]
    if "accountkey" in parts:
        found["account_key"] = parts["accountkey"]
    if "sharedaccesssignature" in parts:
        found["sas_key"] = parts["sharedaccesssignature"]
    if "blobendpoint" in parts:
        found["endpoint"] = parts["blobendpoint"].rstrip("/")
    elif "accountname" in parts:
        protocol = parts.get("defaultendpointsprotocol", "https")
        suffix = parts.get("endpointsuffix", "core.windows.net")
        found["endpoint"] = f"{protocol}://{parts['accountname']}.blob.{suffix}"
    return found


def _provider(credential: Any) -> Any:
    if credential is None or not hasattr(credential, "get_token"):
        return credential  # None, or already an obstore credential provider
    from obstore.auth.azure import AzureCredentialProvider  # needs azure-identity

    return AzureCredentialProvider(credential)


def azure_backend(
    container: str,
    prefix: str = "",
    *,
    account_name: str | None = None,
    account_key: str | None = None,
    connection_string: str | None = None,
    sas_token: str | None = None,
    credential: Any = None,
    endpoint: str | None = None,
    allow_http: bool | None = None,
    timeout: float | None = None,
    connect_timeout: float | None = None,
    max_retries: int | None = None,
    retry_timeout: float | None = None,
    part_size: int = 5 * 1024 * 1024,
    multipart_threshold: int = 10 * 1024 * 1024,
    max_concurrency: int = 4,
    config: dict[str, Any] | None = None,
) -> ObstoreBackend:
    """An Azure Blob container (optionally under ``prefix``) as a storied backend.

    ``endpoint`` points at Azurite or another emulator (obstore's ``use_emulator`` ignores it).
    ``config`` passes further obstore ``AzureConfig`` keys through unchanged.
    """
    from obstore.store import AzureStore

    settings: dict[str, str] = {}
    if connection_string is not None:
        settings = parse_connection_string(connection_string)
    name = f"az://{container}/{prefix}".rstrip("/")
    endpoint = endpoint or settings.get("endpoint")
    store = build(
        AzureStore,
        name,
        container_name=container,
        prefix=prefix or None,
        account_name=account_name or settings.get("account_name"),
        account_key=account_key or settings.get("account_key"),
        sas_key=sas_token or settings.get("sas_key"),
        endpoint=endpoint,
        credential_provider=_provider(credential),
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
        atomic_create_copy=True,
    )
