"""gzip on a real uvicorn server: pages, JSON, exports and static files compressed when the
client accepts it, the live stream never (nor held back), ETags still answered with 304."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.compression import accepts_gzip
from ptghub.web.stream import LiveConfig
from tests.support import NOVA_CHAIR
from tests.web.serving import Running, serving

SLUG = "test-ptg"
EVENT = f"/events/{SLUG}"
DEADLINE = 30.0  # generous: a loaded machine is slow, not wrong
COMPRESSED = [
    f"{EVENT}/board",  # a page
    f"{EVENT}/",
    f"/api/v1/events/{SLUG}/board",  # JSON
    f"{EVENT}/calendar.ics",  # exports
    f"{EVENT}/schedule.xml",
    "/static/style.css",  # a static file
    "/openapi.json",
]


@pytest.fixture
def server(store: Store) -> Iterator[Running]:
    app = create_app(store)
    app.state.live_config = LiveConfig(heartbeat=0.3, retry_ms=500, interval=0.2)
    with serving(app) as running:
        yield running


def _raw(server: Running, path: str, accept: str) -> tuple[httpx.Response, bytes]:
    """The response and its body as it travelled (httpx would decode it otherwise)."""
    with (
        httpx.Client(base_url=server.url, timeout=DEADLINE) as client,
        client.stream("GET", path, headers={"Accept-Encoding": accept}) as response,
    ):
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize("path", COMPRESSED)
def test_compression_gzips_what_the_client_accepts(server: Running, path: str) -> None:
    response, body = _raw(server, path, "gzip, deflate")
    plain, plain_body = _raw(server, path, "identity")
    assert response.status_code == plain.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert int(response.headers["content-length"]) == len(body) < len(plain_body)
    assert "content-encoding" not in plain.headers
    # The same answer, with the security headers: compression sits inside them.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == plain.headers["content-security-policy"]
    if not path.endswith("board"):  # the board pages say "as of" the instant they are read
        assert gzip.decompress(body) == plain_body


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br", "*;q=0", "gzip;q=0, *"])
def test_compression_leaves_a_refusing_client_plain(server: Running, accept: str) -> None:
    response, body = _raw(server, f"{EVENT}/board", accept)
    assert "content-encoding" not in response.headers
    assert b"Live board" in body


def test_compression_keeps_etags_answering_304(server: Running) -> None:
    path = f"{EVENT}/calendar.ics"
    response, _ = _raw(server, path, "gzip")
    etag = response.headers["etag"]
    assert etag.startswith('W/"')  # another representation than the plain body's
    with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:
        again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        plain = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    # The 304 carries the tag of the 200 it confirms; the plain form's tag is strong.
    assert (again.status_code, again.headers["etag"]) == (304, etag)
    assert (plain.status_code, plain.headers["etag"]) == (304, etag.removeprefix("W/"))


def test_compression_leaves_the_live_stream_plain_and_prompt(server: Running, store: Store) -> None:
    timeout = httpx.Timeout(DEADLINE, read=10.0)  # per read: heartbeats come every 0.3 s
    with (
        httpx.Client(base_url=server.url, timeout=timeout) as client,
        client.stream(
            "GET", f"{EVENT}/stream", headers={"Accept-Encoding": "gzip, deflate, br"}
        ) as response,
    ):
        assert response.status_code == 200
        assert "content-encoding" not in response.headers
        lines = response.iter_lines()
        assert next(lines) == "retry: 500"  # subscribed from here on
        store.run("#nova now Compressed streams", NOVA_CHAIR, event=SLUG)
        deadline = time.monotonic() + DEADLINE
        for line in lines:
            assert time.monotonic() < deadline, f"no change within {DEADLINE} s"
            if line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
                break
    assert "Compressed streams" in data["fragments"]["now-next"]


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("GZip;q=0.5", True),
        ("deflate, gzip;q=1.0, *;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        (None, False),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=nonsense", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),  # named: the star does not overrule it
    ],
)
def test_accepts_gzip(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
