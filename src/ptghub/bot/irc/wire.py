"""How the IRC bot's text becomes lines on the wire: one line each, within the byte limit.

A server relays a PRIVMSG or NOTICE with the sender's prefix added, and drops whatever
passes 512 bytes, so a text is kept to ``MAX_TEXT_BYTES`` (cut at a character boundary)
and to one line (a line break would start a new, unknown command).
"""

from __future__ import annotations

from collections.abc import Callable

MAX_TEXT_BYTES = 400  # of a PRIVMSG/NOTICE text: the server adds our prefix when relaying


def fit(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``text`` on one line and cut to ``limit`` UTF-8 bytes (at a character boundary)."""
    text = text.replace("\r", " ").replace("\n", " ")
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit].decode(errors="ignore")


class Wire:
    """A ``Transport`` sending one IRC command (PRIVMSG for replies, NOTICE for the outbox)
    through ``send_line``, which writes a raw line or keeps it until the link is back."""

    def __init__(self, send_line: Callable[[str], None], command: str) -> None:
        self.send_line = send_line
        self.command = command

    def send(self, target: str, text: str) -> None:
        self.send_line(f"{self.command} {target} :{fit(text)}")
