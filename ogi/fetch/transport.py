"""The socket layer under requests: a total deadline per request, and no connection to an address
the policy does not allow.

requests' timeouts bound each socket operation, not the request: a server that sends its headers
one byte a second never trips a 30 s read timeout and holds the fetch for as long as it likes. Here
every request arms a `Deadline`; when it passes, the request's socket is shut down, which wakes the
blocked read whatever phase it is in (status line, headers, body), and the fetch reports a timeout.

A host name on the allowlist can still resolve to 127.0.0.1, a private network or the cloud
metadata address (DNS rebinding). The address actually connected to is checked after connect, on
every connection and redirect hop, so a second resolution cannot slip past the check.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

__all__ = ["AddressNotAllowed", "Deadline", "GuardedAdapter", "address_is_public", "deadline"]

_ACTIVE = threading.local()  # the Deadline of the request this thread is making


class AddressNotAllowed(NewConnectionError):
    """The host resolved to a loopback, private, link-local or otherwise non-public address."""


def address_is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Deadline:
    """Shuts down the sockets of one request when its total time runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._done = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if self.fired:
                _shutdown(sock)
            else:
                self._sockets.append(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            for sock in self._sockets:
                _shutdown(sock)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Arm a total deadline for the requests this thread makes inside the block."""
    d = Deadline(seconds)
    previous = getattr(_ACTIVE, "deadline", None)
    _ACTIVE.deadline = d
    d.start()
    try:
        yield d
    finally:
        d.stop()
        _ACTIVE.deadline = previous


class _Guarded:
    """Mixin for urllib3 connections: check the peer address, and hand the socket to the deadline."""

    allow_private: bool = False

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        if not self.allow_private:
            try:
                peer = sock.getpeername()[0]
            except OSError:
                peer = ""
            if not address_is_public(peer):
                sock.close()
                raise AddressNotAllowed(
                    self, f"{getattr(self, 'host', '?')} resolved to {peer or 'an unknown address'}, which is not "
                    "a public address (loopback, private and link-local addresses are refused)"
                )
        d: Deadline | None = getattr(_ACTIVE, "deadline", None)
        if d is not None:
            d.attach(sock)
        return sock

    def getresponse(self) -> Any:
        d: Deadline | None = getattr(_ACTIVE, "deadline", None)
        sock = getattr(self, "sock", None)
        if d is not None and sock is not None:
            d.attach(sock)  # a kept-alive connection was connected under an earlier request
        return super().getresponse()  # type: ignore[misc]


def _classes(allow_private: bool) -> dict[str, type[HTTPConnectionPool]]:
    http_conn = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), {"allow_private": allow_private})
    https_conn = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), {"allow_private": allow_private})
    http_pool = type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn})
    https_pool = type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})
    return {"http": http_pool, "https": https_pool}


class GuardedAdapter(HTTPAdapter):
    """requests adapter whose connections obey the address rule and the active Deadline."""

    def __init__(self, allow_private: bool = False, **kwargs: Any) -> None:
        self._allow_private = allow_private
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _classes(self._allow_private)


def guard(session: requests.Session, allow_private: bool) -> None:
    """Mount the guarded adapter on a session for http and https."""
    adapter = GuardedAdapter(allow_private=allow_private)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
