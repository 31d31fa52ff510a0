"""``ApiRoute``: the route class of the JSON API and the exports, which answers every
error of the request itself as ``{"error": MESSAGE}``.

FastAPI answers some errors before (or instead of) the endpoint, each in a shape of its
own: ``{"detail": [...]}`` for a malformed request (422), ``{"detail": "There was an
error parsing the body"}`` for a body it cannot decode (400), ``{"detail": "Method Not
Allowed"}`` for a method the address does not take (405). This class answers them in the
API's one documented shape, with a message that says what was wrong and what is
expected; a missing or unknown token (web/auth.py) becomes a 401 with its challenge.

A 405's ``Allow`` lists every method the address takes: Starlette names only those of
the first route whose path matched, while a path such as ``.../needs/{team}`` has one
route per method (GET, PUT and DELETE); the app's OpenAPI document has them all.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from ptghub.web.api_models import ErrorOut
from ptghub.web.auth import Unauthorized

_MALFORMED = {
    "model": ErrorOut,
    "description": "The request is malformed: the message names each wrong field.",
}
# HTTP's own order, which is also how the Allow header reads best.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class ApiRoute(APIRoute):
    """Answers a malformed request (422), an unreadable body (400), a missing token (401)
    and a method the address does not take (405) as ``{"error": ...}``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # Documented in the shape it is answered in: FastAPI would document a 422 as
        # {"detail": [...]} (HTTPValidationError) for every route with parameters.
        responses = dict(kwargs.pop("responses", None) or {})
        responses.setdefault(422, _MALFORMED)
        super().__init__(path, endpoint, responses=responses, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return JSONResponse({"error": describe(error)}, status_code=422)
            except Unauthorized as error:
                return JSONResponse(
                    {"error": error.message},
                    status_code=error.status,
                    headers={"WWW-Authenticate": error.challenge},
                )
            except HTTPException as error:
                return JSONResponse(
                    {"error": _http_message(error)},
                    status_code=error.status_code,
                    headers=error.headers,
                )

        return handle

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = self.allowed_methods(scope)
            response = JSONResponse(
                {
                    "error": f"This address does not take {scope['method']}; "
                    f"it takes {', '.join(allowed)}."
                },
                status_code=405,
                headers={"Allow": ", ".join(allowed)},
            )
            await response(scope, receive, send)
            return
        await super().handle(scope, receive, send)

    def allowed_methods(self, scope: Scope) -> list[str]:
        """Every method the app documents at this route's path (HEAD with GET), in
        HTTP's order. The app's OpenAPI document is where the routes of every router
        meet (each method of a path may be a route of its own), built once per app."""
        app = scope.get("app")
        methods = set(self.methods or ())
        if isinstance(app, FastAPI):
            documented = app.openapi().get("paths", {}).get(self.path_format, {})
            methods |= {method.upper() for method in documented}
        if "GET" in methods:
            methods.add("HEAD")
        known = [method for method in _METHODS if method in methods]
        return known + sorted(methods - set(known))


def _http_message(error: HTTPException) -> str:
    cause = error.__cause__
    if error.status_code == 400 and isinstance(cause, UnicodeDecodeError):
        return (
            f"The body is not text in UTF-8 (byte 0x{cause.object[cause.start]:02x} at "
            f"position {cause.start}); send JSON encoded as UTF-8."
        )
    if error.status_code == 400 and cause is not None:
        return f"The body could not be read ({cause}); send one JSON object."
    return str(error.detail)


def describe(error: RequestValidationError) -> str:
    """One sentence naming each wrong part of a request and what is expected of it."""
    problems = []
    for item in error.errors():
        if item.get("type") == "json_invalid":
            reason = item.get("ctx", {}).get("error", "")
            position = item.get("loc", ("body", "?"))[-1]
            problems.append(f"the body is not valid JSON ({reason} at character {position})")
            continue
        location = [str(part) for part in item.get("loc", ())]
        if location[:1] == ["body"]:
            where = ".".join(location[1:]) or "the body"
        else:  # a path or query parameter: say which
            where = ".".join(location) or "the request"
        problems.append(f"{where}: {item.get('msg', 'invalid value')}")
    return "Invalid request: " + "; ".join(problems) + "."


NO_ROUTE = (
    "There is nothing at this address: the API is under /api/v1/events (described at "
    "/docs), an event's pages under /events/SLUG/."
)


async def router_error(request: Request, error: Exception) -> Response:
    """What the router answers itself (no route at all for the address: 404), in the
    API's shape; registered on the app for Starlette's HTTPException."""
    assert isinstance(error, HTTPException)
    if error.status_code in (204, 304):  # no body allowed
        return Response(status_code=error.status_code, headers=error.headers)
    message = NO_ROUTE if error.status_code == 404 else str(error.detail)
    return JSONResponse({"error": message}, status_code=error.status_code, headers=error.headers)
