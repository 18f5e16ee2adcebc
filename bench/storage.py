"""``python -m bench storage``: object-store throughput, storied against obstore called directly.

On moto's S3 server (started here on a free loopback port) and on local disk: uploads and
downloads of 1 MB and 100 MB objects, storied's ``ObjectStore`` against ``obstore.put`` /
``obstore.get`` on the same service (obstore with the same part size and parts in flight as
storied's defaults; as context, its own defaults, obstore hashing the body and sending the
sha256 as storied does, and both uploading from a file on disk), and storied's local put
against a plain ``open().write()`` + fsync + rename. The two sides alternate operation by
operation (which goes first swaps every pair), over many pairs; the median operation of each
side counts, for wall time and for this process's CPU time (user + system, every thread), which
the machine's other load disturbs far less. Budgets: >= 90% of obstore's throughput, local put
>= 80% of the plain write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .clock import Stopwatch, Timed

MB = 1024 * 1024
#: size, then pairs of operations per round on moto and on local disk (local ones are cheap)
SIZES = {"1 MB": (MB, 8, 40), "100 MB": (100 * MB, 1, 3)}
#: storied's S3/Azure defaults (part size, parts in flight, multipart above)
PART, CONCURRENCY, THRESHOLD = 5 * MB, 4, 10 * MB


@dataclass
class Row:
    where: str
    what: str
    size: str
    storied: float  # MB/s
    other: float
    storied_cpu: float  # this process's CPU µs per operation (obstore's Rust threads included)
    other_cpu: float
    against: str
    budget: float | None  # None: shown for context, no budget

    @property
    def ratio(self) -> float:
        return self.storied / self.other


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    binary = Path(sys.executable).with_name("moto_server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _compare(
    pairs: int, size: int, ours: Callable[[], object], theirs: Callable[[], object]
) -> tuple[float, float, float, float]:
    """Medians over ``pairs`` interleaved operations: storied's MB/s, the other's, storied's CPU
    µs per operation, the other's."""
    ours()
    theirs()  # warm-up
    sides: tuple[list[Timed], list[Timed]] = ([], [])
    for n in range(pairs):
        order = ((ours, sides[0]), (theirs, sides[1]))
        for fn, into in order if n % 2 == 0 else order[::-1]:
            watch = Stopwatch()
            fn()
            into.append(watch.stop())
    walls = [statistics.median(t.wall for t in side) for side in sides]
    cpus = [statistics.median(t.cpu for t in side) * 1e6 for side in sides]
    return size / MB / walls[0], size / MB / walls[1], cpus[0], cpus[1]


def _hashed_put(obs: Any, store: Any, data: bytes, settings: dict[str, Any]) -> None:
    """obstore's put with the metadata storied sends: a content type and the sha256."""
    digest = hashlib.sha256(data).hexdigest()
    attributes = {"Content-Type": "application/octet-stream", "storied_sha256": digest}
    obs.put(store, "o", data, attributes=attributes, **settings)


def _plain_write(folder: str, data: bytes) -> None:
    temp = os.path.join(folder, "plain.tmp")
    with open(temp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, os.path.join(folder, "plain.bin"))


def _hashed_write(folder: str, data: bytes) -> None:
    """The plain write plus the one thing storied must add: the bytes' sha256 (hashlib)."""
    hashlib.sha256(data).hexdigest()
    _plain_write(folder, data)


def run(rounds: int, sizes: dict[str, tuple[int, int, int]]) -> list[Row]:
    rows: list[Row] = []
    payloads = {label: os.urandom(size) for label, (size, _, _) in sizes.items()}
    sources = tempfile.mkdtemp(prefix="storied-bench-files-", dir=os.getcwd())
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, sources, ignore_errors=True)
        rows += _moto_rows(rounds, sizes, payloads, sources)
    rows += _local_rows(rounds, sizes, payloads)
    return rows


def _source_file(folder: str, label: str, data: bytes) -> str:
    path = os.path.join(folder, label.replace(" ", ""))
    with open(path, "wb") as file:
        file.write(data)
    return path


def _put_file(path: str, put: Callable[[Any], object]) -> None:
    with open(path, "rb") as file:
        put(file)


