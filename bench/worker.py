"""One system of ``python -m bench versions`` in a process of its own.

``python -m bench.worker SYSTEM BACKEND URL MODE ROWS`` seeds its own scratch database (``URL``,
no driver) with whatever ``storied`` it imports (``PYTHONPATH`` picks the version), then answers
one JSON line per command on stdin: ``{"op": "get", "n": 200}`` runs a batch and answers
``{"wall": s, "cpu": s}`` (this process's CPU, :mod:`bench.clock`); ``{"op": "freeze"}`` ends the
warm-up (:func:`gc.freeze`); end of input ends the worker. ``SYSTEM`` is ``storied`` or ``raw``
(the raw driver on a table seeded by the storied it imports).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from typing import Any

import sqlalchemy as sa

from .targets import Target
from .workloads import Data, StoriedAsync, StoriedSync, clear_writes, seed


def _side(system: str, target: Target, mode: str, data: Data, loop: Any) -> Any:
    url = target.storied_url(mode)
    if system == "storied":
        return StoriedSync(url, data) if loop is None else StoriedAsync(loop, url, data)
    from .raw import raw_sync
    from .raw_async import raw_async

    return raw_sync(target, data) if loop is None else raw_async(loop, target, data)


def main(argv: list[str]) -> int:
    from storied import Database

    system, backend, url, mode, rows = argv
    target = Target(backend, sa.make_url(url))
    data = Data(rows=int(rows))
    admin = Database(target.storied_url("sync")).connect()
    seed(admin, data)
    loop = asyncio.new_event_loop() if mode == "async" else None
    side = _side(system, target, mode, data, loop)
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["op"] == "freeze":
                gc.collect()
                gc.freeze()
                print(json.dumps({"frozen": True}), flush=True)
                continue
            gc.collect()
            timed = side.time(command["op"], command["n"])
            if command["op"] == "create":
                clear_writes(admin, data)
            print(json.dumps({"wall": timed.wall, "cpu": timed.cpu}), flush=True)
    finally:
        side.close()
        if loop is not None:
            loop.close()
        admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
