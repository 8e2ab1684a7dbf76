"""A real HTTP server on 127.0.0.1 serving canned routes, for ingest tests (no mocking of requests).

Besides canned responses, routes can misbehave at the socket level (see the helpers at the end):
stall mid-body, reset the connection, send less than Content-Length, stream a huge body, redirect.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    # Optional: a function of the hit count returning (status, headers, body); overrides the above.
    dynamic: Callable[[int], tuple[int, dict, bytes]] | None = None
    # Optional: takes over the connection once the request is read (writes status line, headers and
    # body itself, may stall or reset); overrides all of the above.
    raw: Callable[[BaseHTTPRequestHandler, Route], None] | None = None
    delay_s: float = 0.0  # wait this long before answering
    state: dict = field(default_factory=dict)  # what a raw route did, e.g. state["sent"] bytes


class LoopbackServer:
    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict]] = []
        # (path, start, end) in time.monotonic() of every answered request: shows what overlapped.
        self.intervals: list[tuple[str, float, float]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                start = time.monotonic()
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    server.hits[self.path] = hit = server.hits.get(self.path, 0) + 1
                route = server.routes.get(self.path)
                try:
                    if route is not None and route.delay_s:
                        time.sleep(route.delay_s)
                    if route is not None and route.raw:
                        route.raw(self, route)
                        return
                    if route is None:
                        status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                    elif route.dynamic:
                        status, headers, body = route.dynamic(hit)
                    else:
                        status, headers, body = route.status, route.headers, route.body
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if not any(name.lower() == "content-length" for name in headers):
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size cap): that is what the test is about
                finally:
                    with server._lock:
                        server.intervals.append((self.path, start, time.monotonic()))

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def max_in_flight(self) -> int:
        """The most requests this server was answering at the same moment."""
        events = sorted([(start, 1) for _, start, _ in self.intervals] + [(end, -1) for *_, end in self.intervals],
                        key=lambda e: (e[0], e[1]))
        level = peak = 0
        for _, step in events:
            level += step
            peak = max(peak, level)
        return peak

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def dead_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


# ---------------------------------------------------------------- misbehaving routes

def _head(handler: BaseHTTPRequestHandler, status: int, headers: dict) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.flush()


def slow_body(body: bytes, stall_s: float, content_type: str = "text/html; charset=utf-8") -> Route:
    """Headers and half the body at once, then silence for stall_s before the rest."""
    def serve(handler, route):
        _head(handler, 200, {"Content-Type": content_type, "Content-Length": str(len(body))})
        handler.wfile.write(body[: len(body) // 2])
        time.sleep(stall_s)
        handler.wfile.write(body[len(body) // 2:])
    return Route(raw=serve)


def reset_mid_body(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    """Announce the whole body, send half, then reset the connection (TCP RST, not a clean close)."""
    def serve(handler, route):
        _head(handler, 200, {"Content-Type": content_type, "Content-Length": str(len(body))})
        handler.wfile.write(body[: len(body) // 2])
        time.sleep(0.05)  # let the half body reach the client before the reset
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
    return Route(raw=serve)


def truncated_body(body: bytes, declared: int, content_type: str = "text/html; charset=utf-8") -> Route:
    """Content-Length says `declared` bytes; the body sent is shorter and the connection closes cleanly."""
    def serve(handler, route):
        _head(handler, 200, {"Content-Type": content_type, "Content-Length": str(declared)})
        handler.wfile.write(body)
        handler.close_connection = True
    return Route(raw=serve)


def streamed_body(total: int, content_type: str = "text/html; charset=utf-8", *, content_length: bool = False,
                  chunk: int = 64 * 1024) -> Route:
    """`total` bytes of filler streamed in chunks (with or without Content-Length); state["sent"] counts
    what the client actually took before hanging up."""
    def serve(handler, route):
        headers = {"Content-Type": content_type}
        if content_length:
            headers["Content-Length"] = str(total)
        _head(handler, 200, headers)
        route.state["sent"] = 0
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        while route.state["sent"] < total:
            piece = block[: total - route.state["sent"]]
            handler.wfile.write(piece)
            route.state["sent"] += len(piece)
        handler.close_connection = True
    return Route(raw=serve)


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, headers={"Location": location, "Content-Type": "text/html"})


def gzipped(body: bytes, content_type: str = "application/xml", *, as_file: bool = False) -> Route:
    """A gzip-compressed body: as Content-Encoding (decoded by the client) or as a .gz file (as_file)."""
    data = gzip.compress(body)
    if as_file:
        return Route(data, headers={"Content-Type": "application/x-gzip"})
    return Route(data, headers={"Content-Type": content_type, "Content-Encoding": "gzip"})
