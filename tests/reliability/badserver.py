"""Misbehaving HTTP servers on 127.0.0.x, written on raw sockets so they can break HTTP on purpose:
headers one byte at a time, silence, a trickled body, a Content-Length that lies, broken gzip,
oversized headers, a status line that is not HTTP. Every loop is bounded in time (MAX_SECONDS) and
stops when the server is stopped.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable

MAX_SECONDS = 30.0  # no behaviour keeps a connection longer than this


class Conn:
    """One accepted connection: the request's path, a way to write, and the server's stop flag."""

    def __init__(self, sock: socket.socket, path: str, stop: threading.Event) -> None:
        self.sock = sock
        self.path = path
        self.stop = stop

    def send(self, data: bytes) -> bool:
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def pause(self, seconds: float) -> bool:
        """Sleep; False when the server is stopping."""
        return not self.stop.wait(seconds)


Behaviour = Callable[[Conn], None]


def response(status: str, body: bytes, headers: dict[str, str] | None = None, length: int | None = None) -> bytes:
    head = [f"HTTP/1.1 {status}", "Connection: close", f"Content-Length: {len(body) if length is None else length}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def page(body: bytes, ctype: str = "text/html; charset=utf-8") -> Behaviour:
    return lambda c: c.send(response("200 OK", body, {"Content-Type": ctype}))


def redirect(location: str) -> Behaviour:
    return lambda c: c.send(response("302 Found", b"", {"Location": location}))


def slow_headers(c: Conn) -> None:
    """A status line, then header bytes one every 0.05 s, never ending the headers."""
    c.send(b"HTTP/1.1 200 OK\r\n")
    end = time.monotonic() + MAX_SECONDS
    while time.monotonic() < end and c.send(b"X") and c.pause(0.05):
        pass


def silent(c: Conn) -> None:
    """Accepts, reads the request, never answers."""
    c.pause(MAX_SECONDS)


def trickle(c: Conn) -> None:
    """Headers at once, then the body one byte every 0.05 s."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 100000\r\n\r\n%PDF-1.4\n")
    end = time.monotonic() + MAX_SECONDS
    while time.monotonic() < end and c.send(b"0") and c.pause(0.05):
        pass


BODY = b"<html><body>" + "政府信息公开工作年度报告".encode() * 40 + b"</body></html>"


def short_length(c: Conn) -> None:
    """Content-Length announces less than the body that follows."""
    c.send(response("200 OK", BODY, {"Content-Type": "text/html; charset=utf-8"}, length=100))


def long_length(c: Conn) -> None:
    """Content-Length announces more than is sent; then the connection is closed cleanly."""
    c.send(response("200 OK", BODY, {"Content-Type": "text/html; charset=utf-8"}, length=len(BODY) + 5000))


def broken_gzip(c: Conn) -> None:
    good = gzip.compress(BODY)
    bad = good[:20] + bytes(b ^ 0x5A for b in good[20:60]) + good[60:]
    c.send(response("200 OK", bad, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}))


def long_header(c: Conn) -> None:
    c.send(response("200 OK", BODY, {"X-Padding": "a" * 70_000}))


def many_headers(c: Conn) -> None:
    c.send(response("200 OK", BODY, {f"X-H{i}": "1" for i in range(150)}))


def not_http(c: Conn) -> None:
    c.send(b"HELLO THERE\r\n\r\n" + BODY)


class BadServer:
    """A threaded server on `host`: path → behaviour; counts the requests per path."""

    def __init__(self, routes: dict[str, Behaviour], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(5.0)
                data = b""
                try:
                    while b"\r\n\r\n" not in data and len(data) < 65536:
                        got = sock.recv(4096)
                        if not got:
                            return
                        data += got
                except OSError:
                    return
                line = data.split(b"\r\n", 1)[0].decode("latin-1")
                parts = line.split(" ")
                path = parts[1] if len(parts) > 1 else "/"
                with outer.lock:
                    outer.hits[path] += 1
                behaviour = outer.routes.get(path.split("?", 1)[0])
                conn = Conn(sock, path, outer.stop)
                if behaviour is None:
                    conn.send(response("404 Not Found", b"<html><body>404</body></html>"))
                else:
                    behaviour(conn)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((host, 0), Handler)
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def __enter__(self) -> BadServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def refused_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
