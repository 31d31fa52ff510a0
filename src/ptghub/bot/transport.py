"""The one interface between the bot core and a chat network (the httpx transport shape).

An adapter reports what it hears as ``Incoming`` values and delivers text through
``Transport.send``; everything else (parsing, permissions, identity, flood control) lives
above it, so IRC and Matrix adapters stay thin and ``memory.MemoryTransport`` can stand in
for both in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ptghub.core.model import RoleKind, nick_key


def is_matrix_id(nick: str) -> bool:
    """Whether a nick is a Matrix user id (``@user:server``), which no IRC nick can be."""
    return nick.startswith("@") and ":" in nick


def is_irc_nick(nick: str) -> bool:
    """Whether an IRC network could deliver to ``nick`` (no Matrix id)."""
    return not is_matrix_id(nick)


@dataclass(frozen=True, slots=True)
class Sender:
    """Who said something.

    ``account`` is the network's verified account (IRC SASL/account-tag, a Matrix user
    id) or None where the network offers none; ``host`` is ``user@host`` on IRC.
    ``trust`` holds the roles the network itself vouches for (IRC channel modes, when an
    event opts in with ``trust_channel_modes``); it becomes ``Actor.trust``.
    """

    nick: str
    account: str | None = None
    host: str | None = None
    trust: frozenset[RoleKind] = frozenset()

    @property
    def connection(self) -> str:
        """The key of this connection (``nick!user@host``, nick case-folded).

        It changes when the nick or the host does, which is why a binding made by
        ``identify`` lasts only as long as the connection keeps its nick.
        """
        return f"{nick_key(self.nick)}!{self.host or ''}"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message heard: in ``channel``, or in private when ``channel`` is None."""

    sender: Sender
    text: str
    channel: str | None = None

    @property
    def private(self) -> bool:
        return self.channel is None


class Transport(Protocol):
    """What the core needs of a network: deliver one line of text.

    ``target`` is a channel or a nick (a private message or notice). ``text`` is one line
    of at most ``core.MAX_LINE`` characters, already addressed; the transport must not
    block for long, since replies are sent from the command handler.
    """

    def send(self, target: str, text: str) -> None: ...
