"""`ptghub demo`: the April 2022 virtual PTG, loaded once, with a live board."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from ptghub import demo
from ptghub.cli import app
from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.demo.history import story
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store


def _demo(data_dir: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), "demo", "--no-serve", *extra])
    return result.exit_code, result.stdout


def test_demo_loads_the_april_2022_ptg(tmp_path: Path) -> None:
    code, stdout = _demo(tmp_path)
    assert code == 0
    assert stdout.splitlines()[0] == "OK, event 'ptg-2022-04' created."
    store = Store.open(f"sqlite:///{tmp_path / 'ptghub.sqlite3'}")
    try:
        state = store.state()
        assert state.info is not None
        assert (state.info.slug, str(state.info.start), str(state.info.end)) == (
            "ptg-2022-04",
            "2022-04-04",
            "2022-04-08",
        )
        assert len(state.teams) == 34
        assert state.topics["nova"].now == "Unified limits: what is left for Zed"
        # The creation, the event's past up to the clock (demo.history), then the sample
        # commands, "now".
        texts = [e.text for e in store.audit()]
        assert texts[:2] == [
            "ptghub demo",
            "#cyborg now Accelerator programming through the new API",
        ]
        assert texts[-len(demo.SAMPLE_COMMANDS) :] == [text for _, text in demo.SAMPLE_COMMANDS]
    finally:
        store.close()


def test_demo_board_shows_topics_and_the_grid(tmp_path: Path) -> None:
    code, stdout = _demo(tmp_path)
    assert code == 0
    lines = stdout.splitlines()
    assert (
        lines[1] == "Simulated clock: Tue 5 Apr 2022 15:10 UTC, running at 1x (not the real time)."
    )
    # 87 characters do not fit the 80 columns of the test's console: the moment goes below.
    assert lines[2:5] == [
        "Project Teams Gathering, April 2022 (ptg-2022-04)",
        "Tue 05 Apr 15:10 UTC, slot Tue-15h",
        "[info] Welcome to the virtual PTG! All times are UTC.",
    ]
    assert "Now and next" in lines
    assert (
        lines[-2]
        == f"Try: ptghub --data-dir {tmp_path} cmd --as nova-chair '#nova now Placement API'"
    )
    # The terminal's board as of the same simulated moment (the slot is an hour long).
    assert lines[-1] == f"     ptghub --data-dir {tmp_path} board --clock 2022-04-05T15:10Z"


def test_demo_starts_its_clock_on_day_two_unless_told_otherwise(tmp_path: Path) -> None:
    # At 1x the printed minute has a minute of margin against a loaded machine (at 60x,
    # one slow second printed 17:31).
    code, stdout = _demo(tmp_path, "--clock", "2022-04-07T19:30+02:00", "--clock-speed", "1")
    assert code == 0
    lines = stdout.splitlines()
    assert (
        lines[1] == "Simulated clock: Thu 7 Apr 2022 17:30 UTC, running at 1x (not the real time)."
    )
    assert lines[2:4] == [
        "Project Teams Gathering, April 2022 (ptg-2022-04)",
        "Thu 07 Apr 17:30 UTC, slot Thu-17h",
    ]


def test_demo_on_the_real_clock_says_the_event_ended(tmp_path: Path) -> None:
    code, stdout = _demo(tmp_path, "--clock", "now")
    assert code == 0
    lines = stdout.splitlines()
    assert not any(line.startswith("Simulated clock") for line in lines)
    assert lines[1] == "Project Teams Gathering, April 2022 (ptg-2022-04)"
    assert lines[2].endswith("UTC, no slot running")
    assert lines[3] == "This event ended on Friday 8 April 2022."
    assert "Last topics" in lines and "Now and next" not in lines
    assert lines[-1] == f"     ptghub --data-dir {tmp_path} board"


def test_demo_at_the_events_end_loads_the_whole_week(tmp_path: Path) -> None:
    code, stdout = _demo(tmp_path, "--clock", "2022-04-09T00:00Z", "--clock-speed", "1")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[1:5] == [
        "Simulated clock: Sat 9 Apr 2022 00:00 UTC, running at 1x (not the real time).",
        "Project Teams Gathering, April 2022 (ptg-2022-04)",
        "Sat 09 Apr 00:00 UTC, no slot running",
        "This event ended on Friday 8 April 2022.",
    ]
    store = Store.open(f"sqlite:///{tmp_path / 'ptghub.sqlite3'}")
    try:
        entries = store.audit()
    finally:
        store.close()
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        created = apply_all(EventState(), load_event_file(path))
    week = [text for _, _, text in story(created)]
    samples = [text for _, text in demo.SAMPLE_COMMANDS]
    assert [entry.text for entry in entries] == ["ptghub demo", *week, *samples]
    assert entries[-len(samples) - 1].at < datetime(2022, 4, 8, 21, 0, tzinfo=UTC)


def test_demo_refuses_a_clock_without_a_zone(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "demo", "--no-serve", "--clock", "2022-04-05T15:10"]
    )
    assert result.exit_code == 2
    assert "has no time zone: add one, e.g. 2022-04-05T15:10Z" in result.stderr
    assert not (tmp_path / "ptghub.sqlite3").exists()


def test_demo_twice_keeps_the_live_state(tmp_path: Path) -> None:
    _demo(tmp_path)
    url = f"sqlite:///{tmp_path / 'ptghub.sqlite3'}"
    CliRunner().invoke(app, ["--database-url", url, "cmd", "#nova now Quotas"])
    code, stdout = _demo(tmp_path)
    assert (code, stdout.splitlines()[0]) == (
        0,
        "Event 'ptg-2022-04' is already loaded; --fresh starts over.",
    )
    store = Store.open(url)
    try:
        assert store.state().topics["nova"].now == "Quotas"
    finally:
        store.close()


def test_demo_fresh_starts_over(tmp_path: Path) -> None:
    _demo(tmp_path)
    url = f"sqlite:///{tmp_path / 'ptghub.sqlite3'}"
    CliRunner().invoke(app, ["--database-url", url, "cmd", "#nova now Quotas"])
    code, stdout = _demo(tmp_path, "--fresh")
    assert (code, stdout.splitlines()[0]) == (0, "OK, event 'ptg-2022-04' created.")
    store = Store.open(url)
    try:
        assert store.state().topics["nova"].now == "Unified limits: what is left for Zed"
    finally:
        store.close()
