"""The charts' look: colours, fonts and sizes, one place for every chart kind.

The colours are the site's (``web/static/style.css``): text ``#1b1f24`` and muted
``#4a5560`` on white keep WCAG AA for text (4.5:1), and every series colour keeps 3:1
against white (WCAG 1.4.11, graphical objects) and is told apart from its neighbours
without red/green alone: blue, orange, purple, teal, red, grey. ``contrast`` computes
the ratio; the tests hold every pair to its threshold.

The heatmap's scale goes from a pale blue (nothing used) to the site's dark blue (all
used) through ColorBrewer's "Blues": light to dark reads as little to much for people
who do not see hue, and in grey print.

Sizes are in the SVG's own units: a chart is ``WIDTH`` wide and scales to its container,
so at the usual content width (about 1000 px) a unit is about 1.25 px and the 12-unit
labels read as 15 px.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

BACKGROUND = "#ffffff"
TEXT = "#1b1f24"
MUTED = "#4a5560"
GUIDE = "#c9d1d9"
AXIS = "#4a5560"
GAP_STROKE = "#8b96a1"

# Series colours, in the order series are given.
SERIES_COLORS = ("#0b5cad", "#b35c00", "#7a3e9d", "#00756b", "#a61b1b", "#4a5560")

# ColorBrewer "Blues" (9 classes) from its second class (the first is too close to
# white to tell from a gap); a value in 0..1 is interpolated between these stops.
SCALE_STOPS = (
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)

WIDTH = 800
MARGIN = 12
LABEL_FONT_SIZE = 12
LEGEND_FONT_SIZE = 13
NO_DATA_FONT_SIZE = 20
# The average advance of a character, as a share of the font size: a little above what
# sans-serif fonts need (DejaVu Sans, the widest usual one, averages about 0.58), so an
# estimated width is never short and labels are never cut.
CHAR_WIDTH = 0.62
NO_DATA_TEXT = "No data"
_STEPS = (1, 2, 3, 4, 6, 12, 24, 48, 72, 96, 120, 168)


def text_width(text: str, font_size: float) -> float:
    """The estimated width of ``text`` set at ``font_size``, in SVG units."""
    return len(text) * font_size * CHAR_WIDTH


def label_step(labels: Sequence[str], width: float) -> int:
    """Show every k-th of ``labels`` spread over ``width``: the least k of ``_STEPS``
    (whole hours of a day, then whole days) at which shown labels do not touch."""
    if not labels:
        return 1
    widest = max(text_width(label, LABEL_FONT_SIZE) for label in labels) + 8
    needed = math.ceil(widest / (width / len(labels)))
    return next((step for step in _STEPS if step >= needed), needed)


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(color: str) -> float:
    """Relative luminance (WCAG 2.x) of an ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def scale_color(value: float) -> str:
    """The heatmap's colour of a share ``value`` in 0..1 (linear between the stops)."""
    if not 0 <= value <= 1:
        raise ValueError(f"a heatmap value must be between 0 and 1, not {value!r}")
    position = value * (len(SCALE_STOPS) - 1)
    index = min(int(position), len(SCALE_STOPS) - 2)
    fraction = position - index
    low, high = _rgb(SCALE_STOPS[index]), _rgb(SCALE_STOPS[index + 1])
    mixed = (round(a + (b - a) * fraction) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)
