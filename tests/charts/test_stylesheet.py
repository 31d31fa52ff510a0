"""charts.css is what ptghub.charts.stylesheet writes, and touches nothing but charts."""

from __future__ import annotations

import re
from pathlib import Path

from ptghub.charts.stylesheet import stylesheet

CSS = Path(__file__).parents[2] / "src" / "ptghub" / "web" / "static" / "charts.css"


def test_charts_css_is_the_generated_stylesheet() -> None:
    """Regenerate with: python -m ptghub.charts.stylesheet > src/ptghub/web/static/charts.css"""
    assert CSS.read_text(encoding="utf-8") == stylesheet()


def test_stylesheet_rules_are_all_scoped_to_charts() -> None:
    without_comments = re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.DOTALL)
    selectors = [
        selector.strip()
        for block in re.findall(r"([^{}]+)\{[^{}]*\}", without_comments)
        for selector in block.split(",")
    ]

    assert len(selectors) > 50
    assert [s for s in selectors if not s.startswith(".ptghub-chart")] == []
