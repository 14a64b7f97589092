"""Real servers on 127.0.0.1 for the operations tests: a small HTTP site that can fail on purpose."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Site:
    """Pages by path; `fail_next` answers the next N requests (any path but robots.txt) with 503."""

    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)  # path → status, type, body
    fail_next: int = 0
    fail_status: int = 503
    requests: Counter = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8"):
        self.pages[path] = (status, content_type, body.encode() if isinstance(body, str) else body)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.requests[path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                failing = path != "/robots.txt" and site.fail_next > 0
                if failing:
                    site.fail_next -= 1
            if failing:
                status, ctype, body = site.fail_status, "text/plain", b"temporarily unavailable"
            else:
                status, ctype, body = site.pages.get(path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site | None = None) -> Iterator[Site]:
    site = site or Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
