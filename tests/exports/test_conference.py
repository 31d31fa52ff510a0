"""The conference view shared by schedule.xml and the c3voc JSON: ids, acronym, colours."""

from __future__ import annotations

import uuid

from ptghub.exports.conference import ID_SPACE, acronym, hex_color, numeric_ids


def test_numeric_ids_derive_from_the_guid() -> None:
    guid = uuid.UUID(int=12345)
    assert numeric_ids([guid]) == {guid: 12346}


def test_numeric_ids_collision_goes_to_the_next_free_number_by_guid_order() -> None:
    first, second, third = (uuid.UUID(int=5), uuid.UUID(int=5 + ID_SPACE), uuid.UUID(int=6))
    assert numeric_ids([third, second, first]) == {first: 6, third: 7, second: 8}


def test_numeric_ids_wrap_around_at_the_top_of_the_range() -> None:
    low, high = uuid.UUID(int=ID_SPACE - 1), uuid.UUID(int=2 * ID_SPACE - 1)
    assert numeric_ids([low, high]) == {low: ID_SPACE, high: 1}


def test_acronym_uses_only_what_both_schemas_accept() -> None:
    assert [acronym(s) for s in ("ptg-2022-04", "PTG.x", "ab")] == [
        "ptg_2022_04",
        "ptg_x",
        "ab__",
    ]


def test_hex_color_normalises_css_colours_or_gives_none() -> None:
    colours = ["#ABC", "red", "#123456", "rgb(1, 2, 3)", "#11223344", None]
    assert [hex_color(c) for c in colours] == ["#aabbcc", "#ff0000", "#123456", None, None, None]
