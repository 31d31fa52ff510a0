"""The organizers' report and the comparison of two events.

- ``GET /events/{slug}/organize/report``: the dashboard, each chart of ``history.report``
  in a figure with its caption (the chart's description), a link to its data as CSV and
  the same numbers as a table under a disclosure, for people who do not read charts;
- ``GET /events/{slug}/organize/report/{key}.csv``: one chart's data;
- ``GET /events/{slug}/organize/compare?with=OTHER``: a form choosing the other event,
  then the figures of both side by side (``history.compare``) as a table and a grouped
  bar chart. The other event's figures are counts only (no names): an organizer of this
  event may compare it with any event of the installation.

Only the event's organizers (``web.organizer``). The charts' SVG is built by
``ptghub.charts``, which escapes every text it puts in it (team and room names).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ptghub.charts import Chart
from ptghub.core.model import EventState
from ptghub.history.compare_chart import comparison_chart, comparison_table
from ptghub.store.event_reports import event_comparison, event_report
from ptghub.store.store import Store
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import organizer_errors, require_organizer_page
from ptghub.web.pages import PageError

router = APIRouter(include_in_schema=False)

PAGE = "/events/{slug}/organize/report"
COMPARE = "/events/{slug}/organize/compare"


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:60]


def shown_chart(chart: Chart, csv_href: str | None) -> dict[str, Any]:
    """What a figure of the page shows: the SVG as markup (escaped by ``ptghub.charts``),
    its caption, the CSV's link and the table."""
    return {
        "key": chart.key,
        "title": chart.title,
        "description": chart.description,
        "svg": Markup(chart.svg),  # built by ptghub.charts, which escapes what it holds
        "csv_href": csv_href,
        "columns": list(chart.columns),
        "rows": [list(row) for row in chart.rows],
    }


@router.get(PAGE, response_class=HTMLResponse)
@organizer_errors
def report_page(request: Request, slug: str) -> Response:
    store = _store(request)

    def extra(state: EventState) -> dict[str, Any]:
        charts = event_report(store, slug)
        base = organize_path(slug, "report")
        return {
            "charts": [shown_chart(c, f"{base}/{c.key}.csv") for c in charts],
            "with_charts": True,
        }

    return organizer_page(request, slug, "organize_report.html", "Report", extra)


@router.get(PAGE + "/{key}.csv")
@organizer_errors
def report_csv(request: Request, slug: str, key: str) -> Response:
    require_organizer_page(request, slug)
    charts = {c.key: c for c in event_report(_store(request), slug)}
    if key not in charts:
        raise PageError(
            404,
            "No such chart",
            f"The report has no chart '{key[:40]}'; its charts are: {', '.join(charts)}.",
        )
    return Response(
        charts[key].csv(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_safe_name(slug)}-{_safe_name(key)}.csv"'
            ),
            "Cache-Control": "no-store",
        },
    )


@router.get(COMPARE, response_class=HTMLResponse)
@organizer_errors
def compare_page(request: Request, slug: str) -> Response:
    store = _store(request)
    other = request.query_params.get("with", "").strip()

    def extra(state: EventState) -> dict[str, Any]:
        events = [e for e in store.events() if e.slug != slug]
        found: dict[str, Any] = {
            "events": events,
            "chosen": other,
            "with_charts": bool(other),
            "comparison": None,
        }
        if other:
            if other not in {e.slug for e in store.events()}:
                raise PageError(
                    404,
                    "Event not found",
                    f"There is no event '{other[:60]}' to compare with; choose one of the "
                    "events the compare page lists.",
                )
            comparison = event_comparison(store, slug, other)
            chart = comparison_chart(comparison)
            found.update(
                comparison=comparison,
                rows=comparison_table(comparison),
                chart=shown_chart(chart, None),
            )
        return found

    return organizer_page(request, slug, "organize_compare.html", "Compare events", extra)
