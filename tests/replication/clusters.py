"""Two throwaway PostgreSQL clusters in streaming replication, on free loopback ports.

The primary is made with ``initdb`` (``wal_level=replica``, a replication user, trust on
loopback only), the replica with ``pg_basebackup -R`` and started with ``pg_ctl``; both live
in one temporary directory and listen on 127.0.0.1 only, with their sockets in that directory,
so nothing here touches the machine's own server on 5432. The tools run as the ``postgres``
OS user when this process is root (the server refuses to run as root), else as this user.
:meth:`Pair.remove` stops both (``pg_ctl stop -m immediate``, then a kill by the pid file)
and deletes the directory.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

TOOLS = ("initdb", "pg_ctl", "pg_basebackup")
DATABASE = "storied"
REPLICATION_USER = "replicator"


class ToolsMissing(RuntimeError):
    """The PostgreSQL server tools (initdb, pg_ctl, pg_basebackup) are not installed."""


def tool_dir() -> Path:
    """A directory holding initdb, pg_ctl and pg_basebackup of one PostgreSQL version."""
    candidates = [os.environ.get("STORIED_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    for candidate in filter(None, candidates):
        if all((Path(candidate) / tool).is_file() for tool in TOOLS):
            return Path(candidate)
    raise ToolsMissing(
        "replication tests need PostgreSQL's initdb, pg_ctl and pg_basebackup "
        "(Debian: postgresql-15); none found in /usr/lib/postgresql/*/bin or on PATH"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """One cluster: its data directory, port and log."""

    name: str
    data: Path
    port: int
    runner: Runner

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.name}.log"

    def url(self, driver: str = "postgresql+psycopg", database: str = DATABASE) -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = DATABASE) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def start(self) -> None:
        self.runner.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start"
        )

    def stop(self) -> None:
        """Stop the server now (``-m immediate``), and kill it by its pid file if it lingers."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            self.runner.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if self.pid() is not None or _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.05)

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def configure(self, **settings: str) -> None:
        lines = [f"{key} = {value}" for key, value in settings.items()]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# storied replication tests\n" + "\n".join(lines) + "\n")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie of ours counts as gone
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return waited == 0


@dataclass
class Runner:
    """Runs the PostgreSQL tools, as the ``postgres`` OS user when we are root."""

    bin: Path
    cwd: Path
    as_postgres: bool = field(default_factory=lambda: os.geteuid() == 0)

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.cwd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)


@dataclass
class Pair:
    """A primary and its streaming replica."""

    root: Path
    primary: Cluster
    replica: Cluster

    @classmethod
    def create(cls) -> Pair:
        """Make, start and wait for both clusters; on any failure remove what was made."""
        bin_ = tool_dir()
        root = Path(tempfile.mkdtemp(prefix="storied-replication-"))
        runner = Runner(bin_, root)
        if runner.as_postgres:
            shutil.chown(root, "postgres", "postgres")
        pair = cls(
            root,
            Cluster("primary", root / "primary", free_port(), runner),
            Cluster("replica", root / "replica", free_port(), runner),
        )
        try:
            pair._build()
        except BaseException:
            pair.remove()
            raise
        return pair

    def _build(self) -> None:
        primary, replica, runner = self.primary, self.replica, self.primary.runner
        runner.run(
            "initdb",
            "-D",
            str(primary.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        primary.configure(
            port=str(primary.port),
            listen_addresses="'127.0.0.1'",
            unix_socket_directories=f"'{self.root}'",
            wal_level="replica",
            max_wal_senders="5",
            hot_standby="on",
            max_connections="60",
            shared_buffers="16MB",
            fsync="off",
            full_page_writes="off",
        )
        with (primary.data / "pg_hba.conf").open("w") as hba:
            hba.write(
                "local all all trust\n"
                "host all all 127.0.0.1/32 trust\n"
                f"host replication {REPLICATION_USER} 127.0.0.1/32 trust\n"
            )
        primary.start()
        with primary.connect("postgres") as conn:
            conn.execute(f"CREATE ROLE {REPLICATION_USER} WITH REPLICATION LOGIN")
            conn.execute(f"CREATE DATABASE {DATABASE}")
        runner.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            REPLICATION_USER,
            "-D",
            str(replica.data),
            "-R",
            "-X",
            "stream",
            "--no-sync",
            "--checkpoint=fast",
        )
        replica.configure(port=str(replica.port))  # the copy of the primary's config says P1
        replica.start()
        self.wait_streaming()

    def wait_streaming(self, timeout: float = 60.0) -> None:
        """Until the replica is in recovery and shows a row just written on the primary."""
        deadline = time.monotonic() + timeout
        with self.primary.connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS storied_ping (n bigint)")
            marker = time.monotonic_ns()
            conn.execute("INSERT INTO storied_ping VALUES (%s)", (marker,))
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with self.replica.connect() as conn:
                    recovering = conn.execute("SELECT pg_is_in_recovery()").fetchone()
                    seen = conn.execute(
                        "SELECT to_regclass('storied_ping') IS NOT NULL "
                        "AND EXISTS (SELECT 1 FROM storied_ping WHERE n = %s)",
                        (marker,),
                    ).fetchone()
                assert recovering is not None
                assert seen is not None
                if recovering[0] and seen[0]:
                    return
            except psycopg.Error as exc:  # still starting
                last = exc
            time.sleep(0.1)
        raise TimeoutError(f"the replica did not catch up within {timeout:g} s ({last})")

    def wait_replayed(self, timeout: float = 30.0) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with self.primary.connect() as conn:
            row = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert row is not None
        deadline = time.monotonic() + timeout
        with self.replica.connect() as conn:
            while time.monotonic() < deadline:
                done = conn.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (row[0],)
                ).fetchone()
                if done is not None and done[0]:
                    return
                time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {row[0]} within {timeout:g} s")

    def pause_replay(self) -> None:
        with self.replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    def remove(self) -> None:
        """Stop both clusters (even half-made ones) and delete their directory."""
        try:
            for cluster in (self.replica, self.primary):
                cluster.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def logs(self) -> str:
        out = []
        for cluster in (self.primary, self.replica):
            with contextlib.suppress(OSError):
                out.append(f"--- {cluster.name}.log\n{cluster.log.read_text()[-3000:]}")
        return "\n".join(out)
