"""Run by test_memory.py in a fresh interpreter: stream 200 MB up and down, print peak RSS growth.

Reads /proc/self/status (VmRSS, VmHWM) and resets the peak with /proc/self/clear_refs, so
nothing but the transfer counts. Argv: the store URL and its options as JSON; "async" to use
AsyncObjectStore.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys

from storied.storage import AsyncObjectStore, ObjectStore

MiB = 1024 * 1024
TOTAL = 200 * MiB
CHUNK = bytes(range(256)) * (MiB // 256)


def status(field: str) -> int:
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def chunks():  # type: ignore[no-untyped-def]
    for _ in range(TOTAL // MiB):
        yield CHUNK


async def achunks():  # type: ignore[no-untyped-def]
    for chunk in chunks():
        yield chunk


async def transfer(url: str, options: dict, use_async: bool) -> tuple[int, str]:
    size = 0
    digest = hashlib.sha256()
    if use_async:
        astore = AsyncObjectStore(url, **options)
        await astore.put("big.bin", achunks())
        async for chunk in astore.stream("big.bin", MiB):
            size += len(chunk)
            digest.update(chunk)
    else:
        store = ObjectStore(url, **options)
        store.put("big.bin", chunks())
        for chunk in store.stream("big.bin", MiB):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def main() -> None:
    url, options, mode = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    store = ObjectStore(url, **options)
    store.put("warm.bin", CHUNK * 2)  # load the libraries, open the connection pool
    b"".join(store.stream("warm.bin"))
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")  # reset VmHWM to the current RSS
    before = status("VmRSS")
    size, digest = asyncio.run(transfer(url, options, mode == "async"))
    expected = hashlib.sha256()
    for chunk in chunks():
        expected.update(chunk)
    info = store.head("big.bin")
    print(json.dumps({
        "growth": status("VmHWM") - before, "size": size, "ok": digest == expected.hexdigest(),
        "sha256_recorded": info.sha256 == expected.hexdigest(),
    }))


if __name__ == "__main__":
    main()
