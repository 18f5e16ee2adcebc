"""Unreachable services, bad configuration and translation: storied errors, fast, no secrets."""

from __future__ import annotations

import time

import pytest

from storied import (
    ConfigurationError,
    StorageError,
    StorageUnavailableError,
    StoriedError,
)
from storied.storage import AsyncObjectStore, ObjectStore
from tests.storage.conftest import settle
from tests.storage.servers import AZURITE_KEY, free_port

DEAD = {"connect_timeout": 1, "timeout": 2, "max_retries": 0, "retry_timeout": 2}


@pytest.mark.parametrize("url", ["s3://bucket/p", "az://container/p"])
async def test_a_dead_endpoint_fails_fast_as_unavailable(url: str) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    if url.startswith("s3"):
        options = {"access_key_id": "id", "secret_access_key": "very-secret", "region": "x"}
    else:
        options = {"account_name": "devstoreaccount1", "account_key": AZURITE_KEY}
        endpoint += "/devstoreaccount1"
    for cls in (ObjectStore, AsyncObjectStore):
        store = cls(url, endpoint=endpoint, **options, **DEAD)
        started = time.monotonic()
        with pytest.raises(StorageUnavailableError) as caught:
            await settle(store.get("k"))
        assert time.monotonic() - started < 10
        assert "very-secret" not in str(caught.value)
        assert AZURITE_KEY not in str(caught.value)
        assert caught.value.__cause__ is None or isinstance(caught.value.__cause__, StoriedError)


@pytest.mark.s3
def test_a_missing_bucket_is_a_storage_error(moto) -> None:  # type: ignore[no-untyped-def]
    store = ObjectStore(
        "s3://no-such-bucket",
        endpoint=moto.endpoint,
        region="us-east-1",
        access_key_id="a",
        secret_access_key="b",
        **DEAD,
    )
    with pytest.raises(StorageError, match="bucket or container does not exist"):
        store.put("k", b"x")


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("ftp://x", {}),
        ("memory://", {"endpoint": "x"}),
        ("file://host/path", {}),
        ("s3://b?secret_access_key=oops", {}),
        ("s3://b?allow_http=maybe", {}),
        ("s3://b", {"no_such_option": 1}),
        ("s3://b", {"config": {"not_a_key": "x"}}),
        ("s3://", {}),
        (42, {}),
    ],
)
def test_bad_configuration(url: object, options: dict) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ObjectStore(url, **options)  # type: ignore[arg-type]
    assert "oops" not in str(caught.value)


def test_url_and_backend_exclude_each_other() -> None:
    from storied.storage.memory import MemoryBackend

    with pytest.raises(ConfigurationError):
        ObjectStore("memory://", backend=MemoryBackend())
    with pytest.raises(ConfigurationError):
        ObjectStore()
    assert repr(ObjectStore(backend=MemoryBackend())) == "ObjectStore('memory://')"


def test_url_parameters_reach_the_backend() -> None:
    store = ObjectStore("s3://bkt/some/prefix?endpoint=http://127.0.0.1:9&region=eu-west-1")
    assert store.url == "s3://bkt/some/prefix"
    config = store.backend.store.config  # type: ignore[attr-defined]
    assert config["endpoint"] == "http://127.0.0.1:9"
    assert config["region"] == "eu-west-1"
    assert store.backend.store.client_options["allow_http"] in (True, "true")  # type: ignore[attr-defined]
