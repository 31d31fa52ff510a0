"""The web's structured forms, written as the line of the command language they stand for.

A form of the board, a team page or a recap either gives ``text``, a command exactly as
one would send it to the bot in private, or a ``verb`` with its fields: ``team`` for a
team's commands, and the one field the verb takes (``topic``, ``url``, ``color``,
``cell``, ``location``; ``outcome`` takes two: the topic's ``number`` and the
``outcome``). ``command_text`` writes the same line a person would type, so the reply
and every refusal are the bot's own: the fields are only checked enough that none can
add a word to the command or a line to the text (the team is a slug, a number digits,
each value one printable line); whether a value is missing, too long or means anything is the
command's to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.core.errors import InvalidInput
from ptghub.core.validate import check_slug, check_text

MAX_TEXT = 2000  # a line of the command language: the longest argument (a URL) and more

# verb -> (the field holding its argument, what the field is called in a refusal);
# None: the verb takes no argument.
TEAM_VERBS: dict[str, tuple[str, str] | None] = {
    "now": ("topic", "topic"),
    "next": ("topic", "topic"),
    "clear": None,
    "clean": None,
    "location": ("location", "location"),
    "etherpad": ("url", "etherpad URL (or 'auto')"),
    "url": ("url", "video URL (or 'none')"),
    "color": ("color", "colour"),
    "book": ("cell", "cell (ROOM-SLOT)"),
    "unbook": ("cell", "cell (ROOM-SLOT)"),
    "outcome": ("outcome", "outcome"),  # and the topic's number, before it
}
OWN_VERBS = ("in", "out")
FIELDS = (
    "text",
    "verb",
    "team",
    "topic",
    "location",
    "url",
    "color",
    "cell",
    "number",
    "outcome",
)


@dataclass(frozen=True, slots=True)
class CommandForm:
    """What a form posted; absent fields are empty."""

    text: str = ""
    verb: str = ""
    team: str = ""
    topic: str = ""
    location: str = ""
    url: str = ""
    color: str = ""
    cell: str = ""
    number: str = ""
    outcome: str = ""


def command_text(form: CommandForm) -> str:
    """The command line ``form`` stands for, or InvalidInput saying what is missing or wrong."""
    if form.text.strip():
        if form.verb.strip():
            raise InvalidInput(
                "Give either a command ('text') or a 'verb' with its fields, not both."
            )
        return check_text(form.text, what="command", limit=MAX_TEXT)
    verb = form.verb.strip().lower()
    if not verb:
        raise InvalidInput(
            "Missing command: give 'text' (a command as you would send it to the bot, "
            "for example '#nova now Placement API') or a 'verb'."
        )
    if verb in OWN_VERBS:
        return _own(verb, form)
    if verb not in TEAM_VERBS:
        known = ", ".join([*TEAM_VERBS, *OWN_VERBS])
        raise InvalidInput(f"Unknown verb '{verb[:40]}'; the forms know: {known}.")
    if not form.team.strip():
        raise InvalidInput(f"Missing team: '{verb}' is a team's command (#TEAM {verb} ...).")
    team = check_slug(form.team.strip())
    argument = TEAM_VERBS[verb]
    if argument is None:
        return f"#{team} {verb}"
    field, what = argument
    if verb == "outcome":
        return f"#{team} outcome {_number(form.number)} {_one_line(form.outcome, what)}".rstrip()
    return f"#{team} {verb} {_one_line(getattr(form, field), what)}".rstrip()


def _number(value: str) -> str:
    """A topic's number as the form gives it: digits only, so that it stays one word."""
    number = value.strip()
    if not (number.isascii() and number.isdigit()):
        raise InvalidInput(
            "The topic's number must be a whole number, its number in the team's recap "
            f"(1, 2, ...); got '{number[:20]}'."
        )
    return number


def _one_line(value: str, what: str) -> str:
    """``value`` stripped, refused only when it would not stay one line of printable text:
    whether it is missing or too long, the command says, in its own words."""
    text = value.strip()
    if text:
        check_text(text, what=what, limit=MAX_TEXT)
    return text


def _own(verb: str, form: CommandForm) -> str:
    """``in #TEAM`` (the form's team), ``in LOCATION``, or ``out``."""
    if verb == "out":
        return "out"
    if form.team.strip():
        return f"in #{check_slug(form.team.strip())}"
    return f"in {_one_line(form.location, 'place to check in to')}".rstrip()
