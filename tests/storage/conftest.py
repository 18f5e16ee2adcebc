"""``objects``: one test body, run on every backend (memory, local, S3, Azure), sync and async.

S3 is moto's server and Azure is Azurite, each started once per session on a free loopback
port (``servers.py``); every test works under a fresh prefix of one bucket/container, so tests
never see each other's objects. Locally a missing tool skips its backend loudly; under
``CI=true`` it is a failure.
"""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storied.storage import AsyncObjectStore, ObjectStore
from tests.storage.servers import (
    AZURITE_ACCOUNT,
    AZURITE_KEY,
    Server,
    Unavailable,
    start_azurite,
    start_moto,
)

BUCKET = "storied-tests"
PART = 5 * 1024 * 1024  # S3's smallest part: 5 MiB + 1 byte goes up in two parts
# short, so a dead emulator fails fast; a few retries, because moto's threaded server answers
# some concurrent PUTs of one key with a 500 of its own (a race in moto, not in S3 or storied)
FAST = {"timeout": 60, "connect_timeout": 2, "max_retries": 3, "retry_timeout": 10}
_missing: dict[str, str] = {}


def _unavailable(name: str, reason: str) -> None:
    _missing[name] = reason
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name}: {reason}")
    pytest.skip(f"{name}: {reason}")


@pytest.fixture(scope="session")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if "s3" in _missing:
        _unavailable("s3", _missing["s3"])
    try:
        server = start_moto(tmp_path_factory.mktemp("moto"))
    except Unavailable as exc:
        _unavailable("s3", str(exc))
    import boto3

    boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test-secret",
    ).create_bucket(Bucket=BUCKET)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if "azure" in _missing:
        _unavailable("azure", _missing["azure"])
    try:
        server = start_azurite(tmp_path_factory.mktemp("azurite"))
    except Unavailable as exc:
        _unavailable("azure", str(exc))
    from azure.storage.blob import BlobServiceClient

    client = BlobServiceClient.from_connection_string(azure_connection_string(server))
    client.create_container(BUCKET)
    client.close()
    yield server
    server.stop()


def azure_connection_string(server: Server) -> str:
    return (
        f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
        f"BlobEndpoint={server.endpoint}/{AZURITE_ACCOUNT};"
    )


def s3_options(server: Server) -> dict[str, Any]:
    return {
        "endpoint": server.endpoint,
        "region": "us-east-1",
        "access_key_id": "test",
        "secret_access_key": "test-secret",
        "part_size": PART,
        "multipart_threshold": PART,
        **FAST,
    }


def azure_options(server: Server) -> dict[str, Any]:
    return {
        "connection_string": azure_connection_string(server),
        "part_size": PART,
        "multipart_threshold": PART,
        **FAST,
    }


BACKENDS = [
    pytest.param("memory"),
    pytest.param("local"),
    pytest.param("s3", marks=pytest.mark.s3),
    pytest.param("azure", marks=pytest.mark.azure),
]


def store_args(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict]:
    """URL and options for a fresh, empty store of ``kind``."""
    prefix = f"t{uuid.uuid4().hex[:12]}"
    if kind == "memory":
        return "memory://", {}
    if kind == "local":
        return f"file://{tmp_path}/store", {}
    if kind == "s3":
        server = request.getfixturevalue("moto")
        return f"s3://{BUCKET}/{prefix}", s3_options(server)
    server = request.getfixturevalue("azurite")
    return f"az://{BUCKET}/{prefix}", azure_options(server)


async def settle(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@dataclass
class Objects:
    """A sync or async store behind one awaitable API; iterators come back as lists."""

    inner: ObjectStore | AsyncObjectStore
    kind: str

    @property
    def is_async(self) -> bool:
        return isinstance(self.inner, AsyncObjectStore)

    async def listed(self, prefix: str = "") -> list[Any]:
        found = self.inner.list(prefix)
        if isinstance(found, AsyncIterator):
            return [entry async for entry in found]
        return list(found)

    async def read(self, key: str, chunk_size: int = 1024 * 1024) -> list[bytes]:
        chunks = self.inner.stream(key, chunk_size)
        if isinstance(chunks, AsyncIterator):
            return [chunk async for chunk in chunks]
        return list(chunks)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await settle(method(*args, **kwargs))

        return call


@pytest.fixture(params=BACKENDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=["sync", "async"])
def objects(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Objects:
    url, options = store_args(kind, request, tmp_path)
    cls = AsyncObjectStore if request.param == "async" else ObjectStore
    return Objects(cls(url, **options), kind)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _missing:
        terminalreporter.section("STORAGE BACKENDS NOT TESTED", sep="!", red=True, bold=True)
        for name, reason in _missing.items():
            terminalreporter.line(f"{name}: {reason}", red=True)
