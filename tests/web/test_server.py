"""The server's connection limits: slow clients and connection floods against a real
uvicorn configured as ``ptghub serve`` configures it."""

from __future__ import annotations

import logging
import resource
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.limits import WebLimits
from ptghub.web.server import BUSY, FD_RESERVE, GuardedH11, ThrottledLog, connection_cap
from tests.web.serving import Running, read_answer, serving

DEADLINE = 10.0
SLOW = "127.0.0.2"  # the slow clients' address: any 127.x address is this machine
HALF_SENT = b"GET /api/v1/events HTTP/1.1\r\nHost: ptghub.test\r\nX-Slow: "


def _slow_clients(stack: ExitStack, server: Running, count: int) -> list[socket.socket]:
    socks = []
    for _ in range(count):
        sock = stack.enter_context(
            socket.create_connection(
                (server.host, server.port), timeout=DEADLINE, source_address=(SLOW, 0)
            )
        )
        sock.sendall(HALF_SENT)  # and never the end of the headers
        socks.append(sock)
    return socks


def _answer_or_close(sock: socket.socket) -> bytes:
    """What the server sends before it closes (b"" when it closes without a word)."""
    sock.settimeout(DEADLINE)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def _connections(server: Running) -> dict[str, int]:
    protocol = server.server.config.http
    assert isinstance(protocol, type) and issubclass(protocol, GuardedH11)
    return dict(protocol.connections_of_server.by_client)


@pytest.fixture
def guarded(store: Store) -> Iterator[Running]:
    limits = WebLimits(max_connections=400, max_connections_per_client=50, header_timeout=60)
    with serving(create_app(store, limits=limits)) as server:
        yield server


def test_server_slow_clients_leave_room_for_a_normal_client(
    guarded: Running, caplog: pytest.LogCaptureFixture
) -> None:
    with ExitStack() as stack, caplog.at_level(logging.WARNING):
        socks = _slow_clients(stack, guarded, 300)
        # The server refuses what is beyond one address's share at once, answering 503.
        refused = [_answer_or_close(sock) for sock in socks[50:]]
        deadline = time.monotonic() + DEADLINE
        while _connections(guarded).get(SLOW) != 50 and time.monotonic() < deadline:
            time.sleep(0.01)
        held = _connections(guarded).get(SLOW)
        response = httpx.get(guarded.url + "/api/v1/events", timeout=DEADLINE)
    assert (held, response.status_code) == (50, 200)
    assert set(refused) == {BUSY}
    refusals = [r for r in caplog.records if r.getMessage().startswith("connections refused")]
    assert [r.getMessage() for r in refusals] == [
        "connections refused: one address holds its limit of 50"
    ]  # once, not 250 times


def test_server_closes_a_client_that_does_not_finish_its_headers(store: Store) -> None:
    limits = WebLimits(header_timeout=0.5)
    with ExitStack() as stack, serving(create_app(store, limits=limits)) as server:
        (sock,) = _slow_clients(stack, server, 1)
        started = time.monotonic()
        said = _answer_or_close(sock)  # returns once the server closes, within DEADLINE
        waited = time.monotonic() - started
        response = httpx.get(server.url + "/api/v1/events", timeout=DEADLINE)
    assert (said, waited < DEADLINE, response.status_code) == (b"", True, 200)


def test_server_keep_alive_connection_gets_the_header_timeout_for_its_next_request(
    store: Store,
) -> None:
    limits = WebLimits(header_timeout=0.5)
    with ExitStack() as stack, serving(create_app(store, limits=limits)) as server:
        sock = stack.enter_context(socket.create_connection((server.host, server.port)))
        sock.sendall(b"GET /api/v1/events HTTP/1.1\r\nHost: ptghub.test\r\n\r\n")
        first = read_answer(sock, DEADLINE)
        sock.sendall(HALF_SENT)  # the next request, never finished
        rest = _answer_or_close(sock)
    assert (first.status, rest) == (200, b"")


def test_server_past_its_connection_limit_answers_503_at_once(store: Store) -> None:
    limits = WebLimits(max_connections=5)
    with ExitStack() as stack, serving(create_app(store, limits=limits)) as server:
        for _ in range(5):
            stack.enter_context(socket.create_connection((server.host, server.port)))
        deadline = time.monotonic() + DEADLINE
        protocol = server.server.config.http
        assert isinstance(protocol, type) and issubclass(protocol, GuardedH11)
        while protocol.connections_of_server.total < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        extra = stack.enter_context(socket.create_connection((server.host, server.port)))
        said = _answer_or_close(extra)  # without having sent anything
    head, _, body = said.partition(b"\r\n\r\n")
    assert (head.split(b"\r\n", 1)[0], body) == (
        b"HTTP/1.1 503 Service Unavailable",
        b'{"error": "The server is busy: too many open connections. Try again shortly."}',
    )


def test_server_limits_come_from_the_settings() -> None:
    settings = Settings(
        web_max_connections=7,
        web_max_connections_per_client=3,
        web_header_timeout=2.5,
        web_trusted_proxies="10.0.0.1, 10.0.0.2",
        web_auth_failures="4/60",
    )
    limits = WebLimits.from_settings(settings)
    assert (
        limits.max_connections,
        limits.max_connections_per_client,
        limits.header_timeout,
        limits.trusted_proxies,
        limits.auth_failures.count,
        limits.auth_failures.per,
    ) == (7, 3, 2.5, ("10.0.0.1", "10.0.0.2"), 4, 60.0)


def test_server_settings_refuse_a_malformed_rate() -> None:
    with pytest.raises(ValueError, match="a rate is COUNT/SECONDS or COUNT/SECONDS/BURST"):
        Settings(web_writes_per_token="fast")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_server_throttled_log_says_one_line_per_interval_with_the_count() -> None:
    clock = Clock()
    throttle = ThrottledLog(every=60, clock=clock)
    logger = logging.getLogger("tests.throttled")
    passed = []

    def record(message: str) -> logging.LogRecord:
        return logger.makeRecord(logger.name, logging.WARNING, __file__, 1, message, (), None)

    for second in range(0, 130):
        clock.now = float(second)
        for _ in range(10):  # ten refusals a second
            item = record("connections refused")
            if throttle.filter(item):
                passed.append((second, item.getMessage()))
    assert passed == [
        (0, "connections refused"),
        (60, "connections refused (and 599 more like it in the last 60 s)"),
        (120, "connections refused (and 599 more like it in the last 60 s)"),
    ]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_server_malformed_requests_are_logged_once_not_per_connection(store: Store) -> None:
    collect = Collect()
    uvicorn_log = logging.getLogger("uvicorn.error")
    with serving(create_app(store)) as server:
        uvicorn_log.addHandler(collect)  # after uvicorn set up its loggers
        try:
            answers = []
            for _ in range(30):
                with socket.create_connection((server.host, server.port)) as sock:
                    sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
                    answers.append(_answer_or_close(sock).split(b"\r\n", 1)[0])
        finally:
            uvicorn_log.removeHandler(collect)
    assert set(answers) == {b"HTTP/1.1 400 Bad Request"}
    assert collect.messages == ["Invalid HTTP request received."]


def test_server_connection_cap_stays_below_the_open_files_limit() -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert (connection_cap(10), connection_cap(soft)) == (10, soft - FD_RESERVE)
