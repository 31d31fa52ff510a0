"""Bar charts: accessible SVG, one titled element per value, the CSV, escaping."""

from __future__ import annotations

import pytest

from ptghub.charts import Chart, bars
from tests.charts.helpers import HOSTILE, bar_titles, ids, labelled, parse, tags, texts

TEAMS = ["Nova", "Cinder", "Swift"]
SERIES = [("planned", [12.0, 6.0, 3.5]), ("used", [10.0, 0.0, 1.25])]


def hours(**options: object) -> Chart:
    return bars(
        "team-hours",
        "Hours per team",
        "Nova planned 12 h and used 10 h.",
        categories=TEAMS,
        series=SERIES,
        unit="h",
        **options,  # type: ignore[arg-type]
    )


def test_bars_root_is_an_image_labelled_by_its_title_and_desc() -> None:
    chart = hours()

    assert labelled(chart.svg) == {
        "role": "img",
        "aria-labelledby": "chart-team-hours-title chart-team-hours-desc",
        "id": "chart-team-hours",
        "width": "100%",
        "first": "title,desc",
        "title": "chart-team-hours-title: Hours per team",
        "desc": "chart-team-hours-desc: Nova planned 12 h and used 10 h.",
    }
    assert parse(chart.svg).get("viewBox").startswith("0 0 800 ")
    assert not chart.svg.startswith("<?xml")


def test_bars_one_titled_bar_per_value_series_by_series_in_the_given_order() -> None:
    expected = [
        "Nova, planned: 12 h",
        "Cinder, planned: 6 h",
        "Swift, planned: 3.5 h",
        "Nova, used: 10 h",
        "Cinder, used: 0 h",
        "Swift, used: 1.25 h",
    ]

    assert bar_titles(hours().svg) == expected
    assert bar_titles(hours(stacked=True).svg) == expected
    assert bar_titles(hours(horizontal=False).svg) == expected
    assert bar_titles(hours(stacked=True, horizontal=False).svg) == expected


def test_bars_axes_and_legend_show_categories_values_with_unit_and_series() -> None:
    scale = [f"{n} h" for n in range(13)]

    assert texts(hours(horizontal=False).svg) == [*scale, *TEAMS, "planned", "used"]
    # Horizontal: the category axis' labels are written bottom (Swift) to top (Nova).
    assert texts(hours().svg) == [*reversed(TEAMS), *scale, "planned", "used"]


def test_bars_long_unit_names_the_axis_once() -> None:
    chart = bars(
        "people", "People", "d", categories=["Nova"], series=[("people", [3])], unit="people"
    )

    assert bar_titles(chart.svg) == ["Nova, people: 3 people"]
    # Whole values: whole ticks; the unit names the axis, then the legend names the series.
    assert texts(chart.svg) == ["Nova", "0", "1", "2", "3", "people", "people"]


def test_bars_csv_has_a_row_per_category_and_a_column_per_series() -> None:
    chart = hours()

    assert chart.columns == ("category", "planned", "used")
    assert chart.rows == (("Nova", 12.0, 10.0), ("Cinder", 6.0, 0.0), ("Swift", 3.5, 1.25))
    assert chart.csv() == (
        "category,planned,used\r\nNova,12.0,10.0\r\nCinder,6.0,0.0\r\nSwift,3.5,1.25\r\n"
    )


def test_bars_table_overrides_the_csv() -> None:
    chart = hours(table=(["team", "wanted (min)"], [["Nova", 720], ["Cinder, Swift", 30]]))

    assert chart.csv() == 'team,wanted (min)\r\nNova,720\r\n"Cinder, Swift",30\r\n'
    assert bar_titles(chart.svg)[0] == "Nova, planned: 12 h"


def test_bars_user_text_is_escaped() -> None:
    chart = bars(
        "hostile",
        f"Hours {HOSTILE}",
        f"About {HOSTILE}",
        categories=[HOSTILE],
        series=[(f"series {HOSTILE}", [2])],
        unit="h",
    )

    assert bar_titles(chart.svg) == [f"{HOSTILE}, series {HOSTILE}: 2 h"]
    assert labelled(chart.svg)["title"] == f"chart-hostile-title: Hours {HOSTILE}"
    assert labelled(chart.svg)["desc"] == f"chart-hostile-desc: About {HOSTILE}"
    assert "<script>" not in chart.svg
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co' in chart.svg
    assert tags(chart.svg) == tags(hours().svg)


def test_bars_no_style_script_comment_or_foreign_id() -> None:
    chart = hours()

    assert {"style", "script", "foreignObject"} & tags(chart.svg) == set()
    assert "<!--" not in chart.svg
    assert ids(chart.svg) == ["chart-team-hours", "chart-team-hours-title", "chart-team-hours-desc"]


def test_bars_same_input_gives_the_same_bytes() -> None:
    assert hours().svg == hours().svg
    assert hours(stacked=True).svg == hours(stacked=True).svg


def test_bars_no_categories_says_no_data() -> None:
    chart = bars(
        "empty", "Hours per team", "No team yet.", categories=[], series=[("x", [])], unit="h"
    )

    assert texts(chart.svg) == ["No data"]
    assert labelled(chart.svg)["title"] == "chart-empty-title: Hours per team"
    assert bar_titles(chart.svg) == []
    assert chart.csv() == "category,x\r\n"


def test_bars_no_series_says_no_data() -> None:
    chart = bars("empty", "Hours", "Nothing.", categories=["Nova"], series=[], unit="h")

    assert texts(chart.svg) == ["No data"]
    assert chart.csv() == "category\r\nNova\r\n"


def test_bars_refuses_a_series_of_another_length() -> None:
    with pytest.raises(ValueError) as refused:
        bars("k", "t", "d", categories=TEAMS, series=[("planned", [1.0])], unit="h")

    assert str(refused.value) == (
        "series 'planned' has 1 values for 3 categories: a bar chart needs one value per category"
    )
