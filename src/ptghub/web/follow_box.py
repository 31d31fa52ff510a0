"""The "Follow" part of the board and of a team page, outside their live regions (which
are the same for every viewer).

Signed in: a form per action (follow a team, unfollow one), each a plain POST with the
page's CSRF token that comes back to the page (``web.follow_forms``); ``static/follow.js``
sends the same forms with ``fetch`` and redraws this part. Signed out: the button is a
link to the sign-in page that comes back here.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ptghub.core.model import EventState
from ptghub.store.store import Store
from ptghub.web.chair_panel import back_of, sign_in_href
from ptghub.web.session import csrf_token, signed_in
from ptghub.web.templating import path_part


@dataclass(frozen=True, slots=True)
class FollowBox:
    event_path: str
    csrf: str  # "" when nobody is signed in
    back: str  # the page the forms come back to
    sign_in: str | None  # where to sign in, when nobody is
    followed: tuple[tuple[str, str], ...]  # (slug, name) of the followed teams, by name
    others: tuple[tuple[str, str], ...]  # (slug, name) of the teams not followed
    team: tuple[str, str] | None  # the team a team page is about
    following: bool  # whether the person follows that team

    @property
    def my_href(self) -> str:
        return f"{self.event_path}/my"


def follow_box(request: Request, state: EventState, team: str | None = None) -> FollowBox:
    """The follow part of a page of ``state``'s event (``team``: the key of a team page's
    team)."""
    assert state.info is not None
    event_path = f"/events/{path_part(state.info.slug)}"
    back = back_of(request)
    here = (state.teams[team].slug, state.teams[team].name) if team else None
    teams = sorted(state.teams.values(), key=lambda t: t.name.casefold())
    signed = signed_in(request)
    if signed is None:
        return FollowBox(event_path, "", back, sign_in_href(back), (), (), here, False)
    store: Store = request.app.state.store
    keys = set(store.attendees.follows.of(signed.account.person_id, state.info.slug).teams)
    return FollowBox(
        event_path,
        csrf_token(request),
        back,
        None,
        tuple((t.slug, t.name) for t in teams if t.key in keys),
        tuple((t.slug, t.name) for t in teams if t.key not in keys),
        here,
        team in keys,
    )
