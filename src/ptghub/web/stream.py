"""Server-Sent Events: ``GET /events/{slug}/stream`` keeps an open page up to date.

Each change of the event arrives as one SSE message::

    id: <newest audit id>
    event: change
    data: {"id": <same>, "version": <event version>, "fragments": {"KEY": "<html>", ...}}

where each fragment is the whole current HTML of the page region ``<div data-live="KEY">``
(``static/live.js`` swaps it in). A message normally holds only the regions that changed
since the previous one (a change of one team's topic is a few kilobytes, not the whole
board); after a gap it holds every region, so one message brings a page up to date
whatever it missed. A gap is: a client that fell behind (its queue overflowed), or one
that connects with ``Last-Event-ID`` (the header EventSource resends when it reconnects,
or ``?lastEventId=`` in the address) older than the newest change, or with ``?version=``
(the event version its page was rendered from, which ``live.js`` adds from
``<body data-version>``) older than the event's: it gets one catch-up message at once.
With neither, nothing is sent until the next change.

A comment line (``: ping``) goes out to every idle stream every ``heartbeat`` seconds (one
timer for all of them), so that proxies keep the connection open and a dead client is
noticed; ``retry:`` tells the browser how soon to reconnect.

``?tz=ZONE`` (the zone the page is shown in, which ``live.js`` adds when it is not the
event's) makes the messages also carry the grids of that zone's days (``zones``) while
the stream is open; an unknown zone is a 400.

``lifespan`` starts the watcher (``ptghub.live``) with the app and stops it at shutdown;
the watcher follows the viewed events through the process's one audit-log follower
(``live.follower``), which a bot running in the same process shares.
Timings come from ``app.state.live_config`` (a ``LiveConfig``) when it is set before the
app starts, else from the defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState
from ptghub.live.bus import DEFAULT_QUEUE_LIMIT, Bus, Message
from ptghub.live.follower import Follower
from ptghub.live.watcher import DEFAULT_INTERVAL, Watcher
from ptghub.web.api_models import ErrorOut
from ptghub.web.fragments import render_fragments
from ptghub.web.templating import zone
from ptghub.web.zones import ViewedZones

router = APIRouter()

PING = b": ping\n\n"


@dataclass(frozen=True, slots=True)
class LiveConfig:
    """``heartbeat``: seconds between pings; ``retry_ms``: the browser's reconnect delay;
    ``interval``: seconds between two version reads of a viewed event; ``queue_limit``:
    messages a slow client may fall behind before it keeps only the newest."""

    heartbeat: float = 15.0
    retry_ms: int = 2000
    interval: float = DEFAULT_INTERVAL
    queue_limit: int = DEFAULT_QUEUE_LIMIT


@dataclass(frozen=True, slots=True)
class Live:
    """What the running app holds for live updates (``app.state.live``)."""

    config: LiveConfig
    bus: Bus
    watcher: Watcher
    zones: ViewedZones


def live_config(app: FastAPI) -> LiveConfig:
    config = getattr(app.state, "live_config", None)
    return config if isinstance(config, LiveConfig) else LiveConfig()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    config = live_config(app)
    bus = Bus(queue_limit=config.queue_limit)
    zones = ViewedZones()

    def render(state: EventState, at: datetime) -> dict[str, str]:
        assert state.info is not None
        return render_fragments(state, at, zones=zones.of(state.info.slug))

    settings = app.state.settings
    follower = Follower.of(
        app.state.store, listen=settings.live_notify, safety_poll=settings.live_safety_poll
    )
    watcher = Watcher(
        app.state.store, bus, render=render, interval=config.interval, follower=follower
    )
    app.state.live = Live(config, bus, watcher, zones)
    watcher.start()
    heartbeat = asyncio.get_running_loop().create_task(
        _heartbeat(bus, config.heartbeat), name="ptghub-heartbeat"
    )
    try:
        yield
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        await watcher.stop()


async def _heartbeat(bus: Bus, interval: float) -> None:
    """Every ``interval`` seconds, a ping for every stream that has nothing else to send."""
    while True:
        await asyncio.sleep(interval)
        bus.heartbeat()


def _whole_number(raw: str | None, name: str) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{name} must be a whole number, not {text[:40]!r}.")
    return int(text)


@dataclass(frozen=True, slots=True)
class Seen:
    """What the client already shows: the newest audit id it saw, or else the version
    its page was rendered from; neither when it says nothing."""

    id: int | None = None
    version: int | None = None

    def is_behind(self, current: Message) -> bool:
        if self.id is not None:
            return self.id < current.id
        return self.version is not None and self.version < current.version


def parse_seen(header: str | None, last_event_id: str | None, version: str | None) -> Seen:
    """The header wins over the address: the browser resends it on every reconnect, while
    the address keeps what the page was rendered at. Raises ValueError with a message for
    the client when a value is not a whole number."""
    if header is not None and header.strip() != "":
        return Seen(id=_whole_number(header, "Last-Event-ID"))
    seen_id = _whole_number(last_event_id, "lastEventId")
    if seen_id is not None:
        return Seen(id=seen_id)
    return Seen(version=_whole_number(version, "version"))


# For /openapi.json: the stream itself, and the two JSON errors it can start with.
STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: one 'change' message per change of the event.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    400: {
        "model": ErrorOut,
        "description": "Last-Event-ID or version is not a whole number, or tz is no zone.",
    },
    404: {"model": ErrorOut, "description": "Unknown event."},
    422: {"model": ErrorOut, "description": "Not sent: every parameter is text."},
    429: {
        "model": ErrorOut,
        "description": "Too many live streams open from this client address "
        "(PTGHUB_WEB_MAX_STREAMS_PER_CLIENT).",
    },
}


@router.get(
    "/events/{slug}/stream",
    response_model=None,
    response_class=StreamingResponse,
    responses=STREAM_RESPONSES,
)
async def stream(
    slug: str,
    request: Request,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    last_event_id_query: Annotated[str | None, Query(alias="lastEventId")] = None,
    version_query: Annotated[str | None, Query(alias="version")] = None,
    tz: Annotated[str | None, Query()] = None,
) -> Response:
    """The event's live changes as Server-Sent Events (404 JSON for an unknown event,
    400 JSON for an id or version that is not a whole number, or an unknown zone)."""
    try:
        seen = parse_seen(last_event_id_header, last_event_id_query, version_query)
        if tz is not None:
            zone(tz)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    except InvalidInput as error:
        return JSONResponse({"error": error.message}, status_code=400)
    live: Live = request.app.state.live
    await live.watcher.current(slug)  # NotFound -> 404 before the stream starts
    return StreamingResponse(
        _frames(live, slug, seen, tz),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(live: Live, slug: str, seen: Seen, tz: str | None) -> AsyncIterator[bytes]:
    """The bytes of one stream; it leaves the bus however it ends (a disconnect cancels
    it). Subscribing before reading the current message leaves no gap: any change newer
    than that message is published after the subscription, so it reaches this stream."""
    with live.zones.view(slug, tz) as new_zone, live.bus.subscribe(slug) as subscription:
        # A zone nobody viewed: its grids are in no message yet, a catch-up needs them.
        current = await (live.watcher.render_now if new_zone else live.watcher.current)(slug)
        yield f"retry: {live.config.retry_ms}\n\n".encode()
        if seen.is_behind(current):
            yield current.full_frame
        sent = current.seq
        while True:
            message = await subscription.get()
            if message is None:
                yield PING
                continue
            if message.seq <= sent:
                continue  # already sent (or older than what this client has)
            # Only the changed regions when this client has the previous message; all
            # of them after a gap in the numbering (its queue overflowed).
            frame = message.frame_after(sent)
            sent = message.seq
            yield frame
