"""What an event's own pages show of registrations, for the person looking.

- ``coc_notice``: a registrant whose accepted code of conduct is older than the current
  version sees, on every page of the event, a notice with a link to accept the new one
  (``/events/{slug}/register/code-of-conduct``); ``web.pages._page_context`` puts it in
  the context every event page shares, and ``base.html`` shows it.
- ``team_numbers``: a team's chairs (and the organizers) see on the team page how many
  registrants chose the team and how many of them want onboarding: numbers, never names
  or addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ptghub.core.errors import NotFound
from ptghub.core.model import EventState
from ptghub.core.permissions import is_chair, is_organizer
from ptghub.store.store import Store
from ptghub.web.session import signed_in
from ptghub.web.templating import path_part


@dataclass(frozen=True, slots=True)
class TeamNumbers:
    chose: int  # registrants (registered or waiting) who chose the team
    onboarding: int  # of them, those who want onboarding


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def coc_notice(request: Request, slug: str) -> str | None:
    """Where the person signed in accepts the changed code of conduct, when they must."""
    found = signed_in(request)
    if found is None:
        return None
    regs = _store(request).attendees.registrations
    try:
        event_id = regs.event_id(slug)
    except NotFound:
        return None
    if not regs.coc_outdated(event_id, found.account.person_id):
        return None
    return f"/events/{path_part(slug)}/register/code-of-conduct"


def team_numbers(request: Request, state: EventState, team: str) -> TeamNumbers | None:
    """The team's registrant numbers when the person looking chairs it or organizes."""
    found = signed_in(request)
    if found is None or state.info is None:
        return None
    store = _store(request)
    allowed = store.preview(
        lambda now, actor: is_chair(now, actor, team) or is_organizer(now, actor),
        found.actor(),
        event=state.info.slug,
    )
    if not allowed:
        return None
    regs = store.attendees.registrations
    chose, onboarding = regs.team_numbers(regs.event_id(state.info.slug), team)
    return TeamNumbers(chose, onboarding)
