"""``ptghub needs``: load, show, set, clear, rules and export against a real database,
with the CLI's exit codes (0 done, 1 refused, 2 invalid input)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.core.team_needs import PlanRules
from ptghub.store.store import Store
from tests.support import snapshot

NEEDS = """\
rules:
  max_hours_per_day: 3
teams:
  nova: {hours: 2.5, days: [Tue], avoid: [cinder], joint: {relmgt: 0.5}, room_size: 20}
  cinder: {hours: 1, windows: ["13:00-15:00"], rather_not: {nova: 2}, onboarding: true}
"""


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", database_url, *args])
    return result.exit_code, result.stdout, result.stderr


def _file(tmp_path: Path, text: str, name: str = "needs.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_load_show_and_export_round_trip(store: Store, database_url: str, tmp_path: Path) -> None:
    code, stdout, _ = run(database_url, "needs", "load", _file(tmp_path, NEEDS), "--as", "olivia")
    assert (code, stdout) == (0, "OK, 3 change(s) recorded as #2.\n")
    assert store.audit()[-1].text == "needs load needs.yaml"
    code, stdout, _ = run(database_url, "needs", "show")
    assert code == 0
    assert stdout.startswith("Rules: per team and day 3 h; per team in all no cap;")
    rows = [line.split("│")[1].strip() for line in stdout.splitlines() if line.startswith("│")]
    assert "cinder" in rows and "nova" in rows
    code, exported, _ = run(database_url, "needs", "export")
    assert code == 0 and exported.startswith("# Team needs and planning rules of test-ptg")
    before = snapshot(store.state())
    code, stdout, _ = run(database_url, "needs", "load", _file(tmp_path, exported, "e.yaml"))
    assert (code, stdout) == (0, "Nothing to change.\n")
    assert snapshot(store.state()) == before


def test_show_json(store: Store, database_url: str, tmp_path: Path) -> None:
    run(database_url, "needs", "load", _file(tmp_path, NEEDS))
    code, stdout, _ = run(database_url, "needs", "show", "--json")
    body = json.loads(stdout)
    assert code == 0 and set(body["teams"]) == {"cinder", "nova"}
    assert body["rules"]["max_hours_per_day"] == 3
    code, stdout, _ = run(database_url, "needs", "show", "NOVA", "--json")
    assert json.loads(stdout) == {
        "team": "nova",
        "hours": 2.5,
        "max_hours_per_day": None,
        "days": ["2022-04-05"],
        "windows": [],
        "avoid": ["cinder"],
        "rather_not": {},
        "joint": {"relmgt": 0.5},
        "room_size": 20,
        "onboarding": False,
        "cross_project": False,
    }
    code, stdout, _ = run(database_url, "needs", "show", "relmgt")
    assert (code, stdout) == (0, "relmgt has no needs stated.\n")
    code, _, stderr = run(database_url, "needs", "show", "swift")
    assert code == 1 and stderr.startswith("Unknown team '#swift'")


def test_a_bad_file_is_exit_2_with_located_problems(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    path = _file(tmp_path, "teams:\n  nova: {hours: 20}\n")
    code, stdout, stderr = run(database_url, "needs", "load", path)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"{path}:2: teams.nova.hours: 20 h is more than the event has in all its slots (8 h)\n"
    )
    code, _, stderr = run(database_url, "needs", "load", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read the file" in stderr
    assert store.state().needs == {}


def test_only_organizers_load(store: Store, database_url: str, tmp_path: Path) -> None:
    code, _, stderr = run(database_url, "needs", "load", _file(tmp_path, NEEDS), "--as", "nchair")
    assert (code, stderr) == (1, "Loading a needs file needs an organizer; nchair is not one.\n")


def test_set_and_clear_as_the_chair(store: Store, database_url: str) -> None:
    code, stdout, _ = run(
        database_url,
        "needs", "set", "nova", "--hours", "1.5", "--max-per-day", "1", "--day", "Mon",
        "--day", "2022-04-05", "--window", "13:00-15:00", "--avoid", "cinder",
        "--rather-not", "relmgt=2", "--joint", "first-contact=0.5", "--room-size", "10",
        "--onboarding", "--as", "nchair",
    )  # fmt: skip
    assert (code, stdout) == (0, "OK, 1 change(s) recorded as #2.\n")
    needs = store.state().needs["nova"]
    assert needs.minutes == 90 and needs.max_minutes_per_day == 60
    assert needs.rather_not == (("relmgt", 2),) and needs.joint == (("first-contact", 30),)
    assert needs.onboarding and not needs.cross_project and len(needs.preferred_days) == 2
    code, _, stderr = run(database_url, "needs", "set", "cinder", "--hours", "1", "--as", "nchair")
    assert code == 1 and stderr.startswith("Only a chair of cinder or an organizer")
    code, stdout, _ = run(database_url, "needs", "clear", "nova", "--as", "nchair")
    assert (code, stdout) == (0, "OK, 1 change(s) recorded as #3.\n")
    assert store.state().needs == {}


def test_set_with_bad_values_is_exit_2(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "needs", "set", "nova", "--hours", "3", "--joint", "tc")
    assert (code, stderr) == (2, "--joint 'tc' is not TEAM=HOURS; e.g. --joint cinder=2.\n")
    code, _, stderr = run(
        database_url, "needs", "set", "nova", "--hours", "x", "--window", "9-5", "--avoid", "nova"
    )
    assert code == 2
    assert stderr.splitlines() == [
        "The needs of nova are wrong:",
        "avoid[0]: a team cannot name itself in avoid",
        "hours: expected a number of hours, got 'x'",
        "windows[0]: expected a time window like 13:00-17:00, got '9-5'",
    ]
    assert store.state().needs == {}


def test_rules_show_and_change(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "needs", "rules")
    assert (code, stdout) == (
        0,
        "Rules: per team and day no cap; per team in all no cap; cross-project days none; "
        "onboarding session 1 h; usual hours any time.\n",
    )
    code, stdout, _ = run(
        database_url,
        "needs",
        "rules",
        "--max-per-day",
        "2",
        "--cross-project-day",
        "Tue",
        "--window",
        "13:00-21:00",
    )
    assert code == 0 and stdout.startswith("OK, 1 change(s) recorded as #2.\n")
    code, stdout, _ = run(database_url, "needs", "rules", "--max-total", "6", "--json")
    assert json.loads(stdout.split("\n", 1)[1]) == {
        "max_hours_per_day": 2,
        "max_hours": 6,
        "cross_project_days": ["2022-04-05"],
        "onboarding_hours": 1,
        "windows": ["13:00-21:00"],
    }
    run(
        database_url,
        "needs",
        "rules",
        "--max-per-day",
        "none",
        "--cross-project-day",
        "none",
        "--window",
        "none",
    )
    assert store.state().plan_rules == PlanRules(max_minutes_total=360)
    code, _, stderr = run(database_url, "needs", "rules", "--max-total", "7", "--as", "alice")
    assert code == 1 and "needs an organizer" in stderr
    code, _, stderr = run(database_url, "needs", "rules", "--max-total", "80")
    assert code == 2 and "max_hours: 80 h is more than the event has" in stderr
    assert store.state().needs == {} and store.state().plan_rules.max_minutes_total == 360
