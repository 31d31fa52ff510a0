"""``ptghub token``: per-person secrets for the API and the bots.

A token is printed once and stored hashed. It may carry a label (where it is kept), an
expiry and an event scope; ``token list`` shows those, with when each was last used (to
the minute), so that forgotten tokens can be found and revoked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import out, reports_errors, state_of
from ptghub.store.tokens import TokenInfo

token_app = typer.Typer(help="Per-person secrets for the API and the bots.", no_args_is_help=True)


def _at(moment: datetime | None, none: str) -> str:
    return none if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


def describe(info: TokenInfo, now: datetime) -> str:
    """One line of ``token list``: ``#3  bob  "laptop"  event ptg-2022-04  created ...``."""
    label = f'"{info.label}"' if info.label else "(no label)"
    scope = f"event {info.event}" if info.event else "every event"
    return (
        f"#{info.id}  {info.nick}  {label}  {scope}  created {_at(info.created_at, '')}  "
        f"last used {_at(info.last_used_at, 'never')}  "
        f"expires {_at(info.expires_at, 'never')}  {info.status(now)}"
    )


@token_app.command("create")
@reports_errors
def token_create(
    ctx: typer.Context,
    for_: Annotated[str, typer.Option("--for", help="The person's nick.")],
    label: Annotated[
        str | None, typer.Option("--label", help="Where the token is kept, e.g. 'laptop'.")
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option(
            "--expires",
            help="When it stops working: 12h, 30d, 8w, a date (2026-05-01, its start in UTC) "
            "or a time (2026-05-01T18:00, UTC unless an offset is given). Default: never.",
        ),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option("--event", "-e", help="The only event it acts on. Default: every event."),
    ] = None,
) -> None:
    """Create a token for a person; it is printed once and stored hashed."""
    tokens = state_of(ctx).store().tokens
    token_id, secret = tokens.create(for_, label=label, expires=expires, event=event)
    out.print(Text(f"Token #{token_id} for {for_} (shown only now):"))
    out.print(Text(secret))


@token_app.command("revoke")
@reports_errors
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="The token's number in 'ptghub token list'.")],
) -> None:
    """Revoke a token by its number (see 'ptghub token list')."""
    info = state_of(ctx).store().tokens.revoke(token_id)
    out.print(Text(f"OK, token #{info.id} of {info.nick} is revoked."))


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    nick: Annotated[str | None, typer.Option("--for", help="Only this person's tokens.")] = None,
) -> None:
    """List tokens (never their secrets): label, scope, creation, last use (to the
    minute), expiry and state, times in UTC."""
    store = state_of(ctx).store()
    now = store.clock()
    for info in store.tokens.list(nick):
        out.print(Text(describe(info, now)))
