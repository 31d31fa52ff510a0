"""The slots of an old PTG bot database: its weekdays made dates, and each slot's times
read from its ``desc``, ``realtime`` and ``duration`` (see ptgbot.py for the format and
the rules: ``desc`` wins, and every disagreement is reported)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ptghub.core.model import Slot
from ptghub.importers.ptgbot_live import LiveStateImport

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIMES = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_SLOT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,15}")


def _end(day: date, begin: time, minutes: int) -> time:
    """The time ``minutes`` after ``begin`` (past midnight, an earlier time)."""
    return (datetime.combine(day, begin) + timedelta(minutes=minutes)).time()


@dataclass
class SlotsImport(LiveStateImport):
    """The import, with the first date of the event and its zone, which slots are read in."""

    start: date
    timezone: str

    def _slots(self, zone: Any) -> dict[str, Slot]:
        slots: dict[str, Slot] = {}
        for day_name, entries in self._dict("slots").items():
            name = str(day_name).casefold()
            if name not in WEEKDAYS or not isinstance(entries, list):
                self.skipped.append(f"slots: day {day_name!r} is not an English weekday name")
                continue
            day = self.start + timedelta(days=(WEEKDAYS.index(name) - self.start.weekday()) % 7)
            for entry in entries:
                slot = self._slot(day, entry, zone)
                if slot is None:
                    continue
                if slot.key in slots:
                    self.skipped.append(f"slots: {slot.code} is listed twice, first kept")
                    continue
                slots[slot.key] = slot
        ordered = sorted(slots.values(), key=lambda s: (s.day, s.start, s.end))
        days = len({slot.day for slot in ordered})
        if ordered:
            self.imported.append(f"{len(ordered)} slots on {days} days")
        return {slot.key: slot for slot in ordered}

    def _slot(self, day: date, entry: Any, zone: Any) -> Slot | None:
        code = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(code, str) or not _SLOT_CODE.fullmatch(code):
            name = "no name" if code is None else f"the name {code!r}"
            self.skipped.append(f"slots: an entry of {day:%A} has {name}; expected e.g. MonA1")
            return None
        desc = entry.get("desc")
        times = _TIMES.fullmatch(desc) if isinstance(desc, str) else None
        try:
            described = None
            if times:
                h1, m1, h2, m2 = (int(n) for n in times.groups())
                described = time(h1, m1), time(h2, m2)
            real = self._realtime(code, entry.get("realtime"), day, described, zone)
            minutes = entry.get("duration")
            if minutes is not None and (
                not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0
            ):
                raise ValueError(f"duration {minutes!r} is not a number of minutes")
        except (ValueError, TypeError) as error:
            self.skipped.append(f"slots: {code} skipped: {error}")
            return None
        begin: time | None = None
        end: time | None = None
        if described is not None:
            # The description is what people read and is in the event's zone; the other
            # fields only repeat it, and a stray one (seen in Denver 2018) must not win.
            begin, end = described
            if minutes is not None and _end(day, begin, minutes) != end:
                self.skipped.append(
                    f"slots: {code} duration {minutes} disagrees with its desc {desc}; desc used"
                )
        elif real is not None and minutes is not None:
            begin, end = real, _end(day, real, minutes)
        if begin is None or end is None:
            self.skipped.append(f"slots: {code} skipped: no time in desc, realtime or duration")
            return None
        if end <= begin:
            self.skipped.append(
                f"slots: {code} skipped: it ends before it starts or after midnight"
            )
            return None
        return Slot(code, day, begin, end)

    def _realtime(
        self,
        code: str,
        value: Any,
        day: date,
        described: tuple[time, time] | None,
        zone: Any,
    ) -> time | None:
        """The local start time ``realtime`` gives; reported when it disagrees with the
        slot's day or its description (which then wins). Raises ValueError if malformed."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"realtime {value!r} is not a time such as 2018-09-10T15:00:00Z")
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        local = moment.astimezone(zone)
        begin = local.time()
        said = f"realtime {value} is {local:%H:%M on %A %Y-%m-%d} in {self.timezone}"
        if described is not None and (begin != described[0] or local.date() != day):
            start, end = described
            self.skipped.append(
                f"slots: {code} {said}, not {start:%H:%M} on {day:%A %Y-%m-%d} as its desc "
                f"{start:%H:%M}-{end:%H:%M} says; desc used"
            )
        elif described is None and local.date() != day:
            self.skipped.append(
                f"slots: {code} {said}, not on {day:%A %Y-%m-%d}; only its time is used"
            )
        return begin
