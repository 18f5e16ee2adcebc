"""One run of ``python -m bench instructions``, under callgrind, in a process of its own.

``python -m bench.instructions_worker OP N PATH`` seeds a SQLite file at ``PATH`` with whatever
``storied`` it imports (``PYTHONPATH`` picks the version), runs a warm-up of the operation,
freezes the garbage collector (so no collection lands inside one run and not the other), runs
``N`` more operations and leaves at once: what differs between two runs with different ``N``
is those operations alone.
"""

from __future__ import annotations

import gc
import os
import sys

from .workloads import Data, StoriedSync, seed

WARM_UP = 200


def main(argv: list[str]) -> int:
    op, n, path = argv[0], int(argv[1]), argv[2]
    from storied import Database

    url = f"sqlite:///{path}"
    data = Data(rows=100)
    admin = Database(url).connect()
    seed(admin, data)
    side = StoriedSync(url, data)
    side.time(op, WARM_UP)
    gc.collect()
    gc.freeze()
    side.time(op, n)
    sys.stdout.flush()
    os._exit(0)  # no teardown: it would differ with N


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
