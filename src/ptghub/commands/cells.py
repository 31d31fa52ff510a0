"""Cell references as people type them: ``ROOM-SLOT`` such as ``Coiste Bainisti-Mon-P2``.

Room names may hold spaces and dashes and slot codes hold a dash, so the text is not
split on a dash: the longest known slot code that ends it wins, and the rest must name
a room. ``MonP2`` is accepted for ``Mon-P2``, as the old bot's codes had no dash.
"""

from __future__ import annotations

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import EventState, room_key
from ptghub.core.validate import shorten


def parse_cell(state: EventState, text: str) -> tuple[str, str]:
    """Return the (room key, slot key) that ``text`` names, or raise saying what is wrong."""
    ref = " ".join(text.split())
    if not ref:
        raise InvalidInput("Missing cell: expected ROOM-SLOT, for example 'Austin-Mon-13h'.")
    folded = ref.casefold()
    candidates: list[tuple[int, str, str]] = []
    for key, slot in state.slots.items():
        for form in {slot.code.casefold(), key}:
            if folded.endswith("-" + form):
                candidates.append((len(form), key, ref[: -len(form) - 1]))
    if not candidates:
        raise InvalidInput(
            f"'{shorten(ref)}' does not end with a known slot code: expected ROOM-SLOT, "
            "for example 'Austin-Mon-13h' (the board shows the code of every free cell)."
        )
    for _, found, room_part in sorted(candidates, reverse=True):
        if room_key(room_part) in state.rooms:
            return room_key(room_part), found
    room_part = max(candidates)[2]
    raise NotFound(f"Unknown room '{shorten(room_part)}' in '{shorten(ref)}'.")


def cell_name(state: EventState, room: str, slot: str) -> str:
    return f"{state.rooms[room].name}-{state.slots[slot].code}"
