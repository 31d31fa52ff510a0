"""``ptghub role``: grant or revoke the organizer and chair roles, as the operator.

Each is the chat command ``~role grant|revoke NICK ROLE [TEAM]``, so it is audited and
undone like any other change. A person may be named instead of a nick, by the email
address they sign in with (or a display name with a space in it): the role then goes to
their web nick, and holds under every chat identity they link (``store.grantees``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from ptghub.cli.context import operator, reports_errors, state_of
from ptghub.cli.language import print_result
from ptghub.cli.options import EventOption

role_app = typer.Typer(help="Give or take organizer and chair roles.", no_args_is_help=True)

NickArg = Annotated[
    str,
    typer.Argument(
        help="The person's chat nick (alice), or their email address (alice@example.org)."
    ),
]
RoleArg = Annotated[str, typer.Argument(help="'organizer', or 'chair' followed by TEAM.")]
TeamArg = Annotated[str | None, typer.Argument(help="The team, for the chair role, e.g. nova.")]


def _role_command(action: str, doc: str) -> Callable[..., None]:
    """``ptghub role grant`` or ``revoke``: the chat command ``~role ACTION ...``."""

    @reports_errors
    def role_command(
        ctx: typer.Context,
        nick: NickArg,
        role: RoleArg,
        team: TeamArg = None,
        event: EventOption = None,
    ) -> None:
        from ptghub.store.grantees import role_nick

        store = state_of(ctx).store()
        who = role_nick(store, nick, bare_nicks=True)
        text = f"~role {action} {who} {role}" + (f" {team}" if team else "")
        print_result(store.run(text, operator(), event=event))

    role_command.__doc__ = doc
    return role_command


role_app.command("grant")(
    _role_command(
        "grant",
        "Make NICK (or the person with that email address) an organizer, or a chair of "
        "TEAM, in the event (default: the current one).",
    )
)
role_app.command("revoke")(
    _role_command("revoke", "Take a role back from NICK in the event (default: the current one).")
)
