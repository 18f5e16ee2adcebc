"""moto's S3 server and Azurite, each started on a free loopback port and stopped after.

Azurite runs under the machine's Node.js from tools/azurite (``npm install`` there, as
scripts/test does). Stopping kills the process that actually listens on the port (found in
/proc), not only the one we spawned, so no emulator outlives the session.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AZURITE_BIN = ROOT / "tools" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's fixed, published development account (not a secret: every emulator has it)
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


class Unavailable(Exception):
    """The tool a server needs is not installed here."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_pid(port: int) -> int | None:
    """The pid whose socket listens on 127.0.0.1:port (from /proc/net/tcp and fd links)."""
    inodes = set()
    with contextlib.suppress(OSError), open("/proc/net/tcp") as table:
        for line in list(table)[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                inodes.add(f"socket:[{inode}]")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                        return int(pid)
    return None


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen within {timeout} s")

    def stop(self) -> None:
        listener = listening_pid(self.port)
        for pid in {listener, self.process.pid} - {None}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)  # type: ignore[arg-type]
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if listener is not None and listening_pid(self.port) == listener:
            with contextlib.suppress(ProcessLookupError):
                os.kill(listener, signal.SIGKILL)


def _spawn(name: str, argv: list[str], port: int, workdir: Path) -> Server:
    log = workdir / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir
        )
    server = Server(name, process, port, log)
    server.wait()
    return server


def start_moto(workdir: Path) -> Server:
    binary = Path(sys.executable).with_name("moto_server")
    if not binary.exists():
        raise Unavailable("moto_server is not installed (pip install -e '.[dev]')")
    port = free_port()
    return _spawn("moto", [str(binary), "-H", "127.0.0.1", "-p", str(port)], port, workdir)


def start_azurite(workdir: Path) -> Server:
    node = shutil.which("node")
    if node is None:
        raise Unavailable("Node.js is not installed: Azure Blob tests need it to run Azurite")
    if not AZURITE_BIN.exists():
        raise Unavailable("Azurite is not installed: npm install --prefix tools/azurite")
    port = free_port()
    location = workdir / "azurite"
    location.mkdir(exist_ok=True)
    argv = [
        node,
        str(AZURITE_BIN.resolve()),
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        str(port),
        "--location",
        str(location),
        "--skipApiVersionCheck",
        "--loose",
        "--disableTelemetry",
    ]
    return _spawn("azurite", argv, port, workdir)
