"""The JSON codec of domain values: every domain event survives encode, JSON and decode."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptghub.core.codec import decode, encode
from ptghub.core.events import (
    EVENT_TYPES,
    CellChanged,
    DomainEvent,
    EventCreated,
    PresenceChanged,
    TopicsChanged,
)
from ptghub.core.model import (
    Cell,
    CellStatus,
    EventFormat,
    EventInfo,
    Presence,
    Room,
    Social,
    Topics,
)
from tests.support import small_event

EVENT_CLASSES = sorted(EVENT_TYPES.values(), key=lambda cls: cls.kind)


def _round_trip(event: DomainEvent) -> DomainEvent:
    return DomainEvent.from_json(json.loads(json.dumps(event.to_json())))


def _subclasses(cls: type[DomainEvent]) -> list[type[DomainEvent]]:
    found: list[type[DomainEvent]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_event_types_cover_every_domain_event() -> None:
    # slots=True makes a second class per event; EVENT_TYPES keeps the one in use.
    assert {cls.kind for cls in _subclasses(DomainEvent)} == set(EVENT_TYPES)
    assert all(isinstance(cls.kind, str) and cls.kind for cls in _subclasses(DomainEvent))
    assert len(EVENT_TYPES) == 25


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=[cls.kind for cls in EVENT_CLASSES])
@settings(max_examples=30, database=None, deadline=None)
@given(data=st.data())
def test_codec_round_trips_every_event_type(cls: type[DomainEvent], data: st.DataObject) -> None:
    event = data.draw(st.from_type(cls))
    assert _round_trip(event) == event


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=[cls.kind for cls in EVENT_CLASSES])
@settings(max_examples=15, database=None, deadline=None)
@given(data=st.data())
def test_inverse_of_inverse_is_the_event(cls: type[DomainEvent], data: st.DataObject) -> None:
    event = data.draw(st.from_type(cls))
    inverse = event.inverse()
    if cls is EventCreated:
        assert inverse is None
    else:
        assert inverse is not None and inverse.inverse() == event


def test_codec_round_trips_the_small_event() -> None:
    events = small_event()
    assert [_round_trip(e) for e in events] == events


def test_to_json_names_the_type_and_every_field() -> None:
    event = CellChanged("austin", "mona1", Cell(CellStatus.FREE), Cell(CellStatus.BOOKED, "nova"))
    assert event.to_json() == {
        "type": "cell-changed",
        "room": "austin",
        "slot": "mona1",
        "old": {"status": "free", "team": None},
        "new": {"status": "booked", "team": "nova"},
    }


def test_encode_tuples_as_lists_and_times_as_iso() -> None:
    event = TopicsChanged("nova", Topics(), Topics("now", ("a", "b"), None))
    assert event.to_json()["new"] == {"now": "now", "next": ["a", "b"], "location": None}
    presence = Presence("alice", "#nova", datetime(2022, 4, 4, 13, 30, tzinfo=UTC))
    assert encode(presence)["checked_in"] == "2022-04-04T13:30:00+00:00"
    assert encode(time(9, 5)) == "09:05:00"


def test_decode_keeps_aware_datetimes_aware() -> None:
    moment = datetime(2022, 4, 4, 13, 30, 15, 123456, tzinfo=UTC)
    event = PresenceChanged("alice", None, Presence("alice", "#nova", moment, moment))
    decoded = _round_trip(event)
    assert isinstance(decoded, PresenceChanged) and decoded.new is not None
    assert (decoded, decoded.new.checked_in.utcoffset()) == (event, UTC.utcoffset(None))


def test_codec_round_trips_nested_tuples() -> None:
    info = EventInfo(
        slug="ptg",
        name="PTG",
        start=date(2022, 4, 4),
        end=date(2022, 4, 8),
        timezone="Europe/Berlin",
        format=EventFormat.HYBRID,
        contact="x@example.org",
        pages=(("about", "About <b>us</b>"), ("faq", "")),
        links=(("Docs", "https://docs.example.org"),),
        socials=(Social("Game night", datetime(2022, 4, 5, 18, tzinfo=UTC),
                        datetime(2022, 4, 5, 20, tzinfo=UTC), None, "Bring dice"),),
    )  # fmt: skip
    assert decode(EventInfo, json.loads(json.dumps(encode(info)))) == info


def test_encode_sorts_sets() -> None:
    assert encode({"b", "a", "c"}) == ["a", "b", "c"]


def test_encode_refuses_unknown_types() -> None:
    with pytest.raises(TypeError) as error:
        encode(object())
    assert str(error.value) == "cannot encode object"


def test_decode_of_an_audit_row_older_than_a_field_gives_its_default() -> None:
    # RoomAdded as the audit log held it before rooms had a capability.
    old = {"name": "Aspen", "capacity": 10, "video_url": None, "description": "", "bookable": True}
    assert decode(Room, old) == Room("Aspen", 10)
