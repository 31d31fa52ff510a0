"""What the Matrix bot missed: the gap a "limited" sync leaves, fetched with /messages.

A sync returns at most the filter's number of timeline events per room (100 here). When
more happened since the previous sync (the bot was cut off: a proxy down, the network
gone), the homeserver marks the timeline ``limited`` and gives ``prev_batch``, the
position just before the events it did return. The events between the previous sync's
position (``since``) and ``prev_batch`` are then read backwards with /messages, page by
page (``from=prev_batch``, ``to=since``), and handled oldest first, before the timeline.

The gap is read up to ``MAX_GAP`` events. Past that bound (hours of a busy room) the
oldest part stays unread; the bot then says in its room that commands said before the
oldest message it read were not applied, so that nobody takes silence for success.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nio import AsyncClient, Event, MessageDirection, RoomMessagesResponse

MAX_GAP = 2000  # events read back per room after one cut; past it, the room is told
PAGE = 100  # events per /messages request


class GapError(Exception):
    """The homeserver refused to page back (the caller retries the whole sync)."""


@dataclass(frozen=True, slots=True)
class Gap:
    """The events of one room's gap, oldest first; ``complete`` unless past ``MAX_GAP``."""

    events: list[Event]
    complete: bool

    @property
    def unread_before(self) -> str:
        """When the oldest event read was sent (UTC, ``HH:MM``): older ones were not read."""
        if not self.events:
            return "now"
        stamp = getattr(self.events[0], "server_timestamp", 0) / 1000
        return datetime.fromtimestamp(stamp, UTC).strftime("%H:%M UTC")


async def fetch_gap(
    client: AsyncClient,
    call: Callable[[Awaitable[Any]], Awaitable[Any]],
    room_id: str,
    prev_batch: str,
    since: str,
    *,
    limit: int = MAX_GAP,
) -> Gap:
    """The events of ``room_id`` after ``since`` and before ``prev_batch``, oldest first.

    ``call`` wraps each request (the bot's retry rules); a refusal raises ``GapError``.
    """
    newest_first: list[Event] = []
    token = prev_batch
    while len(newest_first) < limit:
        answer = await call(
            client.room_messages(
                room_id,
                start=token,
                end=since,
                direction=MessageDirection.back,
                limit=min(PAGE, limit - len(newest_first)),
            )
        )
        if not isinstance(answer, RoomMessagesResponse):
            raise GapError(f"reading what was missed in {room_id} failed: {answer.message}")
        newest_first.extend(answer.chunk)
        if not answer.chunk or not answer.end or answer.end == token:
            return Gap(newest_first[::-1], complete=True)
        token = answer.end
    # At the bound: one more look says whether anything older was left unread.
    answer = await call(
        client.room_messages(
            room_id, start=token, end=since, direction=MessageDirection.back, limit=1
        )
    )
    more = not isinstance(answer, RoomMessagesResponse) or bool(answer.chunk)
    return Gap(newest_first[::-1], complete=not more)


def missed_notice(gap: Gap) -> str:
    """What the bot says in its room when a gap was too long to read in full."""
    return (
        f"I was cut off from the homeserver and could not read everything said meanwhile: "
        f"commands sent before {gap.unread_before} were not applied. Please send them again."
    )
