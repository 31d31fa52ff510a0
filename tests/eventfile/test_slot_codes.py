"""Slot codes of loaded event files: weekday and name, in time order, the day of the
month when a weekday repeats, and the schedule's codes and whole-day unavailability."""

from __future__ import annotations

from ptghub.core.events import (
    CellChanged,
    SlotAdded,
)
from ptghub.core.model import (
    Cell,
    CellStatus,
)
from tests.eventfile.test_load import HEADER, load, slot_codes


def test_slot_codes_use_weekday_and_name_in_chronological_order() -> None:
    text = (
        HEADER.replace("end: 2022-04-05", "end: 2022-04-08")
        + "slots:\n"
        + '  - {name: 14h, start: "14:00", end: "15:00"}\n'
        + '  - {name: 9h, start: "09:00", end: "10:00"}\n'
        + "rooms: []\nteams: []\n"
    )
    assert slot_codes(text) == [
        "Mon-9h", "Mon-14h", "Tue-9h", "Tue-14h", "Wed-9h", "Wed-14h",
        "Thu-9h", "Thu-14h", "Fri-9h", "Fri-14h",
    ]  # fmt: skip


def test_slot_codes_repeated_weekday_add_day_of_month() -> None:
    text = (
        HEADER.replace("start: 2022-04-04", "start: 2022-03-30").replace(
            "end: 2022-04-05", "end: 2022-04-06"
        )
        + 'slots: [{name: A1, start: "13:00", end: "14:00"}]\n'
        + "rooms: [{name: Austin, unavailable: [Wed30]}]\n"
        + "teams: [{slug: nova, name: Nova}]\n"
        + "schedule: {Austin: {wed06-a1: nova}}\n"
    )
    events = load(text)
    codes = [e.slot.code for e in events if isinstance(e, SlotAdded)]
    assert codes == [
        "Wed30-A1", "Thu31-A1", "Fri01-A1", "Sat02-A1", "Sun03-A1", "Mon04-A1", "Tue05-A1",
        "Wed06-A1",
    ]  # fmt: skip
    cells = [(e.slot, e.new) for e in events if isinstance(e, CellChanged)]
    assert cells[0] == ("thu31a1", Cell(CellStatus.FREE))
    assert cells[-1] == ("wed06a1", Cell(CellStatus.PLANNED, "nova"))
    assert len(cells) == 7


def test_slot_codes_seven_days_keep_short_form() -> None:
    text = (
        HEADER.replace("end: 2022-04-05", "end: 2022-04-10")
        + 'slots: [{name: A, start: "13:00", end: "14:00"}]\n'
        + "rooms: []\nteams: []\n"
    )
    assert slot_codes(text) == ["Mon-A", "Tue-A", "Wed-A", "Thu-A", "Fri-A", "Sat-A", "Sun-A"]


def test_slot_codes_days_override_default_slots() -> None:
    text = (
        HEADER.replace("end: 2022-04-05", "end: 2022-04-07")
        + 'slots: [{name: A, start: "13:00", end: "14:00"}]\n'
        + "days:\n"
        + "  - {date: 2022-04-05, slots: []}\n"
        + '  - {date: 2022-04-06, slots: [{name: Z, start: "08:00", end: "08:30"}]}\n'
        + "rooms: []\nteams: []\n"
    )
    assert slot_codes(text) == ["Mon-A", "Wed-Z", "Thu-A"]


def test_schedule_codes_compare_through_slot_key() -> None:
    text = (
        HEADER
        + 'slots: [{name: A1, start: "13:00", end: "14:00"}]\n'
        + "rooms: [{name: Austin}]\n"
        + "teams: [{slug: Nova, name: Nova}]\n"
        + "schedule: {austin: {MONA1: NOVA, tue-a1: nova}}\n"
    )
    cells = [e.new for e in load(text) if isinstance(e, CellChanged)]
    assert cells == [Cell(CellStatus.PLANNED, "nova"), Cell(CellStatus.PLANNED, "nova")]


def test_unavailable_whole_day_removes_its_cells() -> None:
    text = (
        HEADER
        + 'slots: [{name: A, start: "13:00", end: "14:00"}, {name: B, start: "14:00", '
        + 'end: "15:00"}]\n'
        + "rooms: [{name: Austin, unavailable: [mon]}, {name: Bexar, unavailable: [Tue-B]}]\n"
        + "teams: []\n"
    )
    cells = [(e.room, e.slot) for e in load(text) if isinstance(e, CellChanged)]
    assert cells == [("austin", "tuea"), ("austin", "tueb"), ("bexar", "mona"), ("bexar", "monb"),
                     ("bexar", "tuea")]  # fmt: skip
