"""The API's documentation page, ``/docs`` (Swagger UI), served entirely from this server.

FastAPI's own pages load their scripts from a CDN and start them with an inline script;
here Swagger UI comes from the installed ``fastapi-offline`` package (mounted at
``ASSETS``) and is started by ``static/docs.js``, so the page needs no inline script and
no other site: its Content-Security-Policy (``headers.DOCS_CSP``) says so. There is no
``/redoc``: ReDoc's bundle fetches its logo from the vendor's CDN whatever it is told.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ptghub.web.headers import DOCS_CSP

ASSETS = "/static/api-docs"
ASSET_DIR = Path(fastapi_offline.__file__).parent / "static"

router = APIRouter(include_in_schema=False)


def assets() -> StaticFiles:
    """Swagger UI's and ReDoc's files, as the installed package ships them."""
    return StaticFiles(directory=ASSET_DIR)


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{ASSETS}/favicon.png">\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})


def _title(request: Request, what: str) -> str:
    return f"{request.app.title} API: {what}"


@router.get("/docs")
def swagger(request: Request) -> HTMLResponse:
    openapi = escape(request.app.openapi_url or "/openapi.json")
    return _page(
        _title(request, "Swagger UI"),
        f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n',
        f'<div id="swagger-ui" data-openapi="{openapi}"></div>\n'
        f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
        '<script src="/static/docs.js"></script>\n',
    )
