"""Bar charts: one bar per category and series, grouped or stacked, pygal-drawn.

Each bar is a ``<g class="bar">`` whose ``<title>`` says its exact value,
"Nova, planned: 12 h", which a pointer shows without script. In the markup the bars
come series by series in the order given, each series' categories in the order given
(also when horizontal, where pygal draws the first category at the bottom: ours is at
the top, where reading starts, and the markup is put back in the given order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ptghub.charts import markup, pygal_render, theme
from ptghub.charts.chart import Cell, Chart, Table, as_table, check_key, with_unit


def bars(
    key: str,
    title: str,
    description: str,
    *,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: str,
    stacked: bool = False,
    horizontal: bool = True,
    table: Table | None = None,
) -> Chart:
    """A bar chart of ``series`` (name, one value per category) over ``categories``.

    ``unit`` follows each value ("12 h"; "" for a bare count). Horizontal charts grow
    with the number of categories, so 40 teams keep readable names. The CSV (unless
    ``table`` gives one) has a row per category: the category, then each series' value.
    With no categories (or no series) the chart says "No data".
    """
    check_key(key)
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(categories)} "
                f"categories: a bar chart needs one value per category"
            )
    svg = _svg(key, title, description, list(categories), series, unit, stacked, horizontal)
    columns, rows = as_table(table) if table is not None else _table(categories, series)
    return Chart(key, title, description, svg, columns, rows)


def _table(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...]]:
    columns = ("category", *(name for name, _ in series))
    rows: list[tuple[Cell, ...]] = [
        (category, *(values[i] for _, values in series)) for i, category in enumerate(categories)
    ]
    return columns, tuple(rows)


def _svg(
    key: str,
    title: str,
    description: str,
    categories: list[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: str,
    stacked: bool,
    horizontal: bool,
) -> str:
    root_kind = f"bars-chart {'horizontal' if horizontal else 'vertical'}"
    if not categories or not series:
        return markup.no_data(key=key, title=title, description=description, kind=root_kind)
    pygal = pygal_render.load_pygal()
    legend = [name for name, _ in series]
    kind = {
        (False, False): pygal.Bar,
        (False, True): pygal.HorizontalBar,
        (True, False): pygal.StackedBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(stacked, horizontal)]
    options: dict[str, Any] = {"show_x_guides": False, "show_y_guides": True}
    if stacked:
        heights = [sum(values[i] for _, values in series) for i in range(len(categories))]
    else:
        heights = [value for _, values in series for value in values]
    options.update(pygal_render.whole_ticks(heights))
    if horizontal:
        # A band per category, thick enough for each of its bars (side by side when
        # grouped, one when stacked) and its label.
        per_band = 1 if stacked else max(1, len(series))
        band = max(2 * theme.LABEL_FONT_SIZE, 9 * per_band + 8)
        top = pygal_render.config(unit="", height=0, legend=legend)["margin_top"]
        height = top + band * len(categories) + (40 if len(unit) <= 2 else 64)
    else:
        height = 420
        widest = max((theme.text_width(c, theme.LABEL_FONT_SIZE) for c in categories), default=0)
        room = (theme.WIDTH - 120) / max(1, len(categories))
        if widest > room - 4:
            options["x_label_rotation"] = 30
    chart = kind(
        **pygal_render.config(
            unit=unit, height=height, legend=legend, horizontal=horizontal, **options
        )
    )
    # Horizontal: pygal puts the first category at the bottom; reversed, it is on top.
    order = list(reversed(range(len(categories)))) if horizontal else list(range(len(categories)))
    chart.x_labels = [categories[i] for i in order]
    for name, values in series:
        chart.add(
            name,
            [
                {
                    "value": float(values[i]),
                    "tooltip": f"{categories[i]}, {name}: {with_unit(values[i], unit)}",
                }
                for i in order
            ],
        )
    return pygal_render.render(
        chart,
        key=key,
        title=title,
        description=description,
        legend=legend,
        kind=root_kind,
        arrange=_in_given_order if horizontal else None,
    )


def _in_given_order(root: markup.Element) -> None:
    """Put a horizontal chart's series and bars back in the given order.

    pygal writes the series of a horizontal chart last first, and we gave it the
    categories reversed; drawing order does not matter (bars never overlap), reading
    order does.
    """
    for plot in root.iter():
        if not isinstance(plot.tag, str) or "plot" not in plot.get("class", "").split():
            continue
        groups = [g for g in plot if "series" in g.get("class", "").split()]
        for group in groups:
            plot.remove(group)
            for bars_group in group:
                bars_group[:] = list(reversed(bars_group))
        plot.extend(sorted(groups, key=_series_index))


def _series_index(group: markup.Element) -> int:
    for name in group.get("class", "").split():
        if name.startswith("serie-"):
            return int(name.removeprefix("serie-"))
    return 0
