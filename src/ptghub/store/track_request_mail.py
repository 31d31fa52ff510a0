"""The mails a track request's requester gets at each step (docs/mail.md, kinds
``track-request-*``): plain text, in the words of the page that shows the request."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

RECEIVED = "track-request-received"
CHANGES = "track-request-changes"
APPROVED = "track-request-approved"
DECLINED = "track-request-declined"


@dataclass(frozen=True, slots=True)
class Mail:
    kind: str
    subject: str
    text: str


def _requests_url(site: str, slug: str) -> str:
    return f"{site}/events/{quote(slug, safe='')}/tracks/requests"


def received(site: str, slug: str, event: str, team: str, number: int, again: bool) -> Mail:
    what = "your changes to your track request" if again else "your track request"
    return Mail(
        RECEIVED,
        f"Track request #{number} received: {team} at {event}",
        f"The organizers of {event} have received {what} for the team {team} (request "
        f"#{number}).\n\nThey will approve it, ask for changes or decline it; you will get "
        f"a mail at each step. You can see its state, and withdraw it, here:\n\n"
        f"{_requests_url(site, slug)}\n",
    )


def changes_asked(site: str, slug: str, event: str, team: str, number: int, message: str) -> Mail:
    return Mail(
        CHANGES,
        f"Track request #{number}: changes asked for {team} at {event}",
        f"The organizers of {event} ask for changes to your track request #{number} for the "
        f"team {team}:\n\n{message}\n\nEdit and send it again here:\n\n"
        f"{_requests_url(site, slug)}/{number}\n",
    )


def approved(site: str, slug: str, event: str, team: str, number: int, team_slug: str) -> Mail:
    page = f"{site}/events/{quote(slug, safe='')}/teams/{quote(team_slug, safe='')}"
    return Mail(
        APPROVED,
        f"Track request #{number} approved: {team} at {event}",
        f"Your track request #{number} is approved: {team} is now a team of {event}, and you "
        f"are its chair. The planner has its needs as you asked.\n\nIts page, where you can "
        f"book rooms and set what it discusses:\n\n{page}\n",
    )


def declined(site: str, slug: str, event: str, team: str, number: int, reason: str) -> Mail:
    return Mail(
        DECLINED,
        f"Track request #{number} declined: {team} at {event}",
        f"The organizers of {event} declined your track request #{number} for the team "
        f"{team}. Their reason:\n\n{reason}\n\nYour requests: {_requests_url(site, slug)}\n",
    )
