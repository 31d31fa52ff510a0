"""``help`` and ``help COMMAND``, generated from the registry."""

from __future__ import annotations

from ptghub.commands.grammar import Command, Scope
from ptghub.commands.registry import REGISTRY, Context, Outcome, Permission, Spec, command
from ptghub.core.errors import InvalidInput
from ptghub.core.validate import shorten

_SCOPE_TITLES = {
    Scope.TRACK: "Team commands (#TEAM ...)",
    Scope.USER: "Your commands (bare in private, +VERB in a channel)",
    Scope.ADMIN: "Organizer commands (~VERB)",
}


def find_spec(name: str) -> Spec | None:
    """The spec for 'now', '#now', '#TEAM now', '~motd', '+in' or 'in'."""
    words = name.split()
    word = words[-1].lower() if words else ""
    if word.startswith("~"):
        return REGISTRY.get((Scope.ADMIN, word[1:]))
    bare = word.lstrip("#+")
    return (
        REGISTRY.get((Scope.USER, bare))
        or REGISTRY.get((Scope.TRACK, bare))
        or REGISTRY.get((Scope.ADMIN, bare))
    )


def describe(spec: Spec) -> str:
    who = "" if spec.permission is Permission.ANYONE else f" [{spec.permission.value}]"
    return f"{spec.usage} - {spec.help}{who}"


def overview() -> str:
    lines = []
    for scope, title in _SCOPE_TITLES.items():
        names = sorted(s.verb for s in REGISTRY.values() if s.scope is scope)
        prefix = "~" if scope is Scope.ADMIN else ""
        lines.append(f"{title}: " + ", ".join(prefix + n for n in names))
    lines.append("Send 'help COMMAND' for one command, for example 'help book'.")
    return "\n".join(lines)


@command(
    Scope.USER,
    "help",
    usage="help [COMMAND]",
    help="List the commands, or explain one of them.",
    permission=Permission.ANYONE,
)
def help_(ctx: Context, cmd: Command) -> Outcome:
    if not cmd.args:
        return Outcome(overview())
    spec = find_spec(cmd.args)
    if spec is None:
        raise InvalidInput(f"Unknown command '{shorten(cmd.args)}'. Send 'help' for the list.")
    return Outcome(describe(spec))
