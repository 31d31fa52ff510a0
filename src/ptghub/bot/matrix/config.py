"""How the Matrix bot reaches its homeserver and where it listens, checked before connecting."""

from __future__ import annotations

from dataclasses import dataclass


class MatrixBotError(Exception):
    """A problem retrying cannot fix: bad credentials, a room that cannot be joined."""


@dataclass(frozen=True, slots=True)
class MatrixConfig:
    """How to reach the homeserver and where to listen.

    ``user`` is the bot's user id (``@ptgbot:example.org``); with an ``access_token`` it
    may be None (the homeserver says who the token belongs to), with a ``password`` it is
    required. ``room`` is a room id (``!abc:example.org``) or alias (``#ptg:example.org``).
    """

    homeserver: str
    room: str
    user: str | None = None
    access_token: str | None = None
    password: str | None = None
    device_name: str = "ptghub bot"
    sync_timeout: float = 30.0  # seconds a sync waits for news before asking again
    max_backoff: float = 30.0

    def check(self) -> None:
        """Raise ``MatrixBotError`` saying what is missing, before connecting."""
        if not self.homeserver.startswith(("http://", "https://")):
            raise MatrixBotError(
                f"The homeserver must be an http:// or https:// URL, not '{self.homeserver}'."
            )
        # Room ids of room version 12 have no server part; aliases always have one.
        is_id = self.room.startswith("!") and len(self.room) > 1
        is_alias = self.room.startswith("#") and ":" in self.room
        if not (is_id and " " not in self.room) and not (is_alias and " " not in self.room):
            raise MatrixBotError(
                f"The room must be a room id (!abc:example.org) or an alias "
                f"(#ptg:example.org), not '{self.room}'."
            )
        if not self.access_token and not self.password:
            raise MatrixBotError(
                "The bot needs an access token (PTGHUB_MATRIX_ACCESS_TOKEN) or a password "
                "(PTGHUB_MATRIX_PASSWORD)."
            )
        if not self.access_token and not self.user:
            raise MatrixBotError(
                "Logging in with a password needs the bot's user id "
                "(--user or PTGHUB_MATRIX_USER, e.g. @ptgbot:example.org)."
            )
        if self.user is not None and not is_user_id(self.user):
            raise MatrixBotError(
                f"The user must be a Matrix user id such as @ptgbot:example.org, not '{self.user}'."
            )


def is_user_id(text: str) -> bool:
    return text.startswith("@") and ":" in text and " " not in text


def localpart(user_id: str) -> str:
    """``alice`` of ``@alice:example.org``."""
    return user_id[1:].split(":", 1)[0]
