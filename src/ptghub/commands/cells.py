"""Cell references as people type them: ``ROOM-SLOT`` such as ``Coiste Bainisti-Mon-P2``.

Room names may hold spaces and dashes and slot codes hold a dash, so the text is not
split on one dash: the longest known slot code that ends it, and names a room with
what is left, wins. ``MonP2`` is accepted for ``Mon-P2``, as the old bot's codes had no
dash.
"""

from __future__ import annotations

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import EventState, room_key, slot_key
from ptghub.core.validate import shorten


def parse_cell(state: EventState, text: str) -> tuple[str, str]:
    """Return the (room key, slot key) that ``text`` names, or raise saying what is wrong."""
    ref = " ".join(text.split())
    if not ref:
        raise InvalidInput("Missing cell: expected ROOM-SLOT, for example 'Austin-Mon-13h'.")
    # At each dash, the text after it may be a slot code (which may itself hold a dash),
    # written as the code or without its dash, and the text before it a room name.
    candidates: list[tuple[str, str]] = []
    position = len(ref)
    while (position := ref.rfind("-", 0, position)) > 0:
        typed = ref[position + 1 :].casefold()
        slot = state.slots.get(slot_key(typed))
        if slot is not None and typed in (slot.code.casefold(), slot.key):
            candidates.insert(0, (slot.key, ref[:position]))  # longest code first
    if not candidates:
        raise InvalidInput(
            f"'{shorten(ref)}' does not end with a known slot code: expected ROOM-SLOT, "
            "for example 'Austin-Mon-13h' (the board shows the code of every free cell)."
        )
    for key, room_part in candidates:
        if room_key(room_part) in state.rooms:
            return room_key(room_part), key
    room_part = candidates[0][1]
    raise NotFound(f"Unknown room '{shorten(room_part)}' in '{shorten(ref)}'.")


def cell_name(state: EventState, room: str, slot: str) -> str:
    return f"{state.rooms[room].name}-{state.slots[slot].code}"
