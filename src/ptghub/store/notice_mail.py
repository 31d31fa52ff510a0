"""The words of a follow notice mail: what the followed teams went to, with their links.

One mail gathers the lines of a burst of changes (``store.follow_notices``); each line
says the team, now or next, the topic, and links to the team's page, its video and its
etherpad. Plain text only: nothing in it needs markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

KIND = "follow-notice"  # the outbox's kind of these mails


def _path(part: str) -> str:
    return quote(part, safe="")


def notice_mail(lines: Sequence[dict[str, Any]], site: str) -> tuple[str, str]:
    """The subject and text of the mail for ``lines`` (``follow_notices.notice_line``),
    with links under ``site`` (the site's address, no trailing slash)."""
    first = lines[0]
    event_name = str(first["event_name"])
    if len(lines) == 1:
        subject = f"{event_name}: #{first['team']} {first['when']} {first['topic']}"
    else:
        subject = f"{event_name}: {len(lines)} changes in what you follow"
    parts = [f"What you follow at {event_name} moved:", ""]
    for line in lines:
        when = "is now on" if line["when"] == "now" else "comes next to"
        parts.append(f"- {line['name']} (#{line['team']}) {when}: {line['topic']}")
        parts.append(
            f"  Team page: {site}/events/{_path(line['event'])}/teams/{_path(line['team'])}"
        )
        if line.get("video"):
            parts.append(f"  Video: {line['video']}")
        if line.get("etherpad"):
            parts.append(f"  Etherpad: {line['etherpad']}")
    parts += [
        "",
        "You get this mail because you follow these teams or topics with notices by email.",
        # My PTG, where follows and channels are changed (the account page at /me has
        # neither): one mail holds the lines of one event.
        "Change what you follow and how you are told on My PTG: "
        f"{site}/events/{_path(str(first['event']))}/my",
    ]
    return subject, "\n".join(parts) + "\n"
