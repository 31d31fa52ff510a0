"""What an edited event file changes, in words: the differences ``event update`` shows.

Pure: two states (the event as it is, and as its file now defines it) to a list of
``Difference``s, each of one kind (``KINDS``, the order they are shown in). Which
domain events carry them out is ``event_update``'s business.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from ptghub.core.model import PAGE_NAMES, EventInfo, EventState, Role, RoleKind, Social

# The kinds of difference, in the order they are listed.
KINDS = (
    "event",
    "pages",
    "links",
    "socials",
    "rooms",
    "slots",
    "teams",
    "chairs",
    "organizers",
    "schedule",
)

_INFO_FIELDS = (
    "name",
    "start",
    "end",
    "timezone",
    "format",
    "contact",
    "etherpad_template",
    "show_checkin_nicks",
)


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference: ``kind`` is one of ``KINDS``; ``text`` says it, e.g.
    ``added Diablo (capacity 40)`` or ``changed nova: name 'Nova' -> 'Nova Compute'``."""

    kind: str
    text: str


def show(value: Any) -> str:
    """A value as the differences print it."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:59] + "…"
        return repr(text)
    return str(value)


def field_changes(old: Any, new: Any, skip: Iterable[str] = ()) -> str:
    """``name 'A' -> 'B', capacity 30 -> 40``: the fields of two dataclasses that differ."""
    parts = [
        f"{f.name.replace('_', ' ')} {show(getattr(old, f.name))} -> {show(getattr(new, f.name))}"
        for f in dataclasses.fields(old)
        if f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    ]
    return ", ".join(parts)


def info_differences(old: EventInfo, new: EventInfo) -> list[Difference]:
    """The event's own fields, its pages, links and socials."""
    found = [
        Difference(
            "event",
            f"{name.replace('_', ' ')}: {show(getattr(old, name))} -> {show(getattr(new, name))}",
        )
        for name in _INFO_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    found += _mapping("pages", dict(old.pages), dict(new.pages), PAGE_NAMES, characters=True)
    found += _mapping("links", dict(old.links), dict(new.links), ())
    return found + _socials(old.socials, new.socials)


def _mapping(
    kind: str,
    old: dict[str, str],
    new: dict[str, str],
    order: Iterable[str],
    *,
    characters: bool = False,
) -> list[Difference]:
    names = list(dict.fromkeys([*order, *old, *new]))
    found: list[Difference] = []
    for name in names:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        size = f" ({len(after or '')} characters)" if characters else f" {show(after)}"
        if before is None:
            found.append(Difference(kind, f"added {name}{size}"))
        elif after is None:
            found.append(Difference(kind, f"removed {name}"))
        else:
            was = f" (was {len(before)} characters)" if characters else f" (was {show(before)})"
            found.append(Difference(kind, f"changed {name}{size}{was}"))
    return found


def _social(social: Social) -> str:
    return f"{social.title!r} {show(social.starts)} - {show(social.ends)}"


def _socials(old: tuple[Social, ...], new: tuple[Social, ...]) -> list[Difference]:
    # Entries found unchanged in both are no difference; of the rest, one of each side
    # with the same title is a change, the others are added or removed.
    left = list((Counter(old) - Counter(new)).elements())
    right = list((Counter(new) - Counter(old)).elements())
    found: list[Difference] = []
    for after in list(right):
        before = next((s for s in left if s.title == after.title), None)
        if before is not None:
            left.remove(before)
            right.remove(after)
            found.append(
                Difference("socials", f"changed {after.title!r}: {field_changes(before, after)}")
            )
    found += [Difference("socials", f"added {_social(s)}") for s in right]
    found += [Difference("socials", f"removed {_social(s)}") for s in left]
    return found


def revoked_roles(state: EventState, target: EventState) -> frozenset[Role]:
    """The roles an update takes away: only the chairs of the teams it removes. A chair or
    organizer the file does not name may have been granted in the chat during the event
    (``~role grant``); an update of the file keeps them, and says so."""
    return frozenset(
        role
        for role in state.roles - target.roles
        if role.kind is RoleKind.CHAIR and role.team not in target.teams
    )


def role_differences(state: EventState, target: EventState) -> list[Difference]:
    """Chairs and organizers the file adds, those it takes away with their team, and
    those it no longer names, which stay."""

    def who(role_team: str | None, states: tuple[EventState, ...]) -> str:
        for s in states:
            if role_team in s.teams:
                return s.teams[role_team].slug
        return str(role_team)

    revoked = revoked_roles(state, target)
    kept = state.roles - target.roles - revoked
    found: list[Difference] = []
    for sign, roles, other in (
        ("added", target.roles - state.roles, target),
        ("removed", revoked, state),
        ("kept", kept, state),
    ):
        for role in sorted(roles):
            if role.kind is RoleKind.ORGANIZER:
                text = f"{sign} {role.nick}"
                revoke = f"~role revoke {role.nick} organizer"
            else:
                team = who(role.team, (other, state, target))
                text = f"{sign} {role.nick} as chair of {team}"
                revoke = f"~role revoke {role.nick} chair {team}"
            if sign == "kept":
                text += f" (not in the file; '{revoke}' takes it away)"
            kind = "organizers" if role.kind is RoleKind.ORGANIZER else "chairs"
            found.append(Difference(kind, text))
    return found


def grouped(differences: Iterable[Difference]) -> list[tuple[str, list[str]]]:
    """The differences by kind, in the order of ``KINDS``: what a front end lists."""
    groups: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for difference in differences:
        groups[difference.kind].append(difference.text)
    return [(kind, texts) for kind, texts in groups.items() if texts]
