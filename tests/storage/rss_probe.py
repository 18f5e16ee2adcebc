"""Run by test_memory.py in a fresh interpreter: stream 200 MB up and down, print peak RSS growth.

Reads /proc/self/status (VmRSS, VmHWM) and resets the peak with /proc/self/clear_refs, so
nothing but the transfer counts. Argv: the store URL and its options as JSON; "async" to use
AsyncObjectStore; "files" / "async-files" to go through Files / AsyncFiles (a file field's
upload: hashed and spooled first, then written under its content key).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys

from storied.storage import AsyncFiles, AsyncObjectStore, Files, ObjectStore

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


async def transfer(url: str, options: dict, mode: str) -> tuple[int, str, str]:
    size = 0
    digest = hashlib.sha256()
    key = "big.bin"
    if mode == "async-files":
        afiles = AsyncFiles(AsyncObjectStore(url, **options))
        ref = await afiles.put(achunks())
        key = ref.key
        async for chunk in afiles.stream(ref, MiB):
            size += len(chunk)
            digest.update(chunk)
    elif mode == "files":
        files = Files(ObjectStore(url, **options))
        ref = files.put(chunks())
        key = ref.key
        for chunk in files.stream(ref, MiB):
            size += len(chunk)
            digest.update(chunk)
    elif mode == "async":
        astore = AsyncObjectStore(url, **options)
        await astore.put(key, achunks())
        async for chunk in astore.stream(key, MiB):
            size += len(chunk)
            digest.update(chunk)
    else:
        store = ObjectStore(url, **options)
        store.put(key, chunks())
        for chunk in store.stream(key, MiB):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest(), key


def main() -> None:
    url, options, mode = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    store = ObjectStore(url, **options)
    store.put("warm.bin", CHUNK * 2)  # load the libraries, open the connection pool
    b"".join(store.stream("warm.bin"))
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")  # reset VmHWM to the current RSS
    before = status("VmRSS")
    size, digest, key = asyncio.run(transfer(url, options, mode))
    expected = hashlib.sha256()
    for chunk in chunks():
        expected.update(chunk)
    info = store.head(key)
    print(
        json.dumps(
            {
                "growth": status("VmHWM") - before,
                "size": size,
                "ok": digest == expected.hexdigest(),
                "sha256_recorded": info.sha256 == expected.hexdigest(),
            }
        )
    )


if __name__ == "__main__":
    main()
