"""Text to command: the surface grammar of the old PTG bot, shared by every front end.

::

    #TEAM VERB [ARGS]     track command        #nova now Placement API
    #VERB / +VERB [ARGS]  user command         #in #nova, +seen alice (VERB: in, out, ...)
    ~VERB [ARGS]          admin command        ~motd add info Welcome!
    VERB [ARGS]           user command or help, in private (bare words in a channel are chat)

Commands are matched case-insensitively; arguments keep their case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ptghub.core.errors import InvalidInput
from ptghub.core.validate import check_text
from ptghub.core.verbs import USER_VERBS

MAX_COMMAND = 2000


class Scope(StrEnum):
    TRACK = "track"
    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command. ``args`` is the text after the verb, spaces inside kept."""

    scope: Scope
    verb: str
    args: str
    raw: str
    team: str | None = None  # as typed, for track commands

    @property
    def words(self) -> list[str]:
        return self.args.split()


def parse(text: str, *, private: bool = True) -> Command | None:
    """Parse one line; None for channel chatter that is not addressed to the bot.

    Raises InvalidInput for text that is meant as a command but cannot be one.
    """
    raw = text.strip()
    if not raw:
        if private:
            raise InvalidInput("Empty command. Send 'help' for the list of commands.")
        return None
    if len(raw) > MAX_COMMAND:
        raise InvalidInput(
            f"The command is {len(raw)} characters long; at most {MAX_COMMAND} are allowed."
        )
    check_text(raw, what="command", limit=MAX_COMMAND)
    head, _, rest = raw.partition(" ")
    rest = rest.strip()
    prefix, word = head[0], head[1:]
    if prefix == "~":
        return Command(Scope.ADMIN, _verb(word, raw), rest, raw)
    if prefix == "+":
        return Command(Scope.USER, _verb(word, raw), rest, raw)
    if prefix == "#":
        if word.lower() in USER_VERBS:
            return Command(Scope.USER, word.lower(), rest, raw)
        if not word:
            raise InvalidInput("Missing team name after '#': expected '#TEAM COMMAND ...'.")
        verb, _, args = rest.partition(" ")
        if not verb:
            raise InvalidInput(
                f"Missing command after '#{word}': expected '#{word} now|next|clean|"
                "etherpad|url|color|location|book|unbook|outcome|recording ...'."
            )
        return Command(Scope.TRACK, verb.lower(), args.strip(), raw, team=word)
    if not private:
        return None
    return Command(Scope.USER, head.lower(), rest, raw)


def _verb(word: str, raw: str) -> str:
    if not word:
        raise InvalidInput(f"Missing command name in '{raw[:40]}'.")
    return word.lower()
