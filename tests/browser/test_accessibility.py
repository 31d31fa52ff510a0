"""Accessibility: axe-core, injected into each page, finds no serious or critical
violation (WCAG 2.x A and AA rules plus axe's best practices)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ptghub.commands.track_requests import check_proposal
from ptghub.core.model import Actor
from ptghub.store.mail_delivery import Delivery
from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import BOARD, EVENT, HOME, LiveServer, TabFactory

# Every public page, once: the accessibility test here and the layout test
# (test_layout.py: phone and laptop widths) visit each. Add a new page here.
PAGES = {
    "events": "/events/",
    "home": HOME,
    "board": BOARD,
    "team": f"/events/{EVENT}/teams/nova",
    "etherpads": f"/events/{EVENT}/etherpads",
    "signage": f"/events/{EVENT}/signage",
    "rooms": f"/events/{EVENT}/rooms",
    "room": f"/events/{EVENT}/rooms/Essex",
    "about": f"/events/{EVENT}/about",
    "faq": f"/events/{EVENT}/faq",
    "socials": f"/events/{EVENT}/socials",
    "calendars": f"/events/{EVENT}/calendars",
    "not-found": "/no/such/page",
    "room-signage": f"/events/{EVENT}/signage?room=Austin",
    "signin": f"/signin?next=/events/{EVENT}/board",
    "signin-link-unknown": "/signin/link?token=no-such-link",
    "track-request": f"/events/{EVENT}/tracks/request",  # signed out: the way to sign in
    "updates": f"/events/{EVENT}/updates",
    "announcements": f"/events/{EVENT}/announcements",
    "register": f"/events/{EVENT}/register",
    "register-coc": f"/events/{EVENT}/register/code-of-conduct",
}
STATUS = {"/no/such/page": 404, "/signin/link?token=no-such-link": 400}
# The organizers' pages, seen signed in as an organizer of the demo event (they are a 401
# page to anyone else), at a phone's and a laptop's width; and My PTG, anyone's who is
# signed in (this organizer follows a few teams).
ORGANIZER_PAGES = {
    "organize": f"/events/{EVENT}/organize",
    "organize-messages": f"/events/{EVENT}/organize/messages",
    "organize-teams": f"/events/{EVENT}/organize/teams",
    "organize-grid": f"/events/{EVENT}/organize/grid",
    "organize-pages": f"/events/{EVENT}/organize/pages",
    "organize-page-edit": f"/events/{EVENT}/organize/pages/about",
    "organize-announcements": f"/events/{EVENT}/organize/announcements",
    "plan-first": f"/events/{EVENT}/plan",  # no plan yet: the button that makes one
    "organize-tracks": f"/events/{EVENT}/organize/tracks",
    # Signed in (as the organizer), the request form and the person's own requests.
    "track-request-form": f"/events/{EVENT}/tracks/request",
    "track-requests-mine": f"/events/{EVENT}/tracks/requests",
    "track-request-changes": f"/events/{EVENT}/tracks/requests/2",  # with its edit form
    "my-ptg": f"/events/{EVENT}/my",  # anyone signed in has one; an organizer is someone
    "organize-registrations": f"/events/{EVENT}/organize/registrations",
    "organize-mail": f"/events/{EVENT}/organize/mail",  # a paused address, failed mail
    "organize-report": f"/events/{EVENT}/organize/report",  # every chart of the dashboard
    "organize-compare": f"/events/{EVENT}/organize/compare",  # no other event to choose
}
BLOCKING = ("serious", "critical")

# Each violation as: rule id, impact, help text, and up to five offending elements
# (CSS selectors with the start of their HTML), so a failure says what to fix where.
RUN_AXE = """async (blocking) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter(v => blocking.includes(v.impact))
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.html.slice(0, 120)),
    }));
}"""


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_accessibility_violations(
    axe_js: Path, new_tab: TabFactory, path: str
) -> None:
    # axe_js first: without axe-core the test skips before the server starts.
    # The pages' Content-Security-Policy allows scripts from the site only; axe is
    # injected by the test, so this context bypasses CSP (the page's own scripts
    # still run exactly as for a visitor).
    tab = new_tab(bypass_csp=True)
    page = tab.open(path, STATUS.get(path, 200))
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))

    # A page answered with an error status is itself a "failed" resource to the console.
    errors = [e for e in tab.errors if not (path in STATUS and e.endswith(f"{path}:0)"))]
    assert (violations, errors) == ([], [])


@pytest.fixture(scope="module")
def organizer_session(live_server: LiveServer) -> dict[str, str]:
    """The session cookie of a person who organizes the demo event, made in the server's
    database as signing in makes one."""
    store = Store.open(live_server.database_url)
    try:
        _paused_mail(store)  # first: the only mail queued so far is the one refused
        account = store.accounts.sign_up("axe-organizer@example.org")
        grant = f"~role grant {account.web_nick} organizer"
        store.run(grant, Actor("root", operator=True), event=EVENT)
        # Their My PTG page then has sessions, now and next, clashes and a pattern.
        for team in ("nova", "cinder", "neutron", "tacker"):
            store.attendees.follows.follow_team(account.person_id, EVENT, team)
        store.attendees.follows.add_pattern(account.person_id, EVENT, "placement|quota")
        secret = store.accounts.start_session(account.person_id, via="email")
        _track_requests(store, account.person_id)
    finally:
        store.close()
    return {"name": SESSION_COOKIE, "value": secret, "url": live_server.url}


def _paused_mail(store: Store) -> None:
    """A long address that refused a mail for good (so it is paused, the mail failed),
    a mail held for it since, and one waiting for another address."""
    gone = "a-rather-long-address-that-no-longer-exists@mail.example.org"
    store.outbox.enqueue(to=gone, subject="Welcome", text="Hi.", kind="test")
    delivery = Delivery(store.engine, store.clock)
    entry = delivery.claim()
    assert entry is not None and entry.to_address == gone, entry
    delivery.refused(entry, f"550 5.1.1 <{gone}>: Recipient address rejected: No such user")
    store.outbox.enqueue(to=gone, subject="Rooms moved", text="Room B.", kind="announcement")
    store.outbox.enqueue(to="ok@example.org", subject="Hello", text="Hi.", kind="test")


def _track_requests(store: Store, person_id: int) -> None:
    """Two track requests of the organizer's: #1 waiting in the queue, #2 sent back for
    changes (its page shows the form to edit it)."""
    tracks = store.attendees.tracks
    for name in ("Eventlet Removal", "Docs SIG"):
        fields = {"team_name": name, "kind": "sig", "contacts": "tess", "purpose": "Talk."}
        proposal = check_proposal(store.state(EVENT), {**fields, "hours": "2", "days": []})
        tracks.submit(EVENT, person_id, proposal, site="http://127.0.0.1")
    tracks.ask_changes(EVENT, 2, Actor("root", operator=True), "Fewer hours.", site="")


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "laptop"])
@pytest.mark.parametrize("path", ORGANIZER_PAGES.values(), ids=ORGANIZER_PAGES.keys())
def test_organizer_page_fits_the_screen_and_has_no_serious_accessibility_violations(
    axe_js: Path, new_tab: TabFactory, organizer_session: dict[str, str], path: str, width: int
) -> None:
    from tests.browser.test_layout import WIDER  # that module imports this one's PAGES

    tab = new_tab(bypass_csp=True, viewport={"width": width, "height": 844})
    tab.page.context.add_cookies([organizer_session])  # type: ignore[list-item]
    page = tab.open(path)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider: list[str] = page.evaluate(WIDER) if widths[0] > widths[1] else []
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))
    assert (widths[0], wider, violations, tab.errors) == (width, [], [], [])
