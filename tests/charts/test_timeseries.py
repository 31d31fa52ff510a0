"""Time series: a titled dot per value, labels thinned to fit, the CSV."""

from __future__ import annotations

from ptghub.charts import Chart, timeseries
from tests.charts.helpers import HOSTILE, dot_titles, ids, labelled, tags, texts

LABELS = ["Mon 09:00", "Mon 10:00", "Mon 11:00"]


def checkins(**options: object) -> Chart:
    return timeseries(
        "checkins",
        "Check-ins over time",
        "At most 12 people were checked in, on Monday at 10:00.",
        labels=LABELS,
        series=[("people", [3, 12, 0]), ("check-ins", [4, 15, 0])],
        unit="people",
        **options,  # type: ignore[arg-type]
    )


def test_timeseries_root_is_an_image_labelled_by_its_title_and_desc() -> None:
    assert labelled(checkins().svg) == {
        "role": "img",
        "aria-labelledby": "chart-checkins-title chart-checkins-desc",
        "id": "chart-checkins",
        "width": "100%",
        "first": "title,desc",
        "title": "chart-checkins-title: Check-ins over time",
        "desc": "chart-checkins-desc: At most 12 people were checked in, on Monday at 10:00.",
    }


def test_timeseries_one_titled_dot_per_value_series_by_series() -> None:
    assert dot_titles(checkins().svg) == [
        "Mon 09:00, people: 3 people",
        "Mon 10:00, people: 12 people",
        "Mon 11:00, people: 0 people",
        "Mon 09:00, check-ins: 4 people",
        "Mon 10:00, check-ins: 15 people",
        "Mon 11:00, check-ins: 0 people",
    ]


def test_timeseries_axes_legend_and_whole_ticks() -> None:
    # Whole values: ticks at whole steps (2 up to 16, the step's first past 15); the unit
    # names the axis; the legend names the series.
    assert texts(checkins().svg) == [
        *(str(n) for n in range(0, 17, 2)),
        *LABELS,
        "people",
        "people",
        "check-ins",
    ]


def test_timeseries_many_labels_show_every_kth() -> None:
    labels = [f"{day} {hour:02d}:00" for day in ("Mon", "Tue", "Wed") for hour in range(24)]
    chart = timeseries("t", "t", "d", labels=labels, series=[("h", [1.5] * len(labels))], unit="h")

    assert texts(chart.svg)[-7:] == [
        "Mon 00:00",
        "Mon 12:00",
        "Tue 00:00",
        "Tue 12:00",
        "Wed 00:00",
        "Wed 12:00",
        "h",
    ]
    assert len(dot_titles(chart.svg)) == 72


def test_timeseries_csv_has_a_row_per_label() -> None:
    assert checkins().csv() == (
        "label,people,check-ins\r\nMon 09:00,3,4\r\nMon 10:00,12,15\r\nMon 11:00,0,0\r\n"
    )


def test_timeseries_user_text_is_escaped_ids_from_key_no_style_or_script() -> None:
    chart = timeseries(
        "hostile", HOSTILE, HOSTILE, labels=[HOSTILE], series=[(HOSTILE, [1])], unit=""
    )

    assert dot_titles(chart.svg) == [f"{HOSTILE}, {HOSTILE}: 1"]
    assert "<script>" not in chart.svg
    assert {"style", "script"} & tags(chart.svg) == set()
    assert ids(chart.svg) == ["chart-hostile", "chart-hostile-title", "chart-hostile-desc"]


def test_timeseries_same_input_gives_the_same_bytes() -> None:
    assert checkins().svg == checkins().svg


def test_timeseries_no_labels_says_no_data() -> None:
    chart = timeseries(
        "t", "Check-ins", "None yet.", labels=[], series=[("people", [])], unit="people"
    )

    assert texts(chart.svg) == ["No data"]
    assert chart.csv() == "label,people\r\n"
