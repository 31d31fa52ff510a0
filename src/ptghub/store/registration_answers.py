"""What a person answers when registering for an event, checked before anything is stored.

Pure: the store (``store.registrations``) and the web form (``web.register_pages``) share
the checks and their wording, so a refusal says the same wherever it comes from.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import available_timezones

from ptghub.core.errors import InvalidInput
from ptghub.core.model import team_key
from ptghub.core.validate import shorten

# The roles a registrant says they come as (stored in ``registrations.role``).
ROLES: dict[str, str] = {
    "developer": "Developer",
    "operator": "Operator",
    "end-user": "End user",
    "team-leader": "Team leader or liaison",
    "other": "Other",
}
REGISTERED = "registered"
WAITING = "waiting"
CANCELLED = "cancelled"
MAX_TEAMS = 100


@dataclass(frozen=True, slots=True)
class Answers:
    """A registration's answers: ``teams`` are team keys of the event, sorted."""

    role: str
    teams: tuple[str, ...]
    onboarding: bool
    time_zone: str
    first_time: bool

    def query(self) -> list[tuple[str, str]]:
        """The answers as form fields (``check_answers`` reads them back)."""
        fields = [("role", self.role), ("time_zone", self.time_zone)]
        fields += [("teams", key) for key in self.teams]
        fields += [("onboarding", "yes")] if self.onboarding else []
        fields += [("first_time", "yes")] if self.first_time else []
        return fields


@functools.cache
def zone_names() -> frozenset[str]:
    """The IANA time zones a registrant may give (the system's database, without the
    files that name no zone of the world)."""
    return frozenset(available_timezones()) - {"localtime", "posixrules", "Factory"}


def check_zone(name: str) -> str:
    """``name`` when it is an IANA time zone; InvalidInput saying what is expected."""
    name = name.strip()
    if name not in zone_names():
        raise InvalidInput(
            f"'{shorten(name, 64)}' is not a time zone; give an IANA name such as "
            "Europe/Paris, America/Chicago or Asia/Kolkata (or UTC)."
        )
    return name


def check_answers(
    *,
    role: str,
    teams: Iterable[str],
    onboarding: bool,
    time_zone: str,
    first_time: bool,
    event_teams: Mapping[str, str],
) -> Answers:
    """The answers, checked: ``event_teams`` maps the event's team keys to their names.
    InvalidInput names the first wrong answer and what is expected."""
    if role not in ROLES:
        raise InvalidInput(
            f"'{shorten(role, 40)}' is not a role; choose one of: {', '.join(ROLES.values())}."
        )
    keys: set[str] = set()
    for team in teams:
        key = team_key(team)
        if key not in event_teams:
            raise InvalidInput(
                f"There is no team '{shorten(team, 40)}' at this event; choose teams from the list."
            )
        keys.add(key)
    if len(keys) > MAX_TEAMS:
        raise InvalidInput(f"Choose at most {MAX_TEAMS} teams.")
    return Answers(role, tuple(sorted(keys)), onboarding, check_zone(time_zone), first_time)


def check_acceptance(accepted: bool, version: str | int | None, current: int) -> int:
    """The version of the code of conduct accepted on a form; InvalidInput when the box
    was not ticked, or when the form showed a version that is no longer the current one."""
    if not accepted:
        raise InvalidInput(
            "You must accept the code of conduct to register: read it and tick the box "
            "saying you accept it. Nothing was stored."
        )
    try:
        shown = int(str(version))
    except ValueError:
        shown = None
    if shown != current:
        raise InvalidInput(
            f"The code of conduct changed while you filled the form (it is now version "
            f"{current}): read it again and accept the new version. Nothing was stored."
        )
    return current
