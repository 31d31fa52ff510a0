"""``ptghub recap TEAM``: a team's recap, to paste into its mailing-list summary.

Markdown (the default) is plain text wrapped at 72 columns with the links listed at the
end; ``--format html`` prints the page's HTML as a document of its own, ``--format json``
the same content as data (times in UTC). Times are shown in the event's zone unless
``--tz``. The recap is as of ``--at`` (else now, by the store's clock), and never after
the end of the event.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from ptghub.cli.context import reports_errors, state_of
from ptghub.cli.options import EventOption
from ptghub.core.errors import InvalidInput


class RecapFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


@reports_errors
def recap(
    ctx: typer.Context,
    team: Annotated[str, typer.Argument(help="The team, by its slug (nova or #nova).")],
    event: EventOption = None,
    format: Annotated[
        RecapFormat,
        typer.Option(
            "--format",
            "-f",
            help="markdown: text to mail (72 columns, links listed at the end); html: a "
            "page of its own; json: the same content as data, times in UTC.",
        ),
    ] = RecapFormat.MARKDOWN,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="MOMENT",
            help="The recap as of MOMENT (ISO 8601, e.g. 2022-04-05T15:00, in the zone "
            "shown unless it has an offset); default now. Never later than the end of "
            "the event: changes made afterwards do not count.",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Show times in this IANA time zone (e.g. UTC, America/Chicago); default "
            "the event's zone.",
        ),
    ] = None,
) -> None:
    """Print a team's recap: its sessions, topics with their outcomes, links, and what
    was planned but not used."""
    from ptghub.history.recap import parse_at, recap_until, team_recap
    from ptghub.history.recap_text import recap_json, recap_markdown
    from ptghub.store.history import event_history

    store = state_of(ctx).store()
    state = store.state(event)
    assert state.info is not None
    zone = _zone(tz or state.info.timezone)
    moment = parse_at(at, zone) if at is not None else None
    timeline = event_history(store, state.info.slug, recap_until(state, store.clock(), moment))
    found = team_recap(timeline, state, team)
    if format is RecapFormat.JSON:
        typer.echo(json.dumps(recap_json(found), indent=2, ensure_ascii=False))
    elif format is RecapFormat.HTML:
        from ptghub.web.recap_pages import recap_html

        typer.echo(recap_html(found, zone.key), nl=False)
    else:
        typer.echo(recap_markdown(found, zone), nl=False)


def _zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; InvalidInput saying what is expected when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"Unknown time zone '{name[:60]}'; use an IANA name such as UTC, Europe/Paris "
            "or America/Los_Angeles."
        ) from None
