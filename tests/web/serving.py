"""A real ptghub web server for a test: uvicorn as ``ptghub serve`` configures it
(``web.server.uvicorn_config``: the guarded protocol, the limits, no Server header), in a
thread of the test process, on a free loopback port."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from ptghub.web.limits import WebLimits
from ptghub.web.server import uvicorn_config
from ptghub.web.stream import Live


@dataclass(frozen=True, slots=True)
class Running:
    app: FastAPI
    host: str
    port: int
    server: uvicorn.Server

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def live(self) -> Live:
        live = self.app.state.live
        assert isinstance(live, Live)
        return live


def bound_socket() -> socket.socket:
    """A socket bound to a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(
    app: FastAPI, limits: WebLimits | None = None, sock: socket.socket | None = None
) -> Iterator[Running]:
    """Serve ``app`` (built with ``limits``) until the block ends, on ``sock`` when given
    (``bound_socket()``: the address is known before the app is built)."""
    limits = limits or app.state.limits
    assert isinstance(limits, WebLimits)
    sock = sock or bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn_config(
        app, limits, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield Running(app, "127.0.0.1", port, server)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def read_answer(sock: socket.socket, deadline: float = 10.0) -> Answer:
    """One HTTP/1.1 response read off ``sock`` (Content-Length bodies), each read within
    ``deadline`` seconds."""
    sock.settimeout(deadline)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed without an answer: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed in the middle of its answer"
        rest += chunk
    return Answer(int(status_line.split()[1]), headers, rest[:length])
