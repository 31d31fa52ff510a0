"""Accessible, server-rendered SVG charts with the data behind them as CSV.

A pure package (no store, web, live, bot or cli): ``bars``, ``timeseries`` (drawn by
pygal) and ``heatmap`` (drawn here, in the same look) each return a ``Chart``. Pages
inline ``Chart.svg`` and link ``/static/charts.css`` (``python -m
ptghub.charts.stylesheet`` writes it), which holds every rule the SVG needs: the site's
CSP allows no ``<style>`` element, and the SVG carries no script.
"""

from ptghub.charts.bars import bars
from ptghub.charts.chart import Chart
from ptghub.charts.heatmap import heatmap
from ptghub.charts.timeseries import timeseries

__all__ = ["Chart", "bars", "heatmap", "timeseries"]
