"""The live part of an old PTG bot database: who may change teams, topics, messages of
the day, check-ins and subscriptions (see ptgbot.py for the format and the rules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ptghub.core.errors import InvalidInput
from ptghub.core.events import (
    DomainEvent,
    MotdChanged,
    OpenToEveryoneChanged,
    PresenceChanged,
    SubscriptionChanged,
    TopicsChanged,
)
from ptghub.core.model import (
    Motd,
    MotdLevel,
    Presence,
    Subscription,
    Team,
    Topics,
    nick_key,
    team_key,
)
from ptghub.core.patterns import compile_pattern
from ptghub.core.validate import MAX_LOCATION, MAX_MOTD, MAX_TOPIC, check_nick, check_text


@dataclass
class LiveStateImport:
    """The database being read, the report being written, and the teams found so far."""

    data: Mapping[str, Any]
    imported: list[str] = field(default_factory=list, kw_only=True)
    skipped: list[str] = field(default_factory=list, kw_only=True)
    teams: dict[str, Team] = field(default_factory=dict, kw_only=True)

    def _dict(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key, {})
        if isinstance(value, Mapping):
            return value
        self.skipped.append(f"{key}: not a JSON object, nothing imported from it")
        return {}

    def _voice(self) -> list[DomainEvent]:
        voice = self.data.get("voice", 0)
        if voice == 1 and not isinstance(voice, bool):
            self.imported.append("voice: only chairs and organizers may change teams")
            return [OpenToEveryoneChanged(True, False)]
        if voice != 0 or isinstance(voice, bool):
            self.skipped.append(f"voice: {voice!r} is neither 0 nor 1; everyone may change teams")
        return []

    def _topics(self) -> list[DomainEvent]:
        found: dict[str, Topics] = {}
        limits = {"now": MAX_TOPIC, "next": MAX_TOPIC, "location": MAX_LOCATION}
        for key, limit in limits.items():
            for track, value in self._dict(key).items():
                team = team_key(str(track))
                values = value if key == "next" and isinstance(value, list) else [value]
                try:
                    if team not in self.teams:
                        raise InvalidInput("no such track")
                    texts = [check_text(v, what=key, limit=limit) for v in values]
                except (InvalidInput, TypeError, AttributeError) as error:
                    self.skipped.append(f"{key}: {track!r} skipped: {why(error)}")
                    continue
                old = found.get(team, Topics())
                if key == "next":
                    found[team] = Topics(old.now, tuple(texts), old.location)
                elif key == "now":
                    found[team] = Topics(texts[0], old.next, old.location)
                else:
                    found[team] = Topics(old.now, old.next, texts[0])
        if found:
            self.imported.append(f"now, next and location of {len(found)} teams")
        return [TopicsChanged(team, Topics(), found[team]) for team in sorted(found)]

    def _motd(self) -> list[DomainEvent]:
        motd = self.data.get("motd", [])
        if isinstance(motd, Mapping):  # the bot's oldest format: one message or none
            motd = [motd] if motd.get("message") else []
        messages: list[Motd] = []
        for i, entry in enumerate(motd if isinstance(motd, list) else [motd], start=1):
            try:
                level = entry["level"]
                if level not in set(MotdLevel):
                    levels = ", ".join(MotdLevel)
                    raise InvalidInput(f"level {level!r} is not one of {levels}")
                text = check_text(entry["message"], what="message", limit=MAX_MOTD)
            except (InvalidInput, TypeError, KeyError, AttributeError) as error:
                self.skipped.append(f"motd: message {i} skipped: {why(error)}")
                continue
            messages.append(Motd(MotdLevel(level), text))
        if messages:
            self.imported.append(f"{len(messages)} messages of the day")
        return [MotdChanged((), tuple(messages))] if messages else []

    def _presence(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        seen: set[str] = set()
        for key, entry in self._dict("last_check_in").items():
            try:
                nick = check_nick(entry.get("nick") or key)
                location = entry.get("location")
                if location is None or entry.get("in") is None:
                    continue  # a nick that checked out of everything: nothing to keep
                out = entry.get("out")
                presence = Presence(
                    nick,
                    check_text(location, what="location", limit=MAX_LOCATION),
                    _timestamp(entry["in"]),
                    None if out is None else _timestamp(out),
                )
            except (InvalidInput, TypeError, ValueError, AttributeError) as error:
                self.skipped.append(f"last_check_in: {key!r} skipped: {why(error)}")
                continue
            if nick_key(nick) in seen:  # ptghub's own anonymous entries, or "Al" and "al"
                self.skipped.append(f"last_check_in: {key!r} skipped: {nick} is listed twice")
                continue
            seen.add(nick_key(nick))
            events.append(PresenceChanged(nick_key(nick), None, presence))
        if events:
            self.imported.append(f"{len(events)} check-ins (their times taken as UTC)")
        return events

    def _subscriptions(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for nick, pattern in self._dict("subscriptions").items():
            try:
                checked = check_nick(nick)
                if not isinstance(pattern, str):
                    raise InvalidInput("the pattern is not text")
                compile_pattern(pattern)
            except (InvalidInput, TypeError, AttributeError) as error:
                self.skipped.append(f"subscriptions: {nick!r} skipped: {why(error)}")
                continue
            events.append(
                SubscriptionChanged(nick_key(checked), None, Subscription(checked, pattern))
            )
        if events:
            self.imported.append(f"{len(events)} subscriptions")
        return events


def _timestamp(value: Any) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def why(error: Exception) -> str:
    """Why an entry was skipped, in words for the report."""
    if isinstance(error, InvalidInput):
        return error.message
    if isinstance(error, KeyError):
        return f"{error.args[0]} is missing"
    return "not the expected type" if not isinstance(error, ValueError) else str(error)
