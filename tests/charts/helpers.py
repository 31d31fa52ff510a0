"""Reading a chart's SVG back: parsed as XML, its titles, the elements that hold values."""

from __future__ import annotations

from typing import Any

from lxml import etree

NS = {"s": "http://www.w3.org/2000/svg"}
# Markup, an ampersand, quotes: what a team name may hold.
HOSTILE = '<script>alert("x")</script> & Co'


def parse(svg: str) -> Any:
    """The SVG as an element tree (fails when it is not well-formed XML)."""
    return etree.fromstring(svg.encode("utf-8"))


def value_titles(svg: str, xpath: str) -> list[str]:
    """The ``<title>`` text of each element ``xpath`` selects, in document order."""
    root = parse(svg)
    return [
        element.findtext("s:title", namespaces=NS) for element in root.xpath(xpath, namespaces=NS)
    ]


def bar_titles(svg: str) -> list[str]:
    return value_titles(svg, "//s:g[@class='bar']")


def dot_titles(svg: str) -> list[str]:
    return value_titles(svg, "//s:g[@class='dots']")


def cell_titles(svg: str) -> list[str]:
    return value_titles(svg, "//s:rect[@class='cell']")


def texts(svg: str) -> list[str]:
    """Every ``<text>``'s text, in document order."""
    return [t.text or "" for t in parse(svg).iterfind(".//s:text", NS)]


def tags(svg: str) -> set[str]:
    """The local names of every element."""
    return {etree.QName(e).localname for e in parse(svg).iter() if isinstance(e.tag, str)}


def ids(svg: str) -> list[str]:
    return [e.get("id") for e in parse(svg).iter() if isinstance(e.tag, str) and e.get("id")]


def labelled(svg: str) -> dict[str, str]:
    """What the root says about itself: role, names, title and desc texts, size."""
    root = parse(svg)
    title = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    return {
        "role": root.get("role"),
        "aria-labelledby": root.get("aria-labelledby"),
        "id": root.get("id"),
        "width": root.get("width"),
        "first": etree.QName(root[0]).localname + "," + etree.QName(root[1]).localname,
        "title": f"{title.get('id')}: {title.text}",
        "desc": f"{desc.get('id')}: {desc.text}",
    }
