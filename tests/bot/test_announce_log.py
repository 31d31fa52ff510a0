"""A chat bot that announces a change made elsewhere logs it with the change's audit id."""

from __future__ import annotations

import logging

import pytest

from ptghub.bot.announce import Announcer
from ptghub.core.model import Actor
from ptghub.store.store import Store


def test_each_announced_change_is_logged_with_its_audit_id(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[str] = []
    announcer = Announcer(store, "test-ptg", sent.append, skip_frontends={"irc"}, interval=0.05)
    announcer.begin()
    from_web = store.run("#nova now Placement API", Actor("olivia", frontend="web"))
    store.run("#nova next Cells", Actor("nchair", frontend="irc"))  # its own: not announced
    with caplog.at_level(logging.INFO, logger="ptghub.bot.announce"):
        assert announcer.poll() == 1
    logged = [
        (r.getMessage(), r.audit_id, r.event, r.frontend)  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "ptghub.bot.announce"
    ]
    assert logged == [("change announced", from_web.audit_id, "test-ptg", "web")]
