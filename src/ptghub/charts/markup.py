"""The SVG every chart ends as: accessible, deterministic, free of style and script.

``finish`` takes a chart's element tree (pygal's, or the heatmap's own) and makes it
what a page may inline:

- the root ``<svg>`` has ``id="chart-KEY"``, ``role="img"``, ``aria-labelledby``
  naming its ``<title>`` and ``<desc>`` (the chart's title and text alternative, its
  first children), ``width="100%"`` and pygal's ``viewBox``, so it scales to its
  container and keeps its proportions;
- no ``<style>`` (the site's CSP allows none: the rules are ``web/static/charts.css``,
  ``ptghub.charts.stylesheet``), no ``<script>``, none of pygal's tooltip data
  (``<desc>`` elements and the tooltip box that only its script uses) and no comments
  (pygal's carries the day it ran, which would change the bytes every day);
- ids: pygal's (``activate-serie-N``, for its script) are dropped, the chart's own start
  with ``chart-KEY-``, so several charts on one page never share an id;
- an axis label's ``<title>`` is kept only where it says more than the label (the whole
  of a cut label): pygal also gives each guide its position, which means nothing to a
  reader.

Text goes in through lxml, which escapes it: a team named ``<script>`` is text.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ptghub.charts import theme

SVG_NS = "http://www.w3.org/2000/svg"
ROOT_CLASS = "ptghub-chart"

Element = Any  # lxml's _Element: lxml ships no type hints here


def tag(element: Element) -> str:
    """An element's local name (``rect``), with or without the SVG namespace."""
    name = element.tag
    return etree.QName(name).localname if isinstance(name, str) else ""


def node(parent: Element, name: str, text: str | None = None, **attrs: object) -> Element:
    """A child element of ``parent``; ``class_`` is ``class``; numbers written short."""
    child = etree.SubElement(parent, f"{{{SVG_NS}}}{name}" if _namespaced(parent) else name)
    for key, value in attrs.items():
        if value is not None:
            child.set(key.rstrip("_"), _attr(value))
    if text is not None:
        child.text = text
    return child


def new_root(width: float, height: float) -> Element:
    """An empty ``<svg>`` of that size (the heatmap's; pygal makes its own)."""
    root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    root.set("viewBox", f"0 0 {_attr(width)} {_attr(height)}")
    return root


def no_data(*, key: str, title: str, description: str, kind: str) -> str:
    """A chart of nothing: "No data" in the middle (pygal would still draw empty axes)."""
    height = 120
    root = new_root(theme.WIDTH, height)
    root.set("class", f"{ROOT_CLASS} {kind}")
    graph = node(root, "g", class_="graph")
    node(graph, "rect", x=0, y=0, width=theme.WIDTH, height=height, class_="background")
    baseline = height / 2 + theme.NO_DATA_FONT_SIZE / 3
    node(graph, "text", theme.NO_DATA_TEXT, x=theme.WIDTH / 2, y=baseline, class_="no_data")
    return finish(root, key=key, title=title, description=description)


LEGEND_BOX = 12
LEGEND_LINE = 20


def legend_layout(names: list[str], *, x: float) -> list[tuple[float, int]]:
    """Where each legend item goes: (offset from ``x``, row), wrapping at the right margin."""
    right = theme.WIDTH - theme.MARGIN
    places: list[tuple[float, int]] = []
    column, row = 0.0, 0
    for name in names:
        width = LEGEND_BOX + 6 + theme.text_width(name, theme.LEGEND_FONT_SIZE)
        if column and x + column + width > right:
            column, row = 0.0, row + 1
        places.append((column, row))
        column += width + 18
    return places


def legend_height(names: list[str], *, x: float) -> float:
    """The height ``series_legend`` takes for these names (0 for none)."""
    places = legend_layout(names, x=x)
    return (places[-1][1] + 1) * LEGEND_LINE if places else 0.0


def series_legend(parent: Element, names: list[str], *, x: float, y: float) -> Element:
    """Colour boxes and series names in rows from (x, y) (``legend_height`` tall).

    Box ``i`` has class ``color-i``, the class of series ``i``'s bars and lines.
    """
    group = node(parent, "g", class_="legends", transform=f"translate({_attr(x)} {_attr(y)})")
    for index, (name, (column, row)) in enumerate(
        zip(names, legend_layout(names, x=x), strict=True)
    ):
        item = node(group, "g", class_="legend")
        top = row * LEGEND_LINE
        node(
            item,
            "rect",
            x=column,
            y=top,
            width=LEGEND_BOX,
            height=LEGEND_BOX,
            class_=f"color-{index}",
        )
        node(item, "text", name, x=column + LEGEND_BOX + 6, y=top + 10.5)
    return group


def finish(root: Element, *, key: str, title: str, description: str) -> str:
    """The chart's markup: cleaned, labelled, with ids from ``key`` (see the module)."""
    prefix = f"chart-{key}"
    for comment in list(root.iter(etree.Comment)):
        _remove(comment)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = tag(element)
        classes = element.get("class", "").split()
        if (
            name in ("style", "script", "desc")
            or "tooltip-overlay" in classes
            or (name == "title" and (element.getparent() is root or _is_guide_title(element)))
        ):
            _remove(element)
        elif element.get("id") is not None and not element.get("id", "").startswith(prefix):
            del element.attrib["id"]
    _drop_empty_groups(root)
    for defs in [e for e in root if tag(e) == "defs" and len(e) == 0]:
        _remove(defs)

    root.set("id", prefix)
    classes = [c for c in root.get("class", "").split() if c != "pygal-chart"]
    root.set("class", " ".join([ROOT_CLASS, *[c for c in classes if c != ROOT_CLASS]]))
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    root.set("width", "100%")
    if "height" in root.attrib:
        del root.attrib["height"]
    title_element = etree.Element(_qualified(root, "title"))
    title_element.set("id", f"{prefix}-title")
    title_element.text = title
    desc_element = etree.Element(_qualified(root, "desc"))
    desc_element.set("id", f"{prefix}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return str(etree.tostring(root, encoding="unicode"))


def _is_guide_title(element: Element) -> bool:
    """An axis guide's ``<title>`` that repeats its label or names its position."""
    parent = element.getparent()
    if parent is None or "guides" not in parent.get("class", "").split():
        return False
    label = next((child for child in parent if tag(child) == "text"), None)
    cut = label is not None and (label.text or "").endswith("…")
    return not cut


def _drop_empty_groups(root: Element) -> None:
    """Remove ``<g>`` elements left with nothing to draw (bottom-up)."""
    for element in reversed(list(root.iter())):
        if isinstance(element.tag, str) and tag(element) == "g" and len(element) == 0:
            _remove(element)


def _remove(element: Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _namespaced(element: Element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith("{")


def _qualified(root: Element, name: str) -> str:
    return f"{{{SVG_NS}}}{name}" if _namespaced(root) else name


def _attr(value: object) -> str:
    """A number with at most two decimals and no trailing zeros; anything else as text."""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)
