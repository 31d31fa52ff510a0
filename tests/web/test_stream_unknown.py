"""Streams of unknown events: answered 404, and nothing is kept for them.

The requests go through the whole ASGI app (routing, the stream endpoint, the watcher) in
this process, so the test can look at the watcher's and the bus's per-event tables as
well as at the process size.
"""

from __future__ import annotations

import asyncio
import gc
import os
import uuid

import httpx
import pytest
from fastapi import FastAPI

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.stream import Live

REQUESTS = 20_000
MB = 1024 * 1024


def _rss() -> int:
    """The resident size of this process in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


async def _ask_unknown(app: FastAPI, count: int) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ptghub.test") as client:
        statuses = []
        for _ in range(count):
            response = await client.get(f"/events/{uuid.uuid4().hex}/stream")
            statuses.append(response.status_code)
        return statuses


@pytest.mark.slow
def test_stream_unknown_events_keep_nothing(store: Store) -> None:
    app = create_app(store)

    async def scenario() -> tuple[list[int], int, int, Live]:
        async with app.router.lifespan_context(app):
            live: Live = app.state.live
            await _ask_unknown(app, 1_000)  # warm up: first-use allocations are not a leak
            gc.collect()
            before = _rss()
            statuses = await _ask_unknown(app, REQUESTS)
            gc.collect()
            return statuses, before, _rss(), live

    statuses, before, after, live = asyncio.run(scenario())
    assert set(statuses) == {404}
    assert live.watcher.tracked() == frozenset()
    assert live.bus.topics() == frozenset()
    assert after - before < 10 * MB, f"grew by {(after - before) / MB:.1f} MB"
