"""The slots of an imported PTG bot database: the times of ``desc`` win over a stray
``realtime`` or ``duration``, and every disagreement is reported."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState, Slot
from ptghub.importers.ptgbot import import_ptgbot
from tests.importers.ptgbot_databases import DENVER_START, denver, small_db


def test_import_ptgbot_of_denver_in_its_zone_trusts_desc_over_a_stray_realtime(
    shared_data: Path,
) -> None:
    result = import_ptgbot(denver(shared_data), DENVER_START, timezone="America/Denver")
    state = apply_all(EventState(), result.events)
    slot = state.slots["mona1"]
    minutes = (slot.end.hour * 60 + slot.end.minute) - (slot.start.hour * 60 + slot.start.minute)
    assert (slot.start, slot.end, minutes) == (time(9, 0), time(10, 45), 105)
    assert result.skipped == [
        "slots: MonA1 realtime 2020-06-01T09:00:00Z is 03:00 on Monday 2020-06-01 in "
        "America/Denver, not 09:00 on Monday 2018-09-10 as its desc 09:00-10:45 says; desc used"
    ]


def test_import_ptgbot_with_realtime_and_duration_agreeing_with_desc_reports_nothing() -> None:
    data = small_db()
    data["slots"]["Monday"][0] = {
        "name": "MonA1",
        "desc": "09:00-10:30",
        "realtime": "2018-09-10T07:00:00Z",
        "duration": 90,
    }
    result = import_ptgbot(data, date(2018, 9, 10), timezone="Europe/Paris")
    state = apply_all(EventState(), result.events)
    assert (state.slots["mona1"], result.skipped) == (
        Slot("MonA1", date(2018, 9, 10), time(9, 0), time(10, 30)),
        [],
    )


def test_import_ptgbot_with_duration_disagreeing_with_desc_uses_desc() -> None:
    data = small_db()
    data["slots"]["Monday"][0] = {"name": "MonA1", "desc": "09:00-10:30", "duration": 120}
    result = import_ptgbot(data, date(2018, 9, 10))
    state = apply_all(EventState(), result.events)
    assert (state.slots["mona1"], result.skipped) == (
        Slot("MonA1", date(2018, 9, 10), time(9, 0), time(10, 30)),
        ["slots: MonA1 duration 120 disagrees with its desc 09:00-10:30; desc used"],
    )
