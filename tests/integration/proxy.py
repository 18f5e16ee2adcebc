"""A TCP proxy on a free loopback port that the test controls: the way to fail connections to
a real server without touching the shared server itself.

``Proxy(host, port)`` forwards each connection to the server. On command it

- ``refuse()``: closes its listening socket, so a connect is refused by the kernel
  (``ECONNREFUSED``); ``accept()`` listens again on the same port;
- ``drop(n)``: accepts the next ``n`` connections (``None``: all, until ``accept()``) and
  closes them at once, before the server is reached (counted in ``dropped``);
- ``cut()``: closes every connection it forwards now (the server's sessions end with them).

``connects`` counts the connections that reached the proxy (dropped ones included).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import sqlalchemy as sa


class Proxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.connects = 0
        self.dropped = 0
        self._drop: int | None = 0  # connections still to drop (None: every one)
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener: socket.socket | None = None
        self.port = 0
        self.accept()

    def url(self, url: str) -> str:
        """``url`` with its host and port replaced by the proxy's."""
        made = sa.make_url(url).set(host="127.0.0.1", port=self.port)
        return made.render_as_string(hide_password=False)

    def accept(self) -> None:
        """Forward every new connection (listening again after ``refuse``)."""
        with self._lock:
            self._drop = 0
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self._listener = listener
        threading.Thread(target=self._serve, args=(listener,), daemon=True).start()

    def refuse(self) -> None:
        """Stop listening: connects are refused until ``accept()``."""
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def drop(self, n: int | None = None) -> None:
        """Accept and close the next ``n`` connections (None: all until ``accept()``)."""
        with self._lock:
            self._drop = n

    def cut(self) -> None:
        """End every forwarded connection now."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def close(self) -> None:
        self.refuse()
        self.cut()

    def _serve(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # refused or closed
            with self._lock:
                self.connects += 1
                drop = self._drop is None or self._drop > 0
                if drop:
                    self.dropped += 1
                    if self._drop is not None:
                        self._drop -= 1
            if drop:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: Any) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
