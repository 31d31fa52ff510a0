"""A person's own settings, the same at every event: the time zone their "My PTG" is
shown in, and the channels by which they want to hear that something they follow goes
now or next (chat, email, the browser). Sending is not done here: the notifiers read
these choices.

A person without a row has the defaults: no zone of their own (pages use the event's),
no channel chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import InvalidInput
from ptghub.store import tables as t
from ptghub.store.engine import writing

CHANNELS = ("chat", "email", "browser")


@dataclass(frozen=True, slots=True)
class Settings:
    time_zone: str | None = None  # an IANA name; None: the event's
    notify_chat: bool = False
    notify_email: bool = False
    notify_browser: bool = False

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels chosen, among ``CHANNELS``, in that order."""
        chosen = (self.notify_chat, self.notify_email, self.notify_browser)
        return tuple(name for name, on in zip(CHANNELS, chosen, strict=True) if on)


def check_zone(name: str) -> str:
    """``name`` when it is an IANA time zone; InvalidInput saying what is expected."""
    name = name.strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name or len(name) > 64:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = "".join(c if c.isprintable() else "?" for c in name)[:60]
        raise InvalidInput(
            f"Unknown time zone '{shown}'; use an IANA name such as UTC, Europe/Paris "
            "or America/Los_Angeles."
        ) from None
    return name


class PersonSettings:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of(self, person_id: int) -> Settings:
        s = t.person_settings
        with self.engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.person_id == person_id)).first()
        if row is None:
            return Settings()
        return Settings(row.time_zone, row.notify_chat, row.notify_email, row.notify_browser)

    def set_time_zone(self, person_id: int, name: str | None) -> Settings:
        """Show the person's pages in ``name`` (checked), or in the event's zone (None
        or empty)."""
        zone = check_zone(name) if name and name.strip() else None
        return self._write(person_id, {"time_zone": zone})

    def set_channels(self, person_id: int, channels: set[str] | frozenset[str]) -> Settings:
        """Choose exactly ``channels`` (names among ``CHANNELS``; the others are off)."""
        unknown = sorted(set(channels) - set(CHANNELS))
        if unknown:
            raise InvalidInput(
                f"Unknown notification channel '{unknown[0][:40]}'; the channels are "
                f"{', '.join(CHANNELS)}."
            )
        return self._write(person_id, {f"notify_{name}": name in channels for name in CHANNELS})

    def _write(self, person_id: int, values: dict[str, object]) -> Settings:
        for attempt in (1, 2):
            try:
                with writing(self.engine) as conn:
                    _upsert(conn, person_id, values)
                break
            except IntegrityError:  # the same person's first setting, from two tabs at once
                if attempt == 2:
                    raise
        return self.of(person_id)


def _upsert(conn: Connection, person_id: int, values: dict[str, object]) -> None:
    s = t.person_settings
    done = conn.execute(update(s).where(s.c.person_id == person_id).values(**values))
    if not done.rowcount:
        conn.execute(insert(s).values(person_id=person_id, **values))
