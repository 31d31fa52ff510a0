"""docs/deploy.md's nginx site file, run by Debian's nginx in front of a real ``ptghub
serve`` (a process of its own on the test's database), reached over HTTPS as a browser
would: a live stream passes each change at once, and each client's own address reaches
the rate limiter. tests/web/nginx.py says what differs from the documented file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ptghub.store.store import Store
from tests.mailserver import free_port
from tests.support import NOVA_CHAIR
from tests.web.nginx import Proxy, nginx_in_front, ptghub_serving
from tests.web.test_stream import Events

SLUG = "test-ptg"
COMMANDS = f"/api/v1/events/{SLUG}/commands"
# The store fixture's moment (Monday 13:30 UTC, nova meeting in Austin), for the server too.
CLOCK = "2022-04-04T13:30Z"
# Two failed authentications per client address an hour: the third is refused (429).
FAILURES = "2/3600"


@contextmanager
def proxied(tmp_path: Path, database_url: str, trusted_proxies: str) -> Iterator[Proxy]:
    """nginx with the documented site in front of ``ptghub serve``, which believes the
    ``X-Forwarded-For`` of ``trusted_proxies`` (PTGHUB_WEB_TRUSTED_PROXIES)."""
    upstream = free_port()
    with nginx_in_front(tmp_path, upstream) as proxy:
        settings = {
            "web_trusted_proxies": trusted_proxies,
            "web_auth_failures": FAILURES,
            "public_url": f"https://127.0.0.1:{proxy.https}",
            "clock": CLOCK,
        }
        with ptghub_serving(database_url, upstream, **settings):
            yield proxy


def test_a_change_reaches_a_stream_through_nginx_at_once(
    tmp_path: Path, store: Store, database_url: str
) -> None:
    with (
        proxied(tmp_path, database_url, trusted_proxies="127.0.0.1") as proxy,
        proxy.client() as client,
        client.stream("GET", proxy.url(f"/events/{SLUG}/stream")) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["strict-transport-security"] == "max-age=63072000"
        events = Events(response)
        # The stream's first bytes come through before any change: nginx holds nothing back.
        assert events.block() == ["retry: 2000"]
        started = time.monotonic()
        result = store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        event_id, data = events.change()
        latency = time.monotonic() - started
    backend = database_url.split(":")[0]
    print(f"change to viewer through nginx ({backend}): {latency * 1000:.0f} ms")
    assert result is not None and event_id == result.audit_id
    fragments = data["fragments"]
    assert isinstance(fragments, dict)
    assert any("Placement API" in html for html in fragments.values())


def _failed_authentications(proxy: Proxy, *tries: tuple[str, dict[str, str]]) -> list[int]:
    """The statuses of API writes with an unknown token, each from a client connecting
    from the given loopback address with the given extra headers."""
    statuses = []
    for source, headers in tries:
        with proxy.client(source) as client:
            response = client.post(
                proxy.url(COMMANDS),
                json={"command": "#nova now Placement API"},
                headers={"Authorization": "Bearer not-a-token", **headers},
            )
        statuses.append(response.status_code)
    return statuses


def test_each_clients_own_address_reaches_the_rate_limiter_through_nginx(
    tmp_path: Path, store: Store, database_url: str
) -> None:
    with proxied(tmp_path, database_url, trusted_proxies="127.0.0.1") as proxy:
        statuses = _failed_authentications(
            proxy,
            ("127.0.0.2", {}),
            ("127.0.0.2", {}),
            ("127.0.0.2", {}),  # its third failure within the hour: refused
            # Another client is counted apart, and cannot pass for someone else: the
            # X-Forwarded-For it sends is replaced by nginx.
            ("127.0.0.3", {"X-Forwarded-For": "127.0.0.2"}),
            ("127.0.0.3", {}),
        )
    assert statuses == [401, 401, 429, 401, 401]


def test_without_nginx_among_the_trusted_proxies_every_client_is_counted_as_nginx(
    tmp_path: Path, store: Store, database_url: str
) -> None:
    with proxied(tmp_path, database_url, trusted_proxies="192.0.2.1") as proxy:
        statuses = _failed_authentications(
            proxy, ("127.0.0.2", {}), ("127.0.0.2", {}), ("127.0.0.3", {})
        )
    assert statuses == [401, 401, 429]


def test_nginx_redirects_http_to_https_and_answers_the_certificate_challenge(
    tmp_path: Path,
) -> None:
    with nginx_in_front(tmp_path, upstream=free_port()) as proxy:
        response = httpx.get(f"http://127.0.0.1:{proxy.http}/events/{SLUG}/board?tz=UTC")
        challenge = httpx.get(f"http://127.0.0.1:{proxy.http}/.well-known/acme-challenge/x")
    assert (response.status_code, response.headers["location"]) == (
        301,
        f"https://127.0.0.1/events/{SLUG}/board?tz=UTC",
    )
    # Served from certbot's webroot (here absent: 404), not redirected.
    assert challenge.status_code == 404
