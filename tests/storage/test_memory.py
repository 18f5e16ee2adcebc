"""A 200 MB streamed upload and download keeps the process's RSS growth under 50 MB, through
the store and through a file field's Files (which spools the body to hash it first)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storied.storage._trim import release_freed_memory
from tests.storage.conftest import store_args

PROBE = Path(__file__).with_name("rss_probe.py")
LIMIT = 50 * 1024 * 1024


@pytest.mark.parametrize(
    "kind",
    [
        "local",
        pytest.param("s3", marks=pytest.mark.s3),
        pytest.param("azure", marks=pytest.mark.azure),
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async", "files", "async-files"])
def test_streaming_200_mb_keeps_memory_flat(
    kind: str, mode: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url, options = store_args(kind, request, tmp_path)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(PROBE), url, json.dumps(options), mode],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["size"] == 200 * 1024 * 1024
    assert result["ok"]
    assert result["sha256_recorded"]
    growth = f"RSS grew {result['growth'] / 2**20:.1f} MiB"
    print(f"{kind} {mode}: {growth}")  # shown by pytest -rP
    assert result["growth"] < LIMIT, growth


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="Linux only")
def test_freed_memory_goes_back_to_the_os_on_linux() -> None:
    """The trim after a multipart upload reaches glibc's malloc_trim here (not silently off)."""
    assert release_freed_memory()
