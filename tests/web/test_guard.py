"""The guard over a real uvicorn: authentication before the body, body limits, rates per
client address and per token, live streams per client address."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub.core.ratelimit import Rate, too_many
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.auth import MISSING, UNKNOWN
from ptghub.web.guard import Tallies, too_large
from ptghub.web.limits import WebLimits
from tests.support import ORGANIZER
from tests.web.serving import Running, read_answer, serving

COMMANDS = "/api/v1/events/test-ptg/commands"
DEADLINE = 10.0  # seconds: generous, the answer is expected at once


def _closed(sock: socket.socket) -> bool:
    """Whether the server closes the connection (within DEADLINE)."""
    sock.settimeout(DEADLINE)
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True


def _head(path: str, *lines: str) -> bytes:
    text = f"POST {path} HTTP/1.1\r\nHost: ptghub.test\r\nContent-Type: application/json\r\n"
    return (text + "".join(f"{line}\r\n" for line in lines) + "\r\n").encode()


@pytest.fixture
def running(store: Store) -> Iterator[Running]:
    with serving(create_app(store)) as server:
        yield server


def _connect(server: Running) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=DEADLINE)


def test_guard_unauthenticated_huge_post_is_401_before_its_body(running: Running) -> None:
    with _connect(running) as sock:
        sock.sendall(_head(COMMANDS, "Content-Length: 300000000"))
        sock.sendall(b"x" * 65536)  # 64 KB of the announced 300 MB, and no more
        answer = read_answer(sock)
        assert (answer.status, answer.json(), answer.headers["connection"]) == (
            401,
            {"error": MISSING},
            "close",
        )
        assert _closed(sock)


def test_guard_unknown_token_huge_post_is_401_before_its_body(running: Running) -> None:
    with _connect(running) as sock:
        sock.sendall(_head(COMMANDS, "Content-Length: 300000000", "Authorization: Bearer nope"))
        answer = read_answer(sock)
        assert (answer.status, answer.json()) == (401, {"error": UNKNOWN})


def test_guard_declared_oversized_command_is_413_before_its_body(
    running: Running, store: Store
) -> None:
    secret = store.tokens.create(ORGANIZER.nick)[1]
    with _connect(running) as sock:
        sock.sendall(
            _head(COMMANDS, "Content-Length: 16385", f"Authorization: Bearer {secret}")
        )  # the headers alone: the answer must not wait for the body
        answer = read_answer(sock)
        assert (answer.status, answer.json()) == (413, {"error": too_large(16384)})
        assert _closed(sock)


def test_guard_declared_oversized_body_elsewhere_is_413_at_the_default_limit(
    running: Running, store: Store
) -> None:
    secret = store.tokens.create(ORGANIZER.nick)[1]
    with _connect(running) as sock:
        sock.sendall(
            _head(
                "/api/v1/events/test-ptg/plan-rules",
                "Content-Length: 1048577",
                f"Authorization: Bearer {secret}",
            ).replace(b"POST", b"PUT", 1)
        )
        answer = read_answer(sock)
        assert (answer.status, answer.json()) == (413, {"error": too_large(1048576)})


def test_guard_chunked_body_growing_past_the_limit_is_413(running: Running, store: Store) -> None:
    secret = store.tokens.create(ORGANIZER.nick)[1]
    chunk = b'{"text": "' + b"a" * 4086 + b'"}'  # 4 KB, with its chunk framing below
    with _connect(running) as sock:
        sock.sendall(
            _head(COMMANDS, "Transfer-Encoding: chunked", f"Authorization: Bearer {secret}")
        )
        # Five chunks, 20 KB, past the 16 KB limit, and never the last (empty) chunk: a
        # server that waited for the whole body would never answer.
        for _ in range(5):
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        answer = read_answer(sock)
    assert (answer.status, answer.json()) == (413, {"error": too_large(16384)})


def test_guard_small_authenticated_command_still_runs(running: Running, store: Store) -> None:
    secret = store.tokens.create(ORGANIZER.nick)[1]
    response = httpx.post(
        running.url + COMMANDS,
        json={"text": "#nova now Placement API"},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=DEADLINE,
    )
    assert (response.status_code, response.json()["changed"]) == (200, True)


def _limited(store: Store, **limits: object) -> Iterator[Running]:
    with serving(create_app(store, limits=WebLimits(**limits))) as server:  # type: ignore[arg-type]
        yield server


def _retry(response: httpx.Response, what: str, most: int) -> tuple[int, object, bool]:
    """Status, body and whether Retry-After is right: the body names the same wait, which
    is at most ``most`` seconds and less than a minute below it (time passes meanwhile)."""
    retry = int(response.headers["retry-after"])
    return (
        response.status_code,
        response.json(),
        response.json() == {"error": too_many(what, retry)} and most - 60 < retry <= most,
    )


def test_guard_bad_tokens_from_one_address_get_429(store: Store) -> None:
    for server in _limited(store, auth_failures=Rate(5, 3600)):
        with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:

            def attempt(address: str, secret: str) -> httpx.Response:
                return client.post(
                    COMMANDS,
                    json={"text": "#nova now Placement API"},
                    headers={"Authorization": f"Bearer {secret}", "X-Forwarded-For": address},
                )

            statuses = [attempt("203.0.113.7", f"ptg_guess{i}").status_code for i in range(5)]
            refused = attempt("203.0.113.7", "ptg_guess5")
            good = store.tokens.create(ORGANIZER.nick)[1]
            after = attempt("203.0.113.7", good)  # even a good token waits out the block
            elsewhere = attempt("198.51.100.1", good)
    assert statuses == [401] * 5
    what = "failed authentications from your address"
    assert _retry(refused, what, 720)[::2] == (429, True)
    assert after.status_code == 429
    assert elsewhere.status_code == 200


def test_guard_write_flood_from_one_token_gets_429_while_another_writes(store: Store) -> None:
    flooder = store.tokens.create(ORGANIZER.nick)[1]
    other = store.tokens.create(ORGANIZER.nick)[1]
    for server in _limited(store, writes=Rate(3, 3600)):
        with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:

            def write(secret: str, topic: str) -> httpx.Response:
                return client.put(
                    "/api/v1/events/test-ptg/teams/nova/now",
                    json={"topic": topic},
                    headers={"Authorization": f"Bearer {secret}"},
                )

            flood = [write(flooder, f"Topic {i}") for i in range(4)]
            still = write(other, "Another token's topic")
    assert [r.status_code for r in flood] == [200, 200, 200, 429]
    assert _retry(flood[3], "writes with this token", 1200)[::2] == (429, True)
    assert still.status_code == 200
    assert store.state("test-ptg").topics_of("nova").now == "Another token's topic"


def test_guard_streams_beyond_the_limit_per_address_get_429(store: Store) -> None:
    stream = "/events/test-ptg/stream"
    client_a = {"X-Forwarded-For": "192.0.2.1"}  # as a proxy on 127.0.0.1 names them
    client_b = {"X-Forwarded-For": "192.0.2.9"}
    for server in _limited(store, max_streams_per_client=2):
        tallies: Tallies = server.app.state.tallies
        with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:
            with (
                client.stream("GET", stream, headers=client_a) as first,
                client.stream("GET", stream, headers=client_a) as second,
            ):
                third = client.get(stream, headers=client_a)
                with (
                    client.stream("GET", stream, headers=client_b) as other,
                    client.stream("GET", stream) as proxy_1,  # the proxy's own address
                    client.stream("GET", stream) as proxy_2,
                    client.stream("GET", stream) as proxy_3,
                ):
                    opened = [
                        r.status_code for r in (first, second, other, proxy_1, proxy_2, proxy_3)
                    ]
            deadline = time.monotonic() + DEADLINE
            while tallies.streams and time.monotonic() < deadline:
                time.sleep(0.01)  # the server notices the closed streams
            left = dict(tallies.streams)
            with client.stream("GET", stream, headers=client_a) as fourth:
                reopened = fourth.status_code
    assert opened == [200] * 6
    assert (third.status_code, third.json(), third.headers["retry-after"]) == (
        429,
        {
            "error": "Too many live streams from your address (at most 2 at once); "
            "close one and try again."
        },
        "10",
    )
    assert left == {}
    assert reopened == 200


def test_guard_leaves_methods_an_address_does_not_have_to_the_router(client: TestClient) -> None:
    """Only operations that need the token are checked first: a POST where the API has
    none is still 405, not 401."""
    response = client.post("/api/v1/events", json={})
    assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD")
