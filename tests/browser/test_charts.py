"""Charts in a browser: axe finds nothing serious, and each chart scales to its container.

No server: the page is the charts inlined in HTML with ``charts.css``, as the dashboard
inlines them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ptghub.charts import Chart, bars, heatmap, timeseries
from ptghub.charts.stylesheet import stylesheet
from tests.browser.test_accessibility import BLOCKING, RUN_AXE
from tests.charts.helpers import HOSTILE

TEAMS = ["Nova", "Cinder", HOSTILE]
DAYS = ["Mon", "Tue"]
HOURS = [f"{h:02d}:00" for h in range(9, 18)]


def charts() -> list[Chart]:
    labels = [f"{day} {hour}" for day in DAYS for hour in HOURS]
    return [
        heatmap(
            "utilization",
            "Room utilization",
            "Rooms were used most on Tuesday.",
            rows=DAYS,
            columns=HOURS,
            values=[[(h % 5) / 4 if h != 3 else None for h in range(9)] for _ in DAYS],
            legend="share of rooms used",
        ),
        bars(
            "hours",
            "Hours per team",
            "Nova planned 12 h.",
            categories=TEAMS,
            series=[("planned", [12, 6, 3]), ("used", [10, 2.5, 0])],
            unit="h",
        ),
        bars(
            "bookings",
            "Bookings per day",
            "3 on Monday.",
            categories=DAYS,
            series=[("bookings", [3, 1])],
            unit="",
            horizontal=False,
            stacked=True,
        ),
        timeseries(
            "checkins",
            "Check-ins",
            "At most 8 people.",
            labels=labels,
            series=[("people", [(i * 5) % 9 for i in range(len(labels))])],
            unit="people",
        ),
        bars("nothing", "Nothing yet", "No data.", categories=[], series=[], unit="h"),
    ]


def page_of(browser: Browser, width: int, *, framed: bool = False) -> Page:
    """The charts, each in a figure (in a ``ptghub-chart-frame`` when ``framed``)."""
    frame = '<div class="ptghub-chart-frame" tabindex="0">{}</div>' if framed else "{}"
    figures = "".join(
        f"<figure><figcaption>{c.title}</figcaption>{frame.format(c.svg)}</figure>"
        for c in charts()
    )
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_content(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        f"</head><body><main><h1>Charts</h1>{figures}</main></body></html>"
    )
    page.add_style_tag(content=stylesheet())
    return page


@pytest.mark.parametrize(("width", "framed"), [(1000, False), (360, True)])
def test_charts_have_no_serious_accessibility_violations(
    axe_js: Path, browser: Browser, width: int, framed: bool
) -> None:
    page = page_of(browser, width, framed=framed)
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))
    page.close()

    assert violations == []


SIZES = """() => [...document.querySelectorAll("svg.ptghub-chart")].map(svg => {
  const box = svg.getBoundingClientRect();
  const view = svg.viewBox.baseVal;
  return [Math.round(box.width), Math.round(box.height - box.width * view.height / view.width),
          Math.round(svg.parentElement.getBoundingClientRect().width)];
})"""


@pytest.mark.parametrize("width", [360, 1400])
def test_charts_scale_to_their_container_keeping_proportions(browser: Browser, width: int) -> None:
    page = page_of(browser, width)
    sizes = page.evaluate(SIZES)
    page.close()

    # As wide as the figure, up to 60rem (960 px), and as tall as the viewBox says.
    assert [(w, dh) for w, dh, _ in sizes] == [(min(c, 960), 0) for _, _, c in sizes]
    assert len(sizes) == 5


def test_charts_in_a_frame_keep_40rem_on_a_phone_and_the_frame_scrolls(
    browser: Browser,
) -> None:
    page = page_of(browser, 360, framed=True)
    sizes = page.evaluate(SIZES)
    scrolls = page.evaluate(
        """() => [...document.querySelectorAll(".ptghub-chart-frame")].map(
          frame => frame.scrollWidth > frame.clientWidth)"""
    )
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    page.close()

    assert [(w, dh) for w, dh, _ in sizes] == [(640, 0)] * 5
    assert scrolls == [True] * 5
    assert page_width == 360  # the frames scroll, the page does not
