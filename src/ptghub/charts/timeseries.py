"""Time series: a line per series over labelled points in time, pygal-drawn.

Each point is a dot in a ``<g class="dots">`` whose ``<title>`` says its exact value,
"Tue 14:00, people checked in: 12 people". In the markup the dots come series by series
in the order given, each in the order of ``labels``. When the labels do not all fit
under the axis, every k-th is shown, k a step that suits hours and days (2, 3, 4, 6,
12, 24, ...), so five days of hours show at 00:00 and 12:00, say; every point keeps its
own label in its title.
"""

from __future__ import annotations

from collections.abc import Sequence

from ptghub.charts import markup, pygal_render, theme
from ptghub.charts.chart import Chart, Table, as_table, check_key, with_unit

HEIGHT = 420


def timeseries(
    key: str,
    title: str,
    description: str,
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: str,
    table: Table | None = None,
) -> Chart:
    """A line chart of ``series`` (name, one value per label) over ``labels`` in order.

    The CSV (unless ``table`` gives one) has a row per label: the label, then each
    series' value. With no labels (or no series) the chart says "No data".
    """
    check_key(key)
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(labels)} labels: "
                f"a time series needs one value per label"
            )
    svg = _svg(key, title, description, list(labels), series, unit)
    if table is not None:
        columns, rows = as_table(table)
    else:
        columns = ("label", *(name for name, _ in series))
        rows = tuple(
            (label, *(values[i] for _, values in series)) for i, label in enumerate(labels)
        )
    return Chart(key, title, description, svg, columns, rows)


def _svg(
    key: str,
    title: str,
    description: str,
    labels: list[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: str,
) -> str:
    if not labels or not series:
        return markup.no_data(
            key=key, title=title, description=description, kind="timeseries-chart"
        )
    pygal = pygal_render.load_pygal()
    legend = [name for name, _ in series]
    step = theme.label_step(labels, theme.WIDTH - 110)
    chart = pygal.Line(
        **pygal_render.config(
            unit=unit,
            height=HEIGHT,
            legend=legend,
            show_x_guides=False,
            show_y_guides=True,
            dots_size=3.5,
            x_labels_major_every=step,
            show_minor_x_labels=step == 1,
            truncate_label=-1,
            include_x_axis=True,
            **pygal_render.whole_ticks(value for _, values in series for value in values),
        )
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(
            name,
            [
                {"value": float(value), "tooltip": f"{label}, {name}: {with_unit(value, unit)}"}
                for label, value in zip(labels, values, strict=True)
            ],
        )
    return pygal_render.render(
        chart,
        key=key,
        title=title,
        description=description,
        legend=legend,
        kind="timeseries-chart",
    )
