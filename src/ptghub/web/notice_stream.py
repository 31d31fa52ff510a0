"""``GET /me/notices/stream``: the signed-in person's own notices, as Server-Sent Events.

While any ptghub page is open in a signed-in browser, ``static/notices.js`` listens here
and shows each notice in the page (a toast, ``role="status"``) and, when the person
allowed it, as a system notification. A notice says that a team the person follows, or
a topic matching one of their patterns, went now or next::

    event: notice
    data: {"text": "#nova now Placement API", "team": "nova", "name": "Nova", "when":
           "now", "topic": "Placement API", "url": "/events/ptg/teams/nova",
           "video": ..., "etherpad": ..., ...}

Only the person's own notices, and only when they chose the browser channel; the public
event stream (``web.stream``) never carries any. Signed out: a JSON 401. The session is
checked again at every heartbeat, so signing out elsewhere ends the stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ptghub.live.personal import PersonalNotices
from ptghub.web.api_models import ErrorOut
from ptghub.web.session import SESSION_COOKIE, signed_in
from ptghub.web.stream import PING, live_config

router = APIRouter()

PATH = "/me/notices/stream"
SIGN_IN_FIRST = "Sign in to receive your notices: this stream is each person's own."


def hub(request: Request) -> PersonalNotices:
    """The app's hub of personal notices, made on first use (on the event loop)."""
    found = getattr(request.app.state, "personal_notices", None)
    if not isinstance(found, PersonalNotices):
        found = request.app.state.personal_notices = PersonalNotices(request.app.state.store)
    return found


def _session_alive(request: Request, secret: str) -> bool:
    return request.app.state.store.accounts.session(secret) is not None


@router.get(
    PATH,
    response_model=None,
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events: one 'notice' message per followed change.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        401: {"model": ErrorOut, "description": "Nobody is signed in."},
    },
)
async def notice_stream(request: Request) -> Response:
    """The signed-in person's notices (JSON 401 when nobody is signed in)."""
    who = await anyio.to_thread.run_sync(signed_in, request)
    secret = request.cookies.get(SESSION_COOKIE)
    if who is None or secret is None:
        return JSONResponse({"error": SIGN_IN_FIRST}, status_code=401)
    frames = _frames(request, who.account.person_id, secret)
    # Subscribed before the headers go out: a page whose stream has opened misses no
    # notice (the headers would otherwise go first, and a change in between be lost).
    first = await anext(frames)
    return StreamingResponse(
        _then(first, frames),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(request: Request, person_id: int, secret: str) -> AsyncGenerator[bytes, None]:
    config = live_config(request.app)
    notices = hub(request)
    inbox = await notices.open(person_id)
    try:
        yield f"retry: {config.retry_ms}\n\n".encode()
        while True:
            try:
                notice = await asyncio.wait_for(inbox.get(), config.heartbeat)
            except TimeoutError:
                if not await anyio.to_thread.run_sync(_session_alive, request, secret):
                    return  # signed out meanwhile: no more of their notices here
                yield PING
                continue
            yield _frame(notice)
    finally:
        notices.close(inbox)


async def _then(first: bytes, rest: AsyncGenerator[bytes, None]) -> AsyncIterator[bytes]:
    try:
        yield first
        async for frame in rest:
            yield frame
    finally:
        await rest.aclose()  # its own finally closes the inbox


def _frame(notice: dict[str, Any]) -> bytes:
    data = json.dumps(notice, ensure_ascii=False, separators=(",", ":"))
    return f"event: notice\ndata: {data}\n\n".encode()
