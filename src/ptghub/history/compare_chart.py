"""The comparison of two events as a chart: a grouped bar per figure, and its table
(each figure, its unit, both events' values and the difference, second minus first)."""

from __future__ import annotations

from ptghub.charts import Chart, bars
from ptghub.history.compare import Comparison, number, signed


def comparison_table(comparison: Comparison) -> list[tuple[str, str, str, str, str]]:
    """(label, unit, first, second, difference) of each figure, as people read them."""
    return [
        (r.label, r.unit, number(r.first), number(r.second), signed(r.difference))
        for r in comparison.rows
    ]


def exact(value: float) -> int | float:
    """A figure for the CSV: a whole number as an integer, else rounded to two decimals."""
    return int(value) if value == int(value) else round(value, 2)


def comparison_chart(comparison: Comparison) -> Chart:
    """The grouped bars of both events' figures; its CSV holds the numbers as numbers."""
    first, second = comparison.first, comparison.second
    rows = comparison.rows
    return bars(
        "compare",
        f"{first.name} and {second.name}",
        "; ".join(f"{r.label}: {number(r.first)} and {number(r.second)}" for r in rows) + ".",
        categories=[r.label for r in rows],
        series=[(first.name, [r.first for r in rows]), (second.name, [r.second for r in rows])],
        unit="",
        table=(
            ("figure", "unit", first.slug, second.slug, "difference"),
            [(r.label, r.unit, exact(r.first), exact(r.second), exact(r.difference)) for r in rows],
        ),
    )
