"""``ptghub report``: an event's report as text, JSON or CSV files; two events compared."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.store.store import Store
from tests.history.pair import DEMO, DENVER, load_pair
from tests.history.scenario import create_and_play
from tests.support import Clock


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", database_url, "report", *args])
    return result.exit_code, result.stdout, result.stderr


def section(stdout: str, title: str) -> list[str]:
    """The lines of one chart: its title up to the blank line after its table."""
    lines = stdout.splitlines()
    start = lines.index(title)
    end = lines.index("", start + 3) if "" in lines[start + 3 :] else len(lines)
    return lines[start:end]


def test_report_as_text_prints_each_chart_as_a_table(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    create_and_play(empty_store, clock)
    code, stdout, stderr = run(database_url, "--event", "test-ptg")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[0] == "Report of Test PTG (test-ptg)"
    assert section(stdout, "The busiest sessions") == [
        "The busiest sessions",
        "The busiest session was Cinder's in Austin on Mon 4 Apr at 15:00: 2 people checked "
        "in (2 check-ins).",
        "",
        "team    room    start             minutes  people  checkins",
        "cinder  Austin  2022-04-04 15:00  60       2       2",
        "nova    Austin  2022-04-04 13:00  120      1       1",
    ]
    assert section(stdout, "Bookings made during the event, per day") == [
        "Bookings made during the event, per day",
        "2 bookings were made during the event, the most on Monday 4 April and Tuesday 5 "
        "April (1 each).",
        "",
        "day         bookings",
        "2022-04-04  1",
        "2022-04-05  1",
    ]


def test_report_as_json_holds_every_chart(
    empty_store: Store, clock: Clock, database_url: str
) -> None:
    create_and_play(empty_store, clock)
    code, stdout, _ = run(database_url, "--event", "test-ptg", "--format", "json")
    assert code == 0
    found = json.loads(stdout)
    assert (found["event"], [c["key"] for c in found["charts"]]) == (
        "test-ptg",
        [
            "utilization",
            "team-hours",
            "checkins",
            "busiest-sessions",
            "bookings",
            "registrations-role",
            "registrations-band",
        ],
    )
    assert found["charts"][4] == {
        "key": "bookings",
        "title": "Bookings made during the event, per day",
        "description": "2 bookings were made during the event, the most on Monday 4 April "
        "and Tuesday 5 April (1 each).",
        "columns": ["day", "bookings"],
        "rows": [["2022-04-04", 1], ["2022-04-05", 1]],
    }


def test_report_csv_writes_each_charts_data(
    empty_store: Store, clock: Clock, database_url: str, tmp_path: Path
) -> None:
    create_and_play(empty_store, clock)
    out = tmp_path / "csv"
    code, stdout, _ = run(database_url, "--event", "test-ptg", "--csv", str(out))
    keys = ["utilization", "team-hours", "checkins", "busiest-sessions", "bookings"]
    keys += ["registrations-role", "registrations-band"]
    assert (code, stdout.splitlines()) == (0, [f"Wrote {out / key}.csv" for key in keys])
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{key}.csv" for key in keys)
    assert (out / "bookings.csv").read_text().replace("\r\n", "\n") == (
        "day,bookings\n2022-04-04,1\n2022-04-05,1\n"
    )


def test_report_with_a_bad_format_exits_2(store: Store, database_url: str) -> None:
    assert run(database_url, "--format", "yaml") == (
        2,
        "",
        "--format 'yaml' is not one of: text, json.\n",
    )


def test_report_of_an_unknown_event_exits_1(store: Store, database_url: str) -> None:
    code, stdout, stderr = run(database_url, "--event", "nope")
    assert (code, stdout, stderr) == (
        1,
        "",
        "Unknown event 'nope'; 'ptghub event list' shows the events.\n",
    )


def test_report_compare_with_event_exits_2(store: Store, database_url: str) -> None:
    assert run(database_url, "--compare", "a", "b", "--event", "test-ptg") == (
        2,
        "",
        "--compare names both events; leave out --event.\n",
    )


def test_report_compare_prints_denver_and_the_demo_side_by_side(
    empty_store: Store, clock: Clock, database_url: str, shared_data: Path, tmp_path: Path
) -> None:
    load_pair(empty_store, clock, shared_data)
    code, stdout, stderr = run(database_url, "--compare", DENVER, DEMO)
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        "DEN-ptg and Project Teams Gathering, April 2022",
        "",
        "Figure                         Unit        den-ptg  ptg-2022-04  Difference",
        "Teams                          teams       44       34           -10",
        "Hours planned                  room-hours  623      410          -213",
        "Hours booked during the event  room-hours  0        0            0",
        "Rooms                          rooms       23       16           -7",
        "Bookings made                  bookings    0        0            0",
        "People checked in              people      0        1            +1",
        "Check-ins                      check-ins   0        1            +1",
        "Days                           days        5        5            0",
    ]
    code, stdout, _ = run(database_url, "--compare", DENVER, DEMO, "--format", "json")
    found = json.loads(stdout)
    assert (found["first"], found["second"], found["figures"][1]) == (
        DENVER,
        DEMO,
        {
            "key": "hours_planned",
            "label": "Hours planned",
            "unit": "room-hours",
            "first": 623.0,
            "second": 410.0,
            "difference": -213.0,
        },
    )
    code, stdout, _ = run(database_url, "--compare", DENVER, DEMO, "--csv", str(tmp_path))
    assert (code, stdout) == (0, f"Wrote {tmp_path / 'compare.csv'}\n")
    assert (tmp_path / "compare.csv").read_text().replace("\r\n", "\n") == (
        "figure,unit,den-ptg,ptg-2022-04,difference\n"
        "Teams,teams,44,34,-10\n"
        "Hours planned,room-hours,623,410,-213\n"
        "Hours booked during the event,room-hours,0,0,0\n"
        "Rooms,rooms,23,16,-7\n"
        "Bookings made,bookings,0,0,0\n"
        "People checked in,people,0,1,1\n"
        "Check-ins,check-ins,0,1,1\n"
        "Days,days,5,5,0\n"
    )
