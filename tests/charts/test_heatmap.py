"""Heatmaps: a titled cell per value, gaps for None, the scale's colours, the CSV."""

from __future__ import annotations

import pytest

from ptghub.charts import Chart, heatmap
from tests.charts.helpers import HOSTILE, NS, cell_titles, ids, labelled, parse, tags, texts

DAYS = ["Mon", "Tue"]
HOURS = ["09:00", "10:00", "11:00"]
VALUES = [[0.0, 0.625, None], [1.0, 1 / 3, 0.5]]


def utilization(**options: object) -> Chart:
    return heatmap(
        "utilization",
        "Room utilization",
        "Rooms were used 62.5% of the time at 10:00 on Monday.",
        rows=DAYS,
        columns=HOURS,
        values=VALUES,
        legend="share of rooms used",
        **options,  # type: ignore[arg-type]
    )


def test_heatmap_root_is_an_image_labelled_by_its_title_and_desc() -> None:
    assert labelled(utilization().svg) == {
        "role": "img",
        "aria-labelledby": "chart-utilization-title chart-utilization-desc",
        "id": "chart-utilization",
        "width": "100%",
        "first": "title,desc",
        "title": "chart-utilization-title: Room utilization",
        "desc": "chart-utilization-desc: Rooms were used 62.5% of the time at 10:00 on Monday.",
    }


def test_heatmap_one_titled_cell_per_value_row_by_row_none_a_gap() -> None:
    assert cell_titles(utilization().svg) == [
        "Mon, 09:00: 0%",
        "Mon, 10:00: 62.5%",
        "Tue, 09:00: 100%",
        "Tue, 10:00: 33.3%",
        "Tue, 11:00: 50%",
    ]


def test_heatmap_cells_are_coloured_from_light_to_dark() -> None:
    fills = [
        cell.get("fill")
        for cell in parse(utilization().svg).iterfind(".//s:rect[@class='cell']", NS)
    ]

    assert fills == ["#deebf7", "#3686c0", "#08306b", "#8dc1dd", "#56a0ce"]


def test_heatmap_labels_and_legend() -> None:
    assert texts(utilization().svg) == [
        "share of rooms used",
        "0%",
        "100%",
        "blank: no value",
        *HOURS,
        *DAYS,
    ]


def test_heatmap_without_gaps_has_no_blank_legend() -> None:
    chart = heatmap("u", "t", "d", rows=["Mon"], columns=["09:00"], values=[[0.5]], legend="used")

    assert texts(chart.svg) == ["used", "0%", "100%", "09:00", "Mon"]


def test_heatmap_many_columns_label_every_kth() -> None:
    hours = [f"{h:02d}:00" for h in range(24)]
    chart = heatmap(
        "u", "t", "d", rows=["Monday"], columns=hours, values=[[0.5] * 24], legend="used"
    )

    assert texts(chart.svg) == ["used", "0%", "100%", *hours[::2], "Monday"]
    assert len(cell_titles(chart.svg)) == 24


def test_heatmap_long_row_label_is_cut_and_whole_in_its_title() -> None:
    name = "Wednesday, the sixth of April, in the afternoon and evening sessions"
    chart = heatmap("u", "t", "d", rows=[name], columns=["09:00"], values=[[0.5]], legend="used")
    label = parse(chart.svg).find(".//s:g[@class='axis y']/s:text", NS)

    assert label.text == "Wednesday, the sixth of April, in…"
    assert label.findtext("s:title", namespaces=NS) == name
    assert cell_titles(chart.svg) == [f"{name}, 09:00: 50%"]


def test_heatmap_csv_has_a_line_per_cell_with_a_value() -> None:
    assert utilization().csv() == (
        "row,column,share of rooms used\r\n"
        "Mon,09:00,0.0\r\n"
        "Mon,10:00,0.625\r\n"
        "Tue,09:00,1.0\r\n"
        "Tue,10:00,0.3333333333333333\r\n"
        "Tue,11:00,0.5\r\n"
    )


def test_heatmap_table_overrides_the_csv() -> None:
    chart = utilization(table=(["day", "hour", "planned", "free"], [["Mon", "09:00", 0, 4]]))

    assert chart.csv() == "day,hour,planned,free\r\nMon,09:00,0,4\r\n"


def test_heatmap_ids_come_from_the_key() -> None:
    assert ids(utilization().svg) == [
        "chart-utilization",
        "chart-utilization-title",
        "chart-utilization-desc",
        "chart-utilization-scale",
    ]


def test_heatmap_user_text_is_escaped() -> None:
    chart = heatmap(
        "hostile",
        HOSTILE,
        HOSTILE,
        rows=[HOSTILE],
        columns=[HOSTILE],
        values=[[1.0]],
        legend=HOSTILE,
    )

    assert cell_titles(chart.svg) == [f"{HOSTILE}, {HOSTILE}: 100%"]
    assert texts(chart.svg) == [HOSTILE, "0%", "100%", HOSTILE, HOSTILE]
    assert "<script>" not in chart.svg


def test_heatmap_no_style_script_or_comment_and_same_bytes() -> None:
    assert {"style", "script"} & tags(utilization().svg) == set()
    assert "<!--" not in utilization().svg
    assert utilization().svg == utilization().svg


def test_heatmap_no_rows_says_no_data() -> None:
    chart = heatmap(
        "u",
        "Room utilization",
        "Nothing planned.",
        rows=[],
        columns=HOURS,
        values=[],
        legend="used",
    )

    assert texts(chart.svg) == ["No data"]
    assert labelled(chart.svg)["desc"] == "chart-u-desc: Nothing planned."
    assert chart.csv() == "row,column,used\r\n"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([[0.5]], "a heatmap of 2 rows and 3 columns needs 2 lists of 3 values"),
        ([[0.5, 0.5, 0.5], [0.5, 1.5, 0.5]], "a heatmap value must be between 0 and 1, not 1.5"),
    ],
)
def test_heatmap_refuses_values_of_another_shape_or_out_of_range(
    values: list[list[float]], message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        heatmap("u", "t", "d", rows=DAYS, columns=HOURS, values=values, legend="used")

    assert str(refused.value) == message