def _moto_rows(
    rounds: int, sizes: dict[str, tuple[int, int, int]], payloads: dict[str, bytes], sources: str
) -> list[Row]:
    import boto3
    import obstore as obs
    from obstore.store import S3Store

    from storied.storage import ObjectStore

    rows: list[Row] = []
    with moto_server() as endpoint:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket="bench")
        creds = {"region": "us-east-1", "access_key_id": "bench", "secret_access_key": "bench"}
        ours = ObjectStore("s3://bench/storied", endpoint=endpoint, **creds)
        theirs = S3Store(
            "bench",
            prefix="obstore",
            endpoint=endpoint,
            client_options={"allow_http": True},
            **creds,
        )
        for label, (size, pairs, _) in sizes.items():
            pairs *= rounds
            data = payloads[label]
            # like for like: obstore with storied's transfer settings (its own defaults upload
            # 12 parts at a time, which storied's memory budget does not allow: context row)
            same = {
                "chunk_size": PART,
                "max_concurrency": CONCURRENCY,
                "use_multipart": size > THRESHOLD,
            }
            up = _compare(
                pairs,
                size,
                lambda d=data: ours.put("o", d),
                lambda d=data, s=same: obs.put(theirs, "o", d, **s),
            )
            down = _compare(
                pairs, size, lambda: ours.get("o"), lambda: obs.get(theirs, "o").bytes()
            )
            rows.append(Row("moto S3", "upload", label, *up, "obstore, same parts", 0.9))
            # context: obstore doing what storied must, the sha256 sent as metadata
            hashed = _compare(
                pairs,
                size,
                lambda d=data: ours.put("o", d),
                lambda d=data, s=same: _hashed_put(obs, theirs, d, s),
            )
            rows.append(Row("moto S3", "upload", label, *hashed, "obstore + sha256", None))
            # context: from a file on disk, which storied reads into memory as it hashes it
            # (up to 8 MiB) or hashes again as it uploads it (a file can change in between)
            source = _source_file(sources, label, data)
            from_file = _compare(
                pairs,
                size,
                lambda p=source: _put_file(p, lambda f: ours.put("o", f)),
                lambda p=source, s=same: _put_file(p, lambda f: obs.put(theirs, "o", f, **s)),
            )
            rows.append(Row("moto S3", "upload", label, *from_file, "obstore, from file", None))
            if size > THRESHOLD:
                wide = _compare(
                    pairs,
                    size,
                    lambda d=data: ours.put("o", d),
                    lambda d=data: obs.put(theirs, "o", d),
                )
                rows.append(Row("moto S3", "upload", label, *wide, "obstore, 12 parts", None))
            rows.append(Row("moto S3", "download", label, *down, "obstore", 0.9))
    return rows


def _local_rows(
    rounds: int, sizes: dict[str, tuple[int, int, int]], payloads: dict[str, bytes]
) -> list[Row]:
    import obstore as obs
    from obstore.store import LocalStore

    from storied.storage import ObjectStore

    rows: list[Row] = []
    folder = tempfile.mkdtemp(prefix="storied-bench-", dir=os.getcwd())
    try:
        ours = ObjectStore(f"file://{folder}/storied")
        os.makedirs(f"{folder}/obstore")
        theirs = LocalStore(f"{folder}/obstore")
        for label, (size, _, pairs) in sizes.items():
            pairs *= rounds
            data = payloads[label]
            up = _compare(
                pairs,
                size,
                lambda d=data: ours.put("o", d),
                lambda d=data: obs.put(theirs, "o", d),
            )
            plain = _compare(
                pairs,
                size,
                lambda d=data: ours.put("o", d),
                lambda d=data: _plain_write(folder, d),
            )
            hashed = _compare(
                pairs,
                size,
                lambda d=data: ours.put("o", d),
                lambda d=data: _hashed_write(folder, d),
            )
            down = _compare(
                pairs, size, lambda: ours.get("o"), lambda: obs.get(theirs, "o").bytes()
            )
            # obstore's LocalStore does not fsync: a durable write cannot match it, no budget
            rows.append(Row("local disk", "upload", label, *up, "obstore (no fsync)", None))
            rows.append(Row("local disk", "upload", label, *plain, "write+fsync+rename", 0.8))
            # context: the plain write hashing the bytes first, as storied must
            rows.append(Row("local disk", "upload", label, *hashed, "same + sha256", None))
            rows.append(Row("local disk", "download", label, *down, "obstore", 0.9))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def table(rows: list[Row], out: TextIO) -> None:
    head = (
        f"{'where':<11}{'what':<10}{'size':<8}{'storied MB/s':>13}{'other MB/s':>12}  "
        f"{'against':<20}{'ratio':>7}  {'budget':<12}{'storied CPU µs':>15}{'other CPU µs':>13}"
    )
    print(head, file=out)
    for r in rows:
        if r.budget is None:
            verdict = "-"
        else:
            verdict = f">= {r.budget:.0%} " + ("ok" if r.ratio >= r.budget else "MISS")
        print(
            f"{r.where:<11}{r.what:<10}{r.size:<8}{r.storied:>13,.0f}{r.other:>12,.0f}  "
            f"{r.against:<20}{r.ratio:>6.0%}  {verdict:<12}{r.storied_cpu:>15,.0f}"
            f"{r.other_cpu:>13,.0f}",
            file=out,
        )
