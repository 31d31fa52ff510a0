"""``ptghub report``: the organizers' report of an event, or two events compared.

The figures are those of the organizers' dashboard (``history.report``, docs/reports.md),
up to the end of the event; times in the event's zone. ``--format text`` prints each
chart's title, its description and its numbers as a table; ``json`` the same for
machines; ``--csv DIR`` writes each chart's data to ``DIR/KEY.csv`` instead and lists the
files written. ``--compare SLUG1 SLUG2`` prints both events' figures side by side with the
difference (second minus first).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from ptghub.cli.context import out, reports_errors, state_of
from ptghub.cli.options import EventOption
from ptghub.core.errors import InvalidInput

if TYPE_CHECKING:
    from ptghub.charts import Chart
    from ptghub.history.compare import Comparison

FORMATS = ("text", "json")


def table_lines(columns: Sequence[object], rows: Sequence[Sequence[object]]) -> list[str]:
    """Columns aligned with two spaces between them, the header first."""
    cells = [[str(c) for c in columns], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def chart_text(chart: Chart) -> list[str]:
    return [chart.title, chart.description, "", *table_lines(chart.columns, chart.rows)]


def chart_json(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "description": chart.description,
        "columns": list(chart.columns),
        "rows": [list(row) for row in chart.rows],
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "first": comparison.first.slug,
        "second": comparison.second.slug,
        "figures": [
            {
                "key": r.key,
                "label": r.label,
                "unit": r.unit,
                "first": r.first,
                "second": r.second,
                "difference": r.difference,
            }
            for r in comparison.rows
        ],
    }


def _write_csv(directory: Path, charts: Sequence[Chart]) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for chart in charts:
            path = directory / f"{chart.key}.csv"
            path.write_text(chart.csv(), encoding="utf-8")
            out.print(Text(f"Wrote {path}"))
    except OSError as error:
        raise InvalidInput(
            f"Cannot write the CSV files into {directory}: {error.strerror}; give a "
            "directory you may write to."
        ) from None


def _emit(format_: str, lines: list[str], data: dict[str, Any]) -> None:
    if format_ == "json":
        out.print(json.dumps(data, indent=2), markup=False)
    else:
        for line in lines:
            out.print(Text(line))


@reports_errors
def report(
    ctx: typer.Context,
    event: EventOption = None,
    format_: Annotated[
        str, typer.Option("--format", help="text (tables) or json.", metavar="text|json")
    ] = "text",
    csv: Annotated[
        Path | None,
        typer.Option("--csv", metavar="DIR", help="Write each chart's data to DIR/KEY.csv."),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            metavar="SLUG1 SLUG2",
            help="Compare two events: their figures side by side, and the difference.",
        ),
    ] = None,
) -> None:
    """Print the organizers' report of an event (the dashboard's charts as tables), or
    compare two events; figures up to the end of the event, in its zone."""
    from ptghub.history.compare_chart import comparison_chart, comparison_table
    from ptghub.store.event_reports import event_comparison, event_report

    if format_ not in FORMATS:
        raise InvalidInput(f"--format '{format_[:20]}' is not one of: {', '.join(FORMATS)}.")
    store = state_of(ctx).store()
    if compare is not None:
        if event is not None:
            raise InvalidInput("--compare names both events; leave out --event.")
        comparison = event_comparison(store, *compare)
        if csv is not None:
            _write_csv(csv, [comparison_chart(comparison)])
            return
        first, second = comparison.first, comparison.second
        lines = table_lines(
            ("Figure", "Unit", first.slug, second.slug, "Difference"),
            comparison_table(comparison),
        )
        _emit(format_, [f"{first.name} and {second.name}", "", *lines], comparison_json(comparison))
        return
    state = store.state(event)
    assert state.info is not None
    charts = event_report(store, state.info.slug)
    if csv is not None:
        _write_csv(csv, charts)
        return
    lines = [f"Report of {state.info.name} ({state.info.slug})"]
    for chart in charts:
        lines += ["", *chart_text(chart)]
    _emit(
        format_,
        lines,
        {"event": state.info.slug, "charts": [chart_json(chart) for chart in charts]},
    )
