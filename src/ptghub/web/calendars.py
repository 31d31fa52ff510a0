"""Calendar feed links for the pages: the whole event's, a team's and a room's.

A calendar app subscribes to a feed by its full address, and ``webcal:`` links (which
open the calendar app) need one too. Absolute addresses come only from the configured
public URL (``PTGHUB_PUBLIC_URL``), never from the request's Host header, which any client
can forge. Without a public URL a page shows the feed's path as a link and says to copy
its address, which the browser completes.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ptghub.settings import Settings
from ptghub.web.templating import path_part


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: what it holds, the link to it, and its ``webcal:`` link when known."""

    title: str
    href: str  # absolute (https://...) with a public URL, else the path
    webcal: str | None


def public_url(request: Request) -> str | None:
    settings: Settings = request.app.state.settings
    return settings.public_url


def feed(base: str | None, title: str, path: str) -> Feed:
    """The feed at ``path`` (already quoted), absolute when ``base`` is the public URL."""
    if base is None:
        return Feed(title, path, None)
    return Feed(title, base + path, "webcal://" + base.split("://", 1)[1] + path)


def event_feed(request: Request, slug: str) -> Feed:
    path = f"/events/{path_part(slug)}/calendar.ics"
    return feed(public_url(request), "Every session and social", path)


def team_feed(request: Request, slug: str, team_slug: str, name: str) -> Feed:
    path = f"/events/{path_part(slug)}/teams/{path_part(team_slug)}.ics"
    return feed(public_url(request), f"Sessions of {name}", path)


def room_feed(request: Request, slug: str, room: str) -> Feed:
    path = f"/events/{path_part(slug)}/rooms/{path_part(room)}.ics"
    return feed(public_url(request), f"Sessions in {room}", path)
