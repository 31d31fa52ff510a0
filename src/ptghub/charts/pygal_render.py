"""pygal set up once for every chart it draws: the theme, no script, no title, our legend.

pygal is imported when a chart is drawn (``load_pygal``), not when ``ptghub.charts``
is: it costs about 65 ms, which the command line (``ptghub cmd``) should not pay for the
web's dashboard.

pygal draws the axes, guides and bars or lines; ``render`` then adds the legend (ours,
at the top, wrapping: pygal's sits at a side or the bottom, far below a tall bar chart)
and hands the tree to ``markup.finish``. The rules pygal would inline as ``<style>`` are
``stylesheet.py``'s, built from the same ``style()``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ptghub.charts import markup, theme
from ptghub.charts.chart import with_unit

if TYPE_CHECKING:
    from pygal.style import Style


def load_pygal() -> Any:
    """pygal, imported on first use, without the import hook its import adds.

    ``import pygal`` appends to ``sys.meta_path`` a finder for its map plugins
    (``pygal.maps.*``, which we do not use) that has no ``find_spec``: from then on, on
    Python 3.11, every import of a module that does not exist (an optional dependency
    tried and missed) warns ``ImportWarning``, which the test suite makes an error.
    """
    import pygal

    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]
    return pygal


def style() -> Style:
    """pygal's Style from the theme (fonts also size pygal's margins)."""
    load_pygal()
    from pygal.style import Style

    return Style(
        background=theme.BACKGROUND,
        plot_background=theme.BACKGROUND,
        foreground=theme.TEXT,
        foreground_strong=theme.TEXT,
        foreground_subtle=theme.MUTED,
        font_family=theme.FONT_FAMILY,
        label_font_size=theme.LABEL_FONT_SIZE,
        major_label_font_size=theme.LABEL_FONT_SIZE,
        value_font_size=theme.LABEL_FONT_SIZE,
        value_label_font_size=theme.LABEL_FONT_SIZE,
        tooltip_font_size=theme.LABEL_FONT_SIZE,
        title_font_size=theme.LEGEND_FONT_SIZE,
        legend_font_size=theme.LEGEND_FONT_SIZE,
        no_data_font_size=theme.NO_DATA_FONT_SIZE,
        guide_stroke_color=theme.GUIDE,
        major_guide_stroke_color=theme.GUIDE,
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="2",
        stroke_width_hover="2",
        transition="150ms",
        colors=theme.SERIES_COLORS,
    )


def config(
    *, unit: str, height: float, legend: list[str], horizontal: bool = False, **options: Any
) -> dict[str, Any]:
    """The options every pygal chart of ours takes, plus ``options``.

    A short unit ("h", "%") follows each number on the value axis ("12 h"); a longer one
    ("people") names the axis instead, once, rather than crowd every label.
    """
    top = theme.MARGIN + markup.legend_height(legend, x=theme.MARGIN)
    short = len(unit) <= 2
    if not short:
        options.setdefault("x_title" if horizontal else "y_title", unit)
    return {
        "style": style(),
        "width": theme.WIDTH,
        "height": height,
        "no_prefix": True,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "margin": theme.MARGIN,
        "margin_top": top + (8 if legend else 0),
        "margin_right": 24,
        "value_formatter": lambda value: with_unit(value, unit if short else ""),
        "classes": [markup.ROOT_CLASS],
        "print_values": False,
        "truncate_legend": -1,
        **options,
    }


def whole_ticks(values: Iterable[float]) -> dict[str, Any]:
    """For whole values (counts), ticks at whole numbers: pygal's own would say 0.5 people.

    The step is the least of 1, 2, 5, 10, 20, 50, ... that gives at most 10 steps up to
    the largest value; nothing (pygal's ticks) when a value has a fraction or is negative.
    """
    values = list(values)
    if not values or any(not float(v).is_integer() or v < 0 for v in values):
        return {}
    top = int(max(max(values), 1))
    step = 1
    while top / step > 10:
        # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return {"y_labels": list(range(0, top + step, step))}


def render(
    chart: Any,
    *,
    key: str,
    title: str,
    description: str,
    legend: list[str],
    kind: str,
    arrange: Callable[[markup.Element], None] | None = None,
) -> str:
    """Draw a configured pygal chart and finish it as ``markup.finish`` says.

    ``arrange`` may reorder pygal's tree first (never its drawing: only its order).
    """
    root = chart.render_tree()
    if arrange is not None:
        arrange(root)
    _axis_lines_on_top(root)
    root.set("class", f"{markup.ROOT_CLASS} {kind}")
    if legend:
        markup.series_legend(root, legend, x=theme.MARGIN, y=theme.MARGIN)
    return markup.finish(root, key=key, title=title, description=description)


def _axis_lines_on_top(root: markup.Element) -> None:
    """Move the axis lines (the zero lines, not the guides) after the bars and lines.

    pygal draws them first, under the bars, whose white edge would cut them into dashes.
    """
    for plot in list(root.iter()):
        if not isinstance(plot.tag, str) or plot.get("class", "").split() != ["plot"]:
            continue
        lines = [
            path
            for axis in plot
            if "axis" in axis.get("class", "").split()
            for path in axis.iter()
            if isinstance(path.tag, str)
            and markup.tag(path) == "path"
            and "line" in path.get("class", "").split()
            and "guide" not in path.get("class", "").split()
        ]
        if lines:
            axis = markup.node(plot, "g", class_="axis")
            axis.extend(lines)
