"""Sign-in mails are rate limited per address mailed and per client address: past either,
a 429 page says how long to wait (and Retry-After says it to programs); nothing is mailed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.core.ratelimit import Rate
from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.limits import WebLimits
from tests.web.mailed_links import ask_link, mails, main_text


def _retry_after(value: str) -> int:
    seconds = int(value)
    assert seconds >= 1
    return seconds


def test_too_many_links_to_one_address_get_a_429_page(store: Store) -> None:
    app = create_app(store, limits=WebLimits(sign_ins_per_address=Rate(2, 3600.0)))
    with TestClient(app) as browser, TestClient(app, client=("198.51.100.7", 4000)) as other:
        assert [ask_link(browser, "ann@example.org").status_code for _ in range(2)] == [200, 200]
        refused = ask_link(other, "ANN@example.org")  # another client, the same address
        seconds = _retry_after(refused.headers["retry-after"])
        unit = "second" if seconds == 1 else "seconds"
        assert (refused.status_code, main_text(refused)) == (
            429,
            f"Too many requests Too many sign-in links for this address; try again in "
            f"{seconds} {unit}. Back to the sign-in page",
        )
        assert ask_link(browser, "bob@example.org").status_code == 200
    assert [m.to_address for m in mails(store)] == [
        "ann@example.org",
        "ann@example.org",
        "bob@example.org",
    ]


def test_too_many_sign_ins_from_one_client_address_get_a_429_page(store: Store) -> None:
    app = create_app(store, limits=WebLimits(sign_ins_per_client=Rate(2, 3600.0)))
    with (
        TestClient(app, client=("203.0.113.5", 5000)) as crowded,
        TestClient(app, client=("198.51.100.7", 4000)) as elsewhere,
    ):
        assert ask_link(crowded, "a@example.org").status_code == 200
        assert ask_link(crowded, "b@example.org").status_code == 200
        refused = ask_link(crowded, "c@example.org")
        assert refused.status_code == 429
        _retry_after(refused.headers["retry-after"])
        assert main_text(refused).startswith(
            "Too many requests Too many sign-in requests from your network address; try again in"
        )
        assert ask_link(elsewhere, "c@example.org").status_code == 200
    assert [m.to_address for m in mails(store)] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_an_unknown_and_a_known_address_are_limited_alike(store: Store) -> None:
    store.accounts.sign_up("known@example.org")
    app = create_app(store, limits=WebLimits(sign_ins_per_address=Rate(1, 3600.0)))
    with TestClient(app) as browser:
        answers = [
            ask_link(browser, address).status_code
            for address in ["known@example.org"] * 2 + ["new@example.org"] * 2
        ]
    assert answers == [200, 429, 200, 429]


@pytest.mark.parametrize("setting", ["web_sign_ins_per_address", "web_sign_ins_per_client"])
def test_the_sign_in_limits_come_from_the_settings(setting: str) -> None:
    limits = WebLimits.from_settings(Settings(**{setting: "4/60/2"}))  # type: ignore[arg-type]
    rate = (
        limits.sign_ins_per_address
        if setting == "web_sign_ins_per_address"
        else limits.sign_ins_per_client
    )
    assert rate == Rate(4, 60.0, 2)
    with pytest.raises(ValueError, match="a rate is COUNT/SECONDS or COUNT/SECONDS/BURST"):
        Settings(**{setting: "often"})  # type: ignore[arg-type]
