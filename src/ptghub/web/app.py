"""``create_app``: the ASGI application, built around one Store.

Routers by what they serve: ``pages`` (HTML), ``api`` (JSON under /api/v1), ``export_routes``
(ICS, schedule.xml, c3voc JSON, the old bot's ptg.json) and ``stream`` (Server-Sent
Events). Errors of the domain map to HTTP statuses here, once.

Around them, outermost first: ``headers.SecurityHeaders`` (on every response, errors
included), ``metrics.RequestMetrics`` (requests by route and status, for ``/metrics``),
``unavailable.DatabaseUnavailable`` (503 while the database cannot be
reached), ``compression.Compression`` (gzip where the client accepts it, never on the
event stream) and ``guard.Guard`` (authentication before the body, body sizes, rates, streams
per client: ``limits.WebLimits``). ``health`` serves ``/healthz`` and ``/readyz``.
``companions`` (the demo's replay) start with the server, after the live feed, and stop
before it. When the store's clock is simulated (``core.clock``), every page says so
(``clock_note``). The API docs page, ``/docs``, comes from
``docs``, with their scripts served by this app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from ptghub import __version__
from ptghub.core.clock import simulated
from ptghub.core.errors import PtgError
from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web import (
    actions,
    api,
    docs,
    event_api,
    event_people,
    export_routes,
    health,
    info_pages,
    me_chat,
    me_forms,
    me_pages,
    metrics,
    my_pages,
    notice_stream,
    oidc,
    organize_announcements,
    organize_grid,
    organize_info,
    organize_mail,
    organize_pages,
    organize_report,
    organize_tracks,
    pages,
    plan_actions,
    plan_api,
    plan_pages,
    registration_routes,
    room_pages,
    signin_pages,
    site_pages,
    stream,
    team_pages,
    track_requests,
    updates_pages,
)
from ptghub.web.clock_note import ClockNote
from ptghub.web.compression import Compression
from ptghub.web.guard import Guard, Tallies
from ptghub.web.headers import SecurityHeaders
from ptghub.web.limits import WebLimits
from ptghub.web.metrics import RequestMetrics
from ptghub.web.statuses import status_for
from ptghub.web.unavailable import DatabaseUnavailable
from ptghub.web.viewer import ViewerNote

STATIC = Path(__file__).parent / "static"


class Companion(Protocol):
    """Something that runs beside the server: started with it, stopped with it."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    companions: Sequence[Companion] = app.state.companions
    async with stream.lifespan(app), metrics.lifespan(app):
        started: list[Companion] = []
        try:
            for companion in companions:
                companion.start()
                started.append(companion)
            yield
        finally:
            for companion in reversed(started):  # stop() may wait for a step under way
                await anyio.to_thread.run_sync(companion.stop)


class PtgHubApp(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's 500 page included."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(
    store: Store,
    settings: Settings | None = None,
    *,
    limits: WebLimits | None = None,
    companions: Sequence[Companion] = (),
) -> FastAPI:
    """The app around ``store``. Without ``settings`` (tests, benchmarks): the defaults,
    not the environment's; ``limits`` default to those of the settings; ``companions``
    run while the server does."""
    app = PtgHubApp(
        title="ptghub",
        version=__version__,
        description="Project Teams Gathering: events, teams, schedule, live board.",
        lifespan=_lifespan,
        docs_url=None,  # web.docs serves them without a CDN
        redoc_url=None,
    )
    app.state.store = store
    app.state.companions = tuple(companions)
    app.state.settings = settings if settings is not None else Settings.model_construct()
    app.state.board_cache = {}  # slug -> (ETag, built at, encoded board): see api.get_board
    app.state.read_cache = {}  # (read, slug) -> (version, encoded answer): api._event_read
    app.state.limits = limits = limits or WebLimits.from_settings(app.state.settings)
    app.state.tallies = tallies = Tallies(limits)
    if (clock := simulated(store.clock)) is not None:
        app.add_middleware(ClockNote, clock=clock)
    app.add_middleware(ViewerNote)  # the templates' viewer(): who is signed in
    app.add_middleware(
        Guard,
        limits=limits,
        tallies=tallies,
        identify=store.tokens.identify,
        openapi=app.openapi,
    )
    app.add_middleware(Compression)  # outside the guard: its refusals are compressed too
    app.add_middleware(RequestMetrics)  # outside the guard: its refusals are counted too

    # Outermost: a database out of reach is a 503 whatever layer met it (the guard too).
    app.add_middleware(DatabaseUnavailable)

    @app.exception_handler(PtgError)
    async def _domain_error(request: Request, error: PtgError) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=status_for(error))

    # No route: an HTML page for people, {"error": ...} for programs (site_pages).
    app.add_exception_handler(HTTPException, site_pages.not_found)
    app.mount(docs.ASSETS, docs.assets(), name="api-docs")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(docs.router)
    app.include_router(api.router)
    app.include_router(event_api.router)
    app.include_router(plan_api.router)
    app.include_router(stream.router)
    app.include_router(export_routes.router)
    app.include_router(plan_pages.router)
    app.include_router(plan_actions.router)
    app.include_router(organize_pages.router)
    app.include_router(organize_grid.router)
    app.include_router(organize_info.router)
    app.include_router(site_pages.router)
    app.include_router(actions.router)
    app.include_router(team_pages.router)
    app.include_router(room_pages.router)
    app.include_router(info_pages.router)
    app.include_router(signin_pages.router)
    app.include_router(me_pages.router)
    app.include_router(me_forms.router)
    app.include_router(oidc.router)
    app.include_router(me_chat.router)
    app.include_router(event_people.router)
    app.include_router(track_requests.router)
    app.include_router(organize_tracks.router)
    app.include_router(organize_report.router)
    app.include_router(my_pages.router)
    app.include_router(organize_announcements.router)
    app.include_router(organize_mail.router)
    app.include_router(updates_pages.router)
    app.include_router(registration_routes.router)
    app.include_router(notice_stream.router)
    app.include_router(pages.router)  # last: it holds the catch-all old addresses
    return app
