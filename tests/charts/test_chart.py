"""Chart: the CSV's format, keys, and how values are written."""

from __future__ import annotations

import pytest

from ptghub.charts import Chart
from ptghub.charts.chart import check_key, number, percent, with_unit


def test_chart_csv_is_rfc_4180_with_header_and_crlf() -> None:
    chart = Chart(
        key="k",
        title="t",
        description="d",
        svg="<svg/>",
        columns=("team", "note", "hours"),
        rows=(("Nova, Cinder", 'say "hi"', 1.5), ("Line\nbreak", "", 2)),
    )

    assert chart.csv() == (
        'team,note,hours\r\n"Nova, Cinder","say ""hi""",1.5\r\n"Line\nbreak",,2\r\n'
    )


def test_chart_csv_makes_text_formulas_inert_and_keeps_numbers() -> None:
    chart = Chart(
        key="k",
        title="t",
        description="d",
        svg="<svg/>",
        columns=("team", "=hours"),
        rows=(
            ('=HYPERLINK("http://x")', -3),
            ("+1", -1.5),
            ("-ops", 0),
            ("@sum", 1),
            ("\tTab", 2),
            ("a=b", 3),
        ),
    )

    assert chart.csv() == (
        "team,'=hours\r\n"
        '"\'=HYPERLINK(""http://x"")",-3\r\n'
        "'+1,-1.5\r\n"
        "'-ops,0\r\n"
        "'@sum,1\r\n"
        "'\tTab,2\r\n"
        "a=b,3\r\n"
    )


@pytest.mark.parametrize("key", ["utilization", "team-hours", "checkins_2", "a1"])
def test_check_key_accepts_url_safe_names(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["", "Team", "a b", "a/b", "-a", "a-", "a--b", "é"])
def test_check_key_refuses_other_names(key: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_key(key)

    assert str(refused.value) == (
        "a chart key must be lower-case letters and digits joined by '-' or '_' "
        f"(it names the CSV file and the SVG's ids), not {key!r}"
    )


def test_number_and_unit_are_written_short() -> None:
    assert [number(v) for v in (12, 12.0, 1.5, 1 / 3, 2.005, -0.001, 1000000)] == [
        "12",
        "12",
        "1.5",
        "0.33",
        "2",
        "0",
        "1000000",
    ]
    assert [with_unit(12, "h"), with_unit(12.5, "%"), with_unit(3, "")] == ["12 h", "12.5%", "3"]
    assert [percent(v) for v in (0, 0.625, 1 / 3, 1)] == ["0%", "62.5%", "33.3%", "100%"]
