"""One measured operation of ``python -m bench ops``, in a process of its own.

``python -m bench.ops_worker OP URL OUT`` times the operation alone (after its imports) and
prints ``{"wall": s, "cpu": s}`` as JSON; CPU time includes the programs it runs (``pg_dump``).
The parent samples the peak RSS of this process and of its children from /proc. The raw
baselines import neither storied nor SQLAlchemy.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pg_env(url: str) -> tuple[dict[str, str], str]:
    parts = urlsplit(url)
    env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432)}
    if parts.username:
        env["PGUSER"] = parts.username
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env, parts.path.lstrip("/")


def raw(op: str, url: str, out: str) -> bool:
    """The baselines, as an administrator or a driver would run them; False: not a raw op."""
    if op == "pg_dump":
        env, database = _pg_env(url)
        subprocess.run(["pg_dump", "-Fc", "-f", out, database], check=True, env=env)
    elif op == "copy_to":
        import psycopg

        env, database = _pg_env(url)
        with (
            psycopg.connect(
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env.get("PGUSER"),
                password=env.get("PGPASSWORD"),
                dbname=database,
            ) as conn,
            conn.cursor() as cur,
            open(out, "wb") as f,
            cur.copy("COPY bench_ops_rows TO STDOUT (FORMAT csv, HEADER)") as copy,
        ):
            for data in copy:
                f.write(data)
    elif op == "sqlite_backup_api":
        source = sqlite3.connect(urlsplit(url).path[1:] if url.startswith("sqlite:///") else url)
        target = sqlite3.connect(out)
        with target:
            source.backup(target)
        target.close()
        source.close()
    else:
        return False
    return True


def storied_op(op: str, url: str, out: str) -> None:
    from storied import Database
    from storied.admin import backup, export_csv

    from .ops_model import OpsRow

    with Database(url) as db:
        db.registry.mapped(OpsRow)
        start, cpu = time.perf_counter(), time.process_time() + _children_cpu()
        if op == "iterate":
            seen = sum(1 for _ in db.repository(OpsRow).query().iterate())
            if seen == 0:
                raise SystemExit("iterate: no rows")
        elif op == "export_csv":
            export_csv(db, out, [OpsRow])
        elif op == "backup_portable":
            backup(db, out, portable=True, models=[OpsRow])
        elif op == "backup_native":
            backup(db, out, models=[OpsRow])
        else:
            raise SystemExit(f"unknown operation {op}")
        _report(start, cpu)


def _report(start: float, cpu: float) -> None:
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "cpu": time.process_time() + _children_cpu() - cpu}))


def main(op: str, url: str, out: str) -> None:
    start, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    if raw(op, url, out):
        _report(start, cpu)
        return
    storied_op(op, url, out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
