"""``create_app``: the ASGI application, built around one Store.

Routers by what they serve: ``pages`` (HTML), ``api`` (JSON under /api/v1), ``exports``
(ICS, schedule.xml, c3voc JSON, the old bot's ptg.json) and ``live`` (Server-Sent
Events). Errors of the domain map to HTTP statuses here, once.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ptghub import __version__
from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, PtgError
from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web import api, api_route, exports, live, pages, plan_api, plan_pages

STATIC = Path(__file__).parent / "static"

_STATUS = {InvalidInput: 400, PermissionDenied: 403, NotFound: 404, Conflict: 409}


def status_for(error: PtgError) -> int:
    for kind, status in _STATUS.items():
        if isinstance(error, kind):
            return status
    return 409  # any other refusal: the state does not allow it


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="ptghub",
        version=__version__,
        description="Project Teams Gathering: events, teams, schedule, live board.",
        lifespan=live.lifespan,
    )
    app.state.store = store
    # Without settings (tests, benchmarks): the defaults, not the environment's.
    app.state.settings = settings if settings is not None else Settings.model_construct()
    app.state.board_cache = {}  # slug -> (ETag, built at, encoded board): see api.get_board

    @app.exception_handler(PtgError)
    async def _domain_error(request: Request, error: PtgError) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=status_for(error))

    app.add_exception_handler(HTTPException, api_route.router_error)  # {"error": ...}
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(plan_api.router)
    app.include_router(live.router)
    app.include_router(exports.router)
    app.include_router(plan_pages.router)
    app.include_router(pages.router)  # last: it holds the catch-all old addresses
    return app
