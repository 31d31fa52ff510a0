"""Personal notices over a real server: uvicorn around a store on a real database, each
person's stream read with httpx as a browser's EventSource would."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.notice_stream import PATH, SIGN_IN_FIRST
from ptghub.web.session import SESSION_COOKIE
from ptghub.web.stream import LiveConfig
from tests.follows import choose, follow
from tests.web.serving import Running, serving

WEB = Actor("olivia", frontend="web")
DEADLINE = 30.0  # a test waits for a notice; a broken stream fails, a slow one passes


@pytest.fixture
def server(store: Store) -> Iterator[Running]:
    app = create_app(store)
    app.state.live_config = LiveConfig(heartbeat=0.3, retry_ms=500, interval=0.2)
    with serving(app) as running:
        yield running


class Notices:
    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def block(self) -> list[str]:
        lines = []
        for line in self.lines:
            if line == "":
                return lines
            lines.append(line)
        raise AssertionError(f"the stream ended after {lines!r}")

    def next(self) -> dict[str, object]:
        """The next notice (heartbeats skipped, for at most ``DEADLINE``)."""
        deadline = time.monotonic() + DEADLINE
        lines = self.block()
        while lines == [": ping"]:
            assert time.monotonic() < deadline, f"no notice within {DEADLINE} s"
            lines = self.block()
        assert lines[0] == "event: notice", lines
        data = json.loads(lines[1].removeprefix("data: "))
        assert isinstance(data, dict)
        return data


def person(store: Store, address: str, team: str, **channels: bool) -> str:
    """A person following ``team`` with ``channels``; their session cookie's secret."""
    found = store.accounts.sign_up(address).person_id
    follow(store, found, "team", team)
    choose(store, found, **channels)
    return store.accounts.start_session(found, via="email")


@contextmanager
def notices(server: Running, session: str) -> Iterator[Notices]:
    timeout = httpx.Timeout(30.0, read=10.0)
    with (
        httpx.Client(
            base_url=server.url, timeout=timeout, cookies={SESSION_COOKIE: session}
        ) as client,
        client.stream("GET", PATH) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        reader = Notices(response)
        assert reader.block() == ["retry: 500"]
        yield reader


def test_each_person_gets_their_own_notices_and_nobody_elses(server: Running, store: Store) -> None:
    ada = person(store, "ada@example.org", "nova", browser=True)
    bob = person(store, "bob@example.org", "cinder", browser=True)
    with notices(server, ada) as ada_notices, notices(server, bob) as bob_notices:
        store.run("#nova now Placement API", WEB)
        store.run("#cinder now Volumes", WEB)

        got = ada_notices.next()
        assert (got["text"], got["name"], got["url"]) == (
            "#nova now Placement API",
            "Nova/Placement",
            "/events/test-ptg/teams/nova",
        )
        assert got["etherpad"] == "https://etherpad.opendev.org/p/test-ptg-nova"
        assert bob_notices.next()["text"] == "#cinder now Volumes"  # not nova's first


def test_nothing_reaches_a_person_who_did_not_choose_the_browser(
    server: Running, store: Store
) -> None:
    ada = person(store, "ada@example.org", "nova", browser=True)
    cy = person(store, "cy@example.org", "nova", email=True, chat=True)
    with notices(server, ada) as ada_notices, notices(server, cy) as cy_notices:
        store.run("#nova now Placement API", WEB)
        assert ada_notices.next()["text"] == "#nova now Placement API"  # handed out
        cy_id = store.accounts.person_of("cy@example.org")
        assert cy_id is not None
        choose(store, cy_id, browser=True)
        store.run("#nova now Quotas", WEB)

        assert cy_notices.next()["text"] == "#nova now Quotas"  # the first, not Placement


def test_signed_out_the_stream_is_a_json_401(server: Running) -> None:
    response = httpx.get(server.url + PATH, timeout=DEADLINE)
    assert response.status_code == 401
    assert response.json() == {"error": SIGN_IN_FIRST}
