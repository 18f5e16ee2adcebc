"""One run of ``python -m bench instructions``, under callgrind, in a process of its own.

``python -m bench.instructions_worker OP N BACKEND MODE URL`` seeds the scratch database at
``URL`` (no driver; SQLite: a file) with whatever ``storied`` it imports (``PYTHONPATH`` picks
the version), runs a warm-up of the operation through the ``MODE`` driver (sync or async),
freezes the garbage collector (so no collection lands inside one run and not the other),
runs ``N`` more operations and leaves at once: what differs between two runs with different
``N`` is those operations alone.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys

import sqlalchemy as sa

from .targets import Target
from .workloads import Data, StoriedAsync, StoriedSync, seed

WARM_UP = 200


def main(argv: list[str]) -> int:
    op, n, backend, mode, url = argv[0], int(argv[1]), argv[2], argv[3], argv[4]
    from storied import Database

    target = Target(backend, sa.make_url(url))
    data = Data(rows=100)
    admin = Database(target.storied_url("sync")).connect()
    seed(admin, data)
    if mode == "sync":
        side: StoriedSync | StoriedAsync = StoriedSync(target.storied_url(mode), data)
    else:
        side = StoriedAsync(asyncio.new_event_loop(), target.storied_url(mode), data)
    side.time(op, WARM_UP)
    gc.collect()
    gc.freeze()
    side.time(op, n)
    sys.stdout.flush()
    os._exit(0)  # no teardown: it would differ with N


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
