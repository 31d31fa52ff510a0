"""The table behind tests/web/test_authorization.py: every state-changing route of the
app, a request that would succeed, and who may make it.

Each persona is a real person signed in on the web (a session cookie and its CSRF token)
or, for the JSON API, holding a token of their own; roles are granted to their web nicks
by the audited ``~role grant`` command. The event is tests/event_files.py's ``upd-ptg``
(nova planned in Austin on both mornings); ``other-ptg`` is a second event whose
organizer has no role in the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ptghub.commands import needs as needs_changes
from ptghub.core.model import SYSTEM
from ptghub.store import plan_workflow
from ptghub.store.mail_delivery import Delivery
from ptghub.store.registration_answers import Answers
from ptghub.store.store import Store
from tests.event_files import EVENT, edited

SLUG = "upd-ptg"
OTHER = "other-ptg"
API = f"/api/v1/events/{SLUG}"
WEB = f"/events/{SLUG}"

ANONYMOUS = "anonymous"
NO_ROLE = "no role"
OTHER_CHAIR = "chair of another team"
CHAIR = "chair"
OTHER_ORGANIZER = "organizer of another event"
ORGANIZER = "organizer"
PERSONAS = (ANONYMOUS, NO_ROLE, OTHER_CHAIR, CHAIR, OTHER_ORGANIZER, ORGANIZER)
# The roles behind each persona, as ~role grant arguments, and the event they hold in.
ROLES = {
    OTHER_CHAIR: (SLUG, "chair cinder"),
    CHAIR: (SLUG, "chair nova"),
    OTHER_ORGANIZER: (OTHER, "organizer"),
    ORGANIZER: (SLUG, "organizer"),
}
SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS}
CHAIRS = frozenset({CHAIR, ORGANIZER})
ORGANIZERS = frozenset({ORGANIZER})

NEEDS = {"hours": 2, "days": ["Mon"]}
THE_DAY_BEFORE = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)


def _needs_set(store: Store) -> None:
    store.change(needs_changes.set_team("nova", NEEDS), SYSTEM, "needs set nova", event=SLUG)


def _booked(store: Store) -> None:
    store.run("#nova book Bexar-Tue-P1", SYSTEM, event=SLUG)


def _dana(store: Store) -> None:
    """Dana signed in once, and chairs nova under a chat nick of hers."""
    dana = store.accounts.sign_up("dana@example.org", "Dana")
    store.link_codes.redeem(store.link_codes.create(dana.person_id), "dana")
    store.run("~role grant dana chair nova", SYSTEM, event=SLUG)


def _linked_irc_nick(store: Store, address: str) -> None:
    person = store.accounts.sign_up(address)
    store.link_codes.redeem(store.link_codes.create(person.person_id), "my-irc-nick")


def _draft(store: Store) -> None:
    """A draft that differs from the board: manila, in no room yet, needs an hour."""
    _needs_set(store)
    store.change(needs_changes.set_team("manila", {"hours": 1}), SYSTEM, "needs", event=SLUG)
    plan_workflow.run(store, SYSTEM, event=SLUG, work_limit=3)


REGISTRATION = {"role": "developer", "teams": "nova", "time_zone": "UTC", "coc": "yes",
                "coc_version": "1"}  # fmt: skip


def _registered(store: Store, address: str) -> None:
    regs = store.attendees.registrations
    person = store.accounts.sign_up(address).person_id
    answers = Answers("developer", ("nova",), False, "UTC", False)
    regs.register(regs.event_id(SLUG), person, answers, coc_version=1)


def _registered_before_the_code_changed(store: Store, address: str) -> None:
    _registered(store, address)
    store.attendees.registrations.coc_changed(store.attendees.registrations.event_id(SLUG))


@dataclass(frozen=True, slots=True)
class Case:
    """One state-changing route: how to call it so that an allowed persona succeeds."""

    method: str
    path: str  # as the app names it, e.g. /api/v1/events/{slug}/commands
    url: str  # filled in for the test event
    allowed: frozenset[str]
    json: Any = None
    form: dict[str, str] | None = None  # a web form (the CSRF token is added)
    setup: Callable[[Store], None] | None = None
    # What a success changes: 'audit', 'plans', 'link_codes', 'nicks', 'registrations',
    # 'registration_settings', 'mail_suppressions' ... (test_authorization._counts).
    changes: str = "audit"
    # For a person's own things: run as the allowed persona (by address) signs in.
    own: Callable[[Store, str], None] | None = None
    # A secret the request carries, made at request time: put for "{token}" in the url
    # and the form's values.
    token: Callable[[Store], str] | None = None
    note: str = field(default="", compare=False)

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


CASES: tuple[Case, ...] = (
    Case(
        "POST",
        "/api/v1/events/{slug}/commands",
        f"{API}/commands",
        CHAIRS,
        json={"text": "#nova now Placement"},
    ),
    Case(
        "PUT",
        "/api/v1/events/{slug}/teams/{team}/now",
        f"{API}/teams/nova/now",
        CHAIRS,
        json={"topic": "Placement"},
    ),
    Case(
        "POST",
        "/api/v1/events/{slug}/teams/{team}/next",
        f"{API}/teams/nova/next",
        CHAIRS,
        json={"topic": "Quotas"},
    ),
    Case(
        "POST",
        "/api/v1/events/{slug}/teams/{team}/bookings",
        f"{API}/teams/nova/bookings",
        CHAIRS,
        json={"cell": "Bexar-Tue-P1"},
    ),
    Case(
        "DELETE",
        "/api/v1/events/{slug}/teams/{team}/bookings/{cell:path}",
        f"{API}/teams/nova/bookings/Bexar-Tue-P1",
        CHAIRS,
        setup=_booked,
    ),
    Case(
        "POST",
        "/events/{slug}/commands",
        f"{WEB}/commands",
        CHAIRS,
        form={"team": "nova", "verb": "now", "topic": "Placement"},
        note="the board's and the team page's forms (web.actions)",
    ),
    Case(
        "POST",
        "/events/{slug}/commands",
        f"{WEB}/commands",
        CHAIRS,
        form={"team": "nova", "verb": "outcome", "number": "1", "outcome": "Ship it."},
        note="the recap page's outcome form (web.recap_pages)",
    ),
    Case("PUT", "/api/v1/events/{slug}/needs/{team}", f"{API}/needs/nova", CHAIRS, json=NEEDS),
    Case(
        "DELETE",
        "/api/v1/events/{slug}/needs/{team}",
        f"{API}/needs/nova",
        CHAIRS,
        setup=_needs_set,
    ),
    Case(
        "PUT",
        "/api/v1/events/{slug}/plan-rules",
        f"{API}/plan-rules",
        ORGANIZERS,
        json={"cross_project_days": ["Mon"]},
    ),
    Case(
        "POST",
        "/api/v1/events/{slug}/update",
        f"{API}/update",
        ORGANIZERS,
        json={"text": edited(("name: Update PTG", "name: Updated PTG"))},
    ),
    Case(
        "POST",
        "/api/v1/events/{slug}/plans",
        f"{API}/plans",
        ORGANIZERS,
        json={"work_limit": 3},
        setup=_needs_set,
        changes="plans",
    ),
    Case(
        "POST",
        "/api/v1/events/{slug}/plans/{number}/publish",
        f"{API}/plans/1/publish",
        ORGANIZERS,
        setup=_draft,
    ),
    Case(
        "POST",
        "/events/{slug}/people/grant",
        f"{WEB}/people/grant",
        ORGANIZERS,
        form={"who": "dana@example.org", "role": "organizer"},
        setup=_dana,
    ),
    Case(
        "POST",
        "/events/{slug}/people/revoke",
        f"{WEB}/people/revoke",
        ORGANIZERS,
        form={"nick": "dana", "role": "chair nova"},
        setup=_dana,
    ),
    Case("POST", "/me/chat/link", "/me/chat/link", SIGNED_IN, form={}, changes="link_codes"),
    Case(
        "POST",
        "/events/{slug}/register",
        f"{WEB}/register",
        SIGNED_IN,
        form=REGISTRATION,
        changes="registrations",
        note="web.register_pages; signed out, people register by mail (PERSONAL below)",
    ),
    Case(
        "POST",
        "/events/{slug}/register/cancel",
        f"{WEB}/register/cancel",
        SIGNED_IN,
        form={},
        changes="registrations",
        own=_registered,
    ),
    Case(
        "POST",
        "/events/{slug}/register/accept",
        f"{WEB}/register/accept",
        SIGNED_IN,
        form={"coc": "yes", "coc_version": "2"},
        changes="registrations",
        own=_registered_before_the_code_changed,
    ),
    Case(
        "POST",
        "/me/chat/unlink",
        "/me/chat/unlink",
        SIGNED_IN,
        form={"nick": "my-irc-nick"},
        changes="nicks",
        own=_linked_irc_nick,
    ),
)


# Routes that change no event, only a person's own sign-in, account or sessions (no audit
# row, no plan): anonymous gets 401 and a form without its CSRF token 403, nothing changed,
# in tests/web/test_me.py and test_me_forms.py; signing in and out in test_signin.py.
def _two_messages(store: Store) -> None:
    store.run("~motd add info one", SYSTEM, event=SLUG)
    store.run("~motd add info two", SYSTEM, event=SLUG)


ORG = f"{WEB}/organize"
_O = "/events/{slug}/organize"


# The organizers' forms (web/organize_pages.py, organize_grid.py, organize_info.py) and
# the plan page's buttons; a preview changes nothing (``changes="nothing"``).
def _paused(store: Store) -> None:
    """gone@example.org refused a mail for good: paused, as the sender does on a 550."""
    store.outbox.enqueue(to="gone@example.org", subject="Hi", text="Hi.", kind="test")
    delivery = Delivery(store.engine, store.clock)
    entry = delivery.claim()
    assert entry is not None and entry.to_address == "gone@example.org", entry
    delivery.refused(entry, "550 5.1.1 No such user")


ORGANIZER_CASES: tuple[Case, ...] = (
    Case("POST", f"{_O}/messages/add", f"{ORG}/messages/add", ORGANIZERS,
         form={"level": "info", "text": "Hello"}),
    Case("POST", f"{_O}/messages/remove", f"{ORG}/messages/remove", ORGANIZERS,
         form={"n": "1"}, setup=_two_messages),
    Case("POST", f"{_O}/messages/up", f"{ORG}/messages/up", ORGANIZERS,
         form={"n": "2"}, setup=_two_messages),
    Case("POST", f"{_O}/messages/reorder", f"{ORG}/messages/reorder", ORGANIZERS,
         form={"order": "2 1"}, setup=_two_messages),
    Case("POST", f"{_O}/teams/add", f"{ORG}/teams/add", ORGANIZERS, form={"teams": "swift"}),
    Case("POST", f"{_O}/teams/delete", f"{ORG}/teams/delete", ORGANIZERS,
         form={"team": "manila"}),
    Case("POST", f"{_O}/teams/rename", f"{ORG}/teams/rename", ORGANIZERS,
         form={"team": "cinder", "name": "Cinder Volumes"}),
    Case("POST", f"{_O}/grid/room", f"{ORG}/grid/room", ORGANIZERS,
         form={"room": "Bexar", "bookable": "no"}),
    Case("POST", f"{_O}/grid/slot", f"{ORG}/grid/slot", ORGANIZERS,
         form={"slot": "Tue-P1", "room": "Cactus"}),
    Case("POST", f"{_O}/pages/{{page}}", f"{ORG}/pages/faq", ORGANIZERS,
         form={"text": "# FAQ"}),
    Case("POST", f"{_O}/pages/{{page}}/preview", f"{ORG}/pages/faq/preview", ORGANIZERS,
         form={"text": "# FAQ"}, changes="nothing"),
    Case("POST", f"{_O}/registrations/capacity", f"{ORG}/registrations/capacity", ORGANIZERS,
         form={"capacity": "100"}, changes="registration_settings"),
    Case("POST", f"{_O}/registrations/coc-changed", f"{ORG}/registrations/coc-changed",
         ORGANIZERS, changes="registration_settings"),
    Case("POST", "/events/{slug}/plan/run", f"{WEB}/plan/run", ORGANIZERS,
         form={"seconds": "1"}, setup=_needs_set, changes="plans"),
    Case("POST", "/events/{slug}/plan/{number}/publish", f"{WEB}/plan/1/publish",
         ORGANIZERS, setup=_draft),
    Case("POST", f"{_O}/mail/unpause", f"{ORG}/mail/unpause", ORGANIZERS,
         form={"address": "gone@example.org", "send_held": "yes"}, setup=_paused,
         changes="mail_suppressions"),
)  # fmt: skip
CASES += ORGANIZER_CASES

PERSONAL = frozenset(
    {
        "POST /signin",
        "POST /signin/link",
        "POST /signout",
        "POST /me/name",
        "POST /me/addresses",
        "POST /me/addresses/confirm",
        "POST /me/addresses/remove",
        "POST /me/tokens",
        "POST /me/tokens/{token_id:int}/revoke",
        "POST /me/sessions/{session_id:int}/end",
        "POST /me/sessions/signout-everywhere",
        # A person's own follows, settings and calendar feed (tests/web/test_my_pages.py:
        # anonymous 401, no or a wrong CSRF token 403, another site 403, nothing changed).
        "POST /events/{slug}/follow",
        "POST /events/{slug}/unfollow",
        "POST /events/{slug}/my/patterns",
        "POST /events/{slug}/my/patterns/remove",
        "POST /events/{slug}/my/zone",
        "POST /events/{slug}/my/channels",
        "POST /events/{slug}/my/calendar",
        "POST /events/{slug}/my/calendar/revoke",
        # Signed out, by a mailed link (tests/web/test_register_pages.py).
        "POST /events/{slug}/register/mail",
        "POST /events/{slug}/register/link",
    }
)

# The other event: the same file under another slug, so its organizer is a real one.
OTHER_EVENT = edited((f"slug: {SLUG}", f"slug: {OTHER}"), text=EVENT)
