"""What the IRC bot knows of the people in its channel: host, account and channel modes.

Pure bookkeeping, fed by the adapter from JOIN (extended-join), NAMES, WHOX, ACCOUNT,
MODE, NICK, PART, KICK and QUIT. A person who leaves the channel is forgotten, so a
stale account or op status can never be inherited by whoever takes the nick next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ptghub.core.model import RoleKind, nick_key

# IRC says "no account" as "*" (extended-join, ACCOUNT) or "0" (WHOX).
NO_ACCOUNT = frozenset({"*", "0", ""})
# The old bot's trust (trust_channel_modes): these channel modes act as these roles.
MODE_ROLES: Mapping[str, RoleKind] = {"o": RoleKind.ORGANIZER, "v": RoleKind.CHAIR}
# Modes above op (owner, admin) imply it; half-op is not trusted as anything.
OP_LIKE = frozenset("qa")


def account_or_none(value: str | None) -> str | None:
    return None if value is None or value in NO_ACCOUNT else value


@dataclass
class Member:
    nick: str
    host: str | None = None  # user@host
    account: str | None = None
    modes: set[str] = field(default_factory=set)


@dataclass
class Roster:
    """Members of one channel by nick key. ``prefixes`` maps a NAMES prefix to its mode
    (``@`` -> ``o``), as the server's ISUPPORT PREFIX says."""

    prefixes: dict[str, str] = field(default_factory=lambda: {"@": "o", "+": "v"})
    _members: dict[str, Member] = field(default_factory=dict)

    def clear(self) -> None:
        self._members.clear()

    def __contains__(self, nick: str) -> bool:
        return nick_key(nick) in self._members

    def get(self, nick: str) -> Member | None:
        return self._members.get(nick_key(nick))

    def _member(self, nick: str) -> Member:
        member = self._members.get(nick_key(nick))
        if member is None:
            member = self._members[nick_key(nick)] = Member(nick)
        return member

    # -- what the server tells --------------------------------------------------------

    def joined(self, nick: str, host: str | None, account: str | None = None) -> None:
        """``nick`` joined; ``account`` is only known with extended-join (else None)."""
        member = Member(nick, host, account_or_none(account))
        self._members[nick_key(nick)] = member

    def left(self, nick: str) -> Member | None:
        """``nick`` parted, was kicked or quit: forgotten; what was known of it."""
        return self._members.pop(nick_key(nick), None)

    def renamed(self, old: str, new: str) -> None:
        member = self._members.pop(nick_key(old), None)
        if member is not None:
            member.nick = new
            self._members[nick_key(new)] = member

    def names(self, entries: Sequence[str]) -> None:
        """A NAMES reply: ``@nick``, ``+nick``, ``@+nick`` (multi-prefix) or ``nick``."""
        for entry in entries:
            nick = entry.lstrip("".join(self.prefixes))
            if not nick:
                continue
            modes = {self.prefixes[c] for c in entry[: len(entry) - len(nick)]}
            member = self._member(nick)
            member.modes = modes

    def seen(self, nick: str, *, host: str | None = None, account: str | None = None) -> None:
        """What a WHO/WHOX reply or a message's prefix and account-tag tell of a member."""
        member = self._members.get(nick_key(nick))
        if member is None:
            return  # not in our channel: nothing to keep up to date later
        if host is not None:
            member.host = host
        member.account = account_or_none(account)

    def set_account(self, nick: str, account: str | None) -> None:
        """ACCOUNT (account-notify): ``*`` when the person logged out."""
        member = self._members.get(nick_key(nick))
        if member is not None:
            member.account = account_or_none(account)

    def mode(self, nick: str, mode: str, on: bool) -> None:
        member = self._members.get(nick_key(nick))
        if member is None:
            return
        if on:
            member.modes.add(mode)
        else:
            member.modes.discard(mode)

    def modes(self, arguments: Sequence[str], chanmodes: Sequence[str]) -> None:
        """A channel MODE (``+ov-v a b c``): follow the prefix modes (op, voice...)."""
        prefix_modes = "".join(self.prefixes.values())
        for on, mode, argument in parse_modes(arguments, prefix_modes, chanmodes):
            if mode in prefix_modes and argument:
                self.mode(argument, mode, on)

    # -- what the bot asks ------------------------------------------------------------

    def account(self, nick: str) -> str | None:
        member = self._members.get(nick_key(nick))
        return None if member is None else member.account

    def trust(self, nick: str) -> frozenset[RoleKind]:
        """The roles ``nick``'s channel modes give under ``trust_channel_modes``."""
        member = self._members.get(nick_key(nick))
        if member is None:
            return frozenset()
        modes = set(member.modes)
        if modes & OP_LIKE:
            modes.add("o")
        return frozenset(MODE_ROLES[m] for m in modes if m in MODE_ROLES)


def parse_modes(
    args: Sequence[str], prefix_modes: str, chanmodes: Sequence[str]
) -> list[tuple[bool, str, str | None]]:
    """A channel MODE's ``+ov-v a b c`` as ``(on, mode, argument)`` triples.

    Which modes take an argument comes from ISUPPORT: prefix modes and CHANMODES lists
    A and B always, list C only when set; the rest never.
    """
    if not args:
        return []
    lists = [*chanmodes, "", "", "", ""][:4]
    always = set(prefix_modes) | set(lists[0]) | set(lists[1])
    when_set = set(lists[2])
    params = list(args[1:])
    changes: list[tuple[bool, str, str | None]] = []
    on = True
    for char in args[0]:
        if char in "+-":
            on = char == "+"
            continue
        takes = char in always or (on and char in when_set)
        argument = params.pop(0) if takes and params else None
        changes.append((on, char, argument))
    return changes
