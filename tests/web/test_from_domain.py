"""Output models read from domain objects: by attribute, with given values, pairs and zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from pydantic import Field, ValidationError

from ptghub.web.from_domain import FromDomain, FromPair, LocalMoment, Moment, UtcMoment


@dataclass(frozen=True, slots=True)
class Talk:
    title: str
    room: str
    starts: datetime
    secret: str = "never shown"


class TalkOut(FromDomain):
    title: str
    speaker: str
    starts: LocalMoment
    starts_utc: UtcMoment = Field(validation_alias="starts")


class CountOut(FromPair):
    place: str
    count: int


TALK = Talk("Quotas", "Austin", datetime(2022, 4, 4, 18, 0, tzinfo=UTC))


def test_fields_are_read_by_attribute_and_values_stand_in_for_what_the_object_lacks() -> None:
    out = TalkOut.read(TALK, zone="America/Chicago", speaker="alice")

    assert out.model_dump(mode="json") == {
        "title": "Quotas",
        "speaker": "alice",
        "starts": "2022-04-04T13:00:00-05:00",
        "starts_utc": "2022-04-04T18:00:00+00:00",
    }


def test_a_given_value_overrides_the_attribute_of_the_same_name() -> None:
    assert TalkOut.read(TALK, zone="UTC", speaker="bob", title="Cells").title == "Cells"


def test_a_field_the_object_lacks_and_no_value_gives_is_an_error() -> None:
    with pytest.raises(ValidationError, match="speaker"):
        TalkOut.read(TALK, zone="UTC")


def test_a_pair_is_read_in_field_order() -> None:
    assert CountOut.read(("Lobby", 3)) == CountOut(place="Lobby", count=3)


def test_a_pair_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        CountOut.read(("Lobby", 3, "extra"))


def test_moments_keep_an_explicit_utc_offset_rather_than_z() -> None:
    class At(FromDomain):
        at: Moment

    assert At(at=TALK.starts).model_dump_json() == '{"at":"2022-04-04T18:00:00+00:00"}'
