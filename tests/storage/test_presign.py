"""Presigned URLs on S3 and Azure: usable by a plain HTTP client, and no secret in any repr."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest

from storied import ConfigurationError
from tests.storage.conftest import Objects


@pytest.fixture
def signing(objects: Objects) -> Objects:
    if objects.kind not in ("s3", "azure"):
        pytest.skip("only S3 and Azure presign")
    return objects


async def test_presigned_get_and_put(signing: Objects) -> None:
    await signing.put("signed", b"secret bytes")
    url = await signing.presign_get("signed", timedelta(minutes=5))
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"secret bytes"
    put_url = await signing.presign_put("uploaded", timedelta(minutes=5))
    # urllib's default form content type makes moto's Flask app swallow the body
    headers = {"Content-Type": "application/octet-stream"}
    if signing.kind == "azure":
        headers["x-ms-blob-type"] = "BlockBlob"
    request = urllib.request.Request(put_url, data=b"from a browser", method="PUT", headers=headers)
    with urllib.request.urlopen(request, timeout=10):
        pass
    assert await signing.get("uploaded") == b"from a browser"
    assert (await signing.head("uploaded")).sha256 is None  # storied did not write it


async def test_expiry_is_checked(signing: Objects) -> None:
    for expires in (timedelta(0), timedelta(days=8), 60):
        with pytest.raises(ConfigurationError):
            await signing.presign_get("k", expires)  # type: ignore[arg-type]


async def test_no_secret_in_repr_or_errors(signing: Objects) -> None:
    from storied import ObjectNotFoundError
    from tests.storage.servers import AZURITE_KEY

    secrets = ["test-secret", AZURITE_KEY]
    text = repr(signing.inner) + str(signing.inner.url) + repr(signing.inner.backend)
    with pytest.raises(ObjectNotFoundError) as caught:
        await signing.get("missing")
    text += str(caught.value) + repr(caught.value)
    assert not any(secret in text for secret in secrets)
