"""``GET /healthz`` and ``GET /readyz``: is the process up, and can it serve.

``/healthz`` answers 200 ``{"status": "ok"}`` whenever the process answers at all; it
touches nothing else (a process manager restarts a server that stops answering it).

``/readyz`` answers 200 ``{"status": "ready", "checks": {...}}`` when every check holds,
else 503 ``{"status": "not ready", "checks": {...}, "failed": [names]}`` where each
failed check says why (a load balancer sends no traffic to a worker that is not ready):

- ``database``: the database answers (one query, the schema's revision);
- ``migrations``: the schema is at the revision this ptghub needs (``store.engine.HEAD``);
  one behind wants ``ptghub init`` (docs/deploy.md: upgrades);
- ``follower``: the live feed runs: the watcher is subscribed to the change follower,
  whose thread is alive, and every event someone views was read successfully within
  ``FOLLOWER_STALE`` seconds.

Neither needs a token nor is in the OpenAPI schema; the guard limits neither (it only
limits writes, failed sign-ins and live streams), so a probe every few seconds from one
address is always answered.
"""

from __future__ import annotations

import time

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from ptghub.store.engine import HEAD, schema_revision

router = APIRouter()

# Seconds: the follower reads a viewed event at its pace (0.02 s), or wakes on a change
# and reads at its safety-net poll; a read this old means it is stuck or failing.
FOLLOWER_STALE = 60.0


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def database_checks(engine: Engine) -> dict[str, str | None]:
    """The database's and the migrations' problems (None: fine)."""
    try:
        revision = schema_revision(engine)
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return {
            "database": f"the database does not answer: {reason}",
            "migrations": "unknown: the database does not answer",
        }
    if revision == HEAD:
        return {"database": None, "migrations": None}
    found = "no ptghub schema" if revision is None else f"the schema is at revision {revision}"
    return {
        "database": None,
        "migrations": f"{found}; this ptghub needs {HEAD} ('ptghub init' upgrades it)",
    }


def follower_check(request: Request) -> str | None:
    live = getattr(request.app.state, "live", None)
    if live is None:
        return "the live feed has not started"
    feed = live.watcher.feed
    if feed is None:
        return "the live feed is stopped"
    if not feed.follower.running:
        return "the change follower's thread is not running"
    now = time.monotonic()
    for event in sorted(feed.events(), key=str):
        seen = feed.follower.seen(event)
        if seen is not None and now - seen[1] > FOLLOWER_STALE:
            return f"event {event!r} was last read {now - seen[1]:.0f} s ago"
    return None


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.store.engine
    checks = await anyio.to_thread.run_sync(database_checks, engine)
    checks["follower"] = follower_check(request)
    failed = [name for name, problem in checks.items() if problem is not None]
    shown = {name: problem or "ok" for name, problem in checks.items()}
    if failed:
        return JSONResponse(
            {"status": "not ready", "checks": shown, "failed": failed}, status_code=503
        )
    return JSONResponse({"status": "ready", "checks": shown})
