"""Who writes through the API: a person's bearer token, turned into an Actor.

Reads are public; every write needs ``Authorization: Bearer TOKEN``, where the token was
made with ``ptghub token create --for NICK``. The request then acts as that nick, with
that person's roles, exactly as if the nick had sent the command to the bot. An expired
token is refused with 401; a token scoped to another event than the path's with 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.store.tokens import TokenRefused

FRONTEND = "api"
REALM = "ptghub"
# Where web.guard leaves the nick it identified, so the token is looked up once a request.
HOLDER = "ptghub_token_holder"

# auto_error=False: the messages below say more than FastAPI's "Not authenticated".
bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="ptg_…",
    description="A person's token, from 'ptghub token create --for NICK'. Needed for writes.",
)


class Unauthorized(Exception):
    """No usable token: answered 401 with a WWW-Authenticate challenge (RFC 6750), or 403
    (``insufficient_scope``) for a valid token made for another event."""

    def __init__(self, message: str, *, invalid_token: bool, other_event: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.invalid_token = invalid_token
        self.other_event = other_event

    @property
    def status(self) -> int:
        return 403 if self.other_event else 401

    @property
    def challenge(self) -> str:
        if self.other_event:
            return f'Bearer realm="{REALM}", error="insufficient_scope"'
        if self.invalid_token:
            return f'Bearer realm="{REALM}", error="invalid_token"'
        return f'Bearer realm="{REALM}"'


MISSING = (
    "This request changes the event and needs a token: send 'Authorization: Bearer TOKEN'. "
    "An organizer makes one with 'ptghub token create --for NICK'."
)
UNKNOWN = (
    "The bearer token is unknown or revoked; ask an organizer for a new one "
    "('ptghub token create --for NICK')."
)


def api_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The Actor behind the request's bearer token; raises Unauthorized without one."""
    if credentials is None:
        raise Unauthorized(MISSING, invalid_token=False)
    holder = getattr(request.state, HOLDER, None)
    if holder is not None:
        return Actor(holder, frontend=FRONTEND)
    store: Store = request.app.state.store
    try:
        # Every write's path names its event; the token may be scoped to one.
        nick = store.tokens.identify(credentials.credentials, event=request.path_params.get("slug"))
    except TokenRefused as error:
        raise Unauthorized(
            error.message, invalid_token=True, other_event=error.wrong_event
        ) from None
    if nick is None:
        raise Unauthorized(UNKNOWN, invalid_token=True)
    return Actor(nick, frontend=FRONTEND)


Writer = Annotated[Actor, Depends(api_actor)]
