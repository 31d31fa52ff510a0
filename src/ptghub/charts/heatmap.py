"""Heatmaps: a grid of shares in 0..1, drawn here as SVG ``<rect>``s in pygal's look.

pygal has no heatmap chart (its charts are bars, lines, pies, gauges, boxes, dots,
funnels, radars, treemaps and world maps; a treemap sizes areas by value, a dot chart
sizes dots, neither keeps a fixed grid), so this module draws one with the same theme,
fonts and CSS classes as the pygal charts (``axis x`` / ``axis y`` labels, ``legends``,
``no_data``), so ``charts.css`` styles both alike.

Each cell is a ``<rect class="cell">`` filled from the theme's scale (light: little
used, dark: much), with a ``<title>`` child saying its exact value, "Tue, 14:00:
62.5%". The cells come row by row, left to right. A value of ``None`` is no cell: a
gap (the legend then says what a blank means). Above the grid: the legend (its name,
the scale from 0% to 100%), the column labels (every k-th when they do not all fit);
at the left, the row labels (cut with "…" past a third of the width, whole in their
``<title>``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ptghub.charts import markup, theme
from ptghub.charts.chart import Cell, Chart, Table, as_table, check_key, percent

SCALE_WIDTH = 140
ROW_LABEL_LIMIT = theme.WIDTH / 3


def heatmap(
    key: str,
    title: str,
    description: str,
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    legend: str,
    table: Table | None = None,
) -> Chart:
    """A heatmap of ``values[r][c]`` (a share in 0..1, or None: no cell).

    ``legend`` names the scale ("share of rooms used"). The CSV (unless ``table`` gives
    one) has a line per cell that has a value: its row label, column label and value,
    the value's column named by ``legend``. With no rows or columns the chart says
    "No data".
    """
    check_key(key)
    if len(values) != len(rows) or any(len(line) != len(columns) for line in values):
        raise ValueError(
            f"a heatmap of {len(rows)} rows and {len(columns)} columns needs "
            f"{len(rows)} lists of {len(columns)} values"
        )
    for line in values:
        for value in line:
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"a heatmap value must be between 0 and 1, not {value!r}")
    svg = _svg(key, title, description, list(rows), list(columns), values, legend)
    if table is not None:
        table_columns, table_rows = as_table(table)
    else:
        table_columns = ("row", "column", legend)
        cells: list[tuple[Cell, ...]] = [
            (row, column, value)
            for row, line in zip(rows, values, strict=True)
            for column, value in zip(columns, line, strict=True)
            if value is not None
        ]
        table_rows = tuple(cells)
    return Chart(key, title, description, svg, table_columns, table_rows)


def _svg(
    key: str,
    title: str,
    description: str,
    rows: list[str],
    columns: list[str],
    values: Sequence[Sequence[float | None]],
    legend: str,
) -> str:
    prefix = f"chart-{key}"
    margin, font = theme.MARGIN, theme.LABEL_FONT_SIZE
    if not rows or not columns:
        return markup.no_data(key=key, title=title, description=description, kind="heatmap-chart")

    labels = [_cut(row) for row in rows]
    label_width = max(theme.text_width(label, font) for label in labels)
    left = margin + label_width + 8
    cell_width = (theme.WIDTH - left - margin) / len(columns)
    cell_height = min(max(cell_width * 0.8, 16.0), 36.0)
    legend_top = margin
    columns_top = legend_top + markup.LEGEND_LINE + 10
    grid_top = columns_top + font + 6
    height = grid_top + cell_height * len(rows) + margin

    root = markup.new_root(theme.WIDTH, height)
    root.set("class", f"{markup.ROOT_CLASS} heatmap-chart")
    defs = markup.node(root, "defs")
    gradient = markup.node(defs, "linearGradient", id=f"{prefix}-scale")
    for index, color in enumerate(theme.SCALE_STOPS):
        offset = index / (len(theme.SCALE_STOPS) - 1)
        markup.node(gradient, "stop", offset=offset, **{"stop-color": color})
    graph = markup.node(root, "g", class_="graph heatmap")
    markup.node(graph, "rect", x=0, y=0, width=theme.WIDTH, height=height, class_="background")
    gaps = any(value is None for line in values for value in line)
    _legend(graph, legend, gaps, prefix=prefix, x=margin, y=legend_top)

    axis_x = markup.node(graph, "g", class_="axis x")
    step = theme.label_step(columns, theme.WIDTH - left - margin)
    for index, column in enumerate(columns):
        if index % step == 0:
            x = left + cell_width * (index + 0.5)
            markup.node(axis_x, "text", column, x=x, y=columns_top + font)
    axis_y = markup.node(graph, "g", class_="axis y")
    for index, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = grid_top + cell_height * (index + 0.5) + font * 0.35
        text = markup.node(axis_y, "text", label, x=left - 8, y=y)
        if label != row:
            markup.node(text, "title", row)

    cells = markup.node(graph, "g", class_="cells")
    for r, (row, line) in enumerate(zip(rows, values, strict=True)):
        for c, (column, value) in enumerate(zip(columns, line, strict=True)):
            if value is None:
                continue
            rect = markup.node(
                cells,
                "rect",
                x=left + cell_width * c + 1,
                y=grid_top + cell_height * r + 1,
                width=max(cell_width - 2, 1.0),
                height=cell_height - 2,
                fill=theme.scale_color(value),
                class_="cell",
            )
            markup.node(rect, "title", f"{row}, {column}: {percent(value)}")
    return markup.finish(root, key=key, title=title, description=description)


def _legend(
    parent: markup.Element, name: str, gaps: bool, *, prefix: str, x: float, y: float
) -> None:
    """The scale's name, then "0%", the scale, "100%" (and what a blank cell means)."""
    font = theme.LEGEND_FONT_SIZE
    group = markup.node(parent, "g", class_="legends", transform=f"translate({x} {y})")
    item = markup.node(group, "g", class_="legend")
    baseline = 10.5
    markup.node(item, "text", name, x=0, y=baseline)
    left = theme.text_width(name, font) + 12
    left += theme.text_width("0%", font)
    # Anchored at its end: the scale starts right after it, however wide the font's "%".
    markup.node(item, "text", "0%", x=left, y=baseline, **{"text-anchor": "end"})
    left += 4
    markup.node(
        item,
        "rect",
        x=left,
        y=0,
        width=SCALE_WIDTH,
        height=markup.LEGEND_BOX,
        fill=f"url(#{prefix}-scale)",
        class_="scale",
    )
    left += SCALE_WIDTH + 4
    markup.node(item, "text", "100%", x=left, y=baseline)
    left += theme.text_width("100%", font) + 18
    if gaps:
        blank = markup.node(group, "g", class_="legend")
        markup.node(
            blank,
            "rect",
            x=left,
            y=0,
            width=markup.LEGEND_BOX,
            height=markup.LEGEND_BOX,
            class_="gap",
        )
        markup.node(blank, "text", "blank: no value", x=left + markup.LEGEND_BOX + 6, y=baseline)


def _cut(label: str) -> str:
    """``label``, cut with "…" where it would take more than a third of the width."""
    if theme.text_width(label, theme.LABEL_FONT_SIZE) <= ROW_LABEL_LIMIT:
        return label
    keep = int(ROW_LABEL_LIMIT / (theme.LABEL_FONT_SIZE * theme.CHAR_WIDTH)) - 1
    return label[:keep].rstrip() + "…"
