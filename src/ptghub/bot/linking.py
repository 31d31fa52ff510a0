"""``link CODE``: the words of linking a chat identity to a person, for every network.

``BotCore`` runs it (``conversation.py``); this module says what gets linked and how the
bot tells it: "OK, linked IRC nick alice to Alice Smith; your roles: chair of nova."
"""

from __future__ import annotations

from ptghub.bot.transport import Sender, is_matrix_id
from ptghub.core.model import EventState
from ptghub.core.permissions import role_labels
from ptghub.store.link_codes import Linked

LINK = "link"
LINK_USAGE = (
    "Usage: link CODE (the code shown on your page on the web, under My chat "
    "identities), sent to me in private."
)
CHANNEL_CODE_WARNING = (
    "Never paste a link code in a channel: send 'link CODE' to me in private. "
    "That code is public now, so it no longer works: make a new one on your page."
)
# Where people find a token to prove a nick on later connections.
PROVE_LATER = (
    "On a later connection, send 'identify TOKEN' to me in private, with a token from "
    "your page on the web, before you use your roles."
)
NOT_PROVEN_HERE = (
    "Your roles do not count from this connection yet, as you are not in my channel (where "
    "I see people leave): join it, then send 'identify TOKEN' to me in private, with a token "
    "from your page on the web."
)
_NETWORKS = {"irc": "IRC", "matrix": "Matrix"}


def identity(sender: Sender) -> str:
    """What ``link`` links: the network account when the sender has one, else the nick."""
    return sender.account or sender.nick


def kind(sender: Sender, frontend: str) -> str:
    """How people call that identity: ``IRC nick``, ``IRC account``, ``Matrix id``."""
    name = identity(sender)
    if is_matrix_id(name):
        return "Matrix id"
    network = _NETWORKS.get(frontend, frontend)
    return f"{network} account" if sender.account else f"{network} nick"


def roles_text(state: EventState | None, keys: frozenset[str]) -> str:
    """ "your roles: organizer, chair of nova" or what having none means."""
    if state is None or state.info is None:
        return "there is no current event to hold roles in yet"
    labels = role_labels(state, keys)
    if not labels:
        return f"you have no role in {state.info.name} yet (an organizer can give you one)"
    return f"your roles in {state.info.name}: {', '.join(labels)}"


def linked_text(linked: Linked, what: str, roles: str) -> str:
    """The first sentence of the reply to a ``link`` that worked."""
    if linked.new:
        return f"OK, linked {what} {linked.nick} to {linked.display_name}; {roles}."
    return f"{what} {linked.nick} was already linked to {linked.display_name}; {roles}."


def is_link(text: str, *, private: bool) -> bool:
    """Whether ``text`` is a ``link``, which never reaches the command language.

    In private: ``link ...`` or ``+link ...``. In a channel: ``+link ...``, or a bare
    ``link`` with exactly one word after it (how a code gets pasted), so that chat such
    as "link the etherpad please" stays chat.
    """
    words = text.split()
    if not words:
        return False
    head = words[0].lower()
    if head == "+" + LINK:
        return True
    return head == LINK and (private or len(words) == 2)
