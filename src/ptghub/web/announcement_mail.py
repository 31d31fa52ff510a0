"""An announcement as mail and as a page: Markdown rendered by markdown-it-py, then
sanitized by nh3 (the Ammonia sanitizer), whatever the Markdown holds.

The organizers' Markdown may hold raw HTML; what reaches a mail's HTML part or the
event's archive is only what survives ``nh3.clean``: no script, no event handler
attribute, no ``style``, links only to http(s) and mailto (marked ``noopener
noreferrer``). The text part is the Markdown itself, which reads well as text.

The unsubscribe link of a mail is built on ``PTGHUB_PUBLIC_URL`` (else the request's
address), as the sign-in mails' links are (``web.signin_pages.site_url``).
"""

from __future__ import annotations

import nh3
from fastapi import Request
from markdown_it import MarkdownIt
from markupsafe import Markup

from ptghub.store.announcements import Announcement, LinkOf, Parts
from ptghub.web.signin_pages import site_url
from ptghub.web.templating import path_part

_MD = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    "table"
)
_SCHEMES = {"http", "https", "mailto"}


def render(markdown: str) -> Markup:
    """The sanitized HTML of ``markdown``: safe to put in a page or a mail as it is."""
    return Markup(
        nh3.clean(_MD.render(markdown), url_schemes=_SCHEMES, link_rel="noopener noreferrer")
    )


def parts(announcement: Announcement) -> Parts:
    return Parts(
        announcement.subject, announcement.body_markdown, str(render(announcement.body_markdown))
    )


def unsubscribe_path(slug: str, token: str) -> str:
    return f"/events/{path_part(slug)}/unsubscribe/{token}"


def unsubscribe_links(request: Request, slug: str) -> LinkOf:
    """The absolute unsubscribe link of a token, on the site's public address."""
    base = site_url(request)
    return lambda token: base + unsubscribe_path(slug, token)
