"""A rendered chart with the data behind it, and how values are written in words.

``Chart`` is what every chart function returns: the SVG to inline in a page, its title
and text alternative, and the data as CSV rows. The CSV is RFC 4180 (the ``csv``
module's ``excel`` dialect: fields quoted when they hold a comma, a quote or a line
break, ``\\r\\n`` line ends), its header line first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

Cell = str | int | float
# A CSV given by the caller instead of the one built from the chart's data:
# (column names, rows).
Table = tuple[Sequence[str], Sequence[Sequence[Cell]]]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: ``svg`` is markup to inline in an HTML page (no XML declaration).

    ``key`` names it in URLs and ids (``utilization`` -> ``utilization.csv``, the SVG's
    ids ``chart-utilization...``), so two charts on one page need two keys.
    ``description`` is the text alternative: what the chart shows, with its main figures.
    """

    key: str
    title: str
    description: str
    svg: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def csv(self) -> str:
        """The data as RFC 4180 CSV: the header line, then one line per row (formulas
        made inert, see the module)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_inert(column) for column in self.columns])
        writer.writerows([_inert(cell) for cell in row] for row in self.rows)
        return out.getvalue()


def _inert(cell: Cell) -> Cell:
    """A text cell a spreadsheet will not run as a formula (see the module)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA):
        return "'" + cell
    return cell


def check_key(key: str) -> str:
    """``key`` if it is url-safe (lower-case letters, digits, inner ``-`` or ``_``)."""
    if not _KEY.fullmatch(key):
        raise ValueError(
            f"a chart key must be lower-case letters and digits joined by '-' or '_' "
            f"(it names the CSV file and the SVG's ids), not {key!r}"
        )
    return key


def as_table(table: Table) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...]]:
    """A caller's table as the frozen tuples ``Chart`` holds."""
    columns, rows = table
    return tuple(columns), tuple(tuple(row) for row in rows)


def number(value: float) -> str:
    """A value as people read it: ``12``, ``1.5``, ``0.33`` (at most two decimals)."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def with_unit(value: float, unit: str) -> str:
    """``12 h``; ``12%`` for a unit starting with ``%``; the bare number without a unit."""
    if not unit:
        return number(value)
    if unit.startswith("%"):
        return number(value) + unit
    return f"{number(value)} {unit}"


def percent(share: float) -> str:
    """A share in 0..1 as a percentage with at most one decimal: ``62.5%``, ``33.3%``."""
    text = f"{share * 100:.1f}".removesuffix(".0")
    return f"{text}%"
