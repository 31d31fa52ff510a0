"""``ptghub import ptgbot``: an old PTG bot database becomes an event."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli.context import State
from ptghub.cli.importer import import_app
from ptghub.settings import Settings
from ptghub.store.store import Store


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    """Run ``import ARGS`` as the main CLI will once it mounts ``import_app``."""
    state = State()
    state.settings = Settings(database_url=database_url)
    try:
        result = CliRunner().invoke(import_app, list(args), obj=state)
    finally:
        state.close()
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data))
    return str(path)


SMALL = {
    "eventid": "tiny",
    "tracks": ["nova"],
    "slots": {"Monday": [{"name": "MonA1", "desc": "09:00-10:00"}]},
    "schedule": {"Hall": {"cap_icon": "star", "MonA1": "nova"}},
    "subscriptions": {"carol": "(a"},
}


def test_import_ptgbot_of_denver_creates_the_event_and_prints_the_report(
    shared_data: Path, empty_store: Store, database_url: str
) -> None:
    database = str(shared_data / "ptgbot-denver-2018.json")
    code, stdout, stderr = run(database_url, "ptgbot", database, "--start-date", "2018-09-10")
    assert (code, stderr) == (0, "")
    assert stdout == (
        "OK, event 'den-ptg' created.\n"
        "Imported:\n"
        "  20 slots on 5 days\n"
        "  44 tracks as teams\n"
        "  room Aspen: capability and its icon\n"
        "  23 rooms\n"
        "  446 schedule cells (356 planned)\n"
        "  3 links\n"
        "  event den-ptg (hybrid), 2018-09-10 to 2018-09-14, UTC\n"
        "Not imported:\n"
        "  slots: MonA1 realtime 2020-06-01T09:00:00Z is 09:00 on Monday 2020-06-01 in UTC, "
        "not 09:00 on Monday 2018-09-10 as its desc 09:00-10:45 says; desc used\n"
    )
    state = empty_store.state("den-ptg")
    assert (len(state.teams), len(state.rooms), len(state.slots)) == (44, 23, 20)


def test_import_ptgbot_with_options_uses_slug_timezone_and_config(
    tmp_path: Path, empty_store: Store, database_url: str
) -> None:
    database = write(tmp_path / "ptg.json", SMALL)
    config = write(tmp_path / "config.json", {"irc_channel": "#tiny", "irc_pass": "x"})
    code, stdout, _ = run(
        database_url,
        "ptgbot",
        database,
        "--start-date",
        "2022-04-04",
        "--slug",
        "tiny-2022",
        "--timezone",
        "Europe/Paris",
        "--config",
        config,
    )
    assert code == 0
    assert stdout.splitlines()[0] == "OK, event 'tiny-2022' created."
    assert stdout.splitlines()[-2:] == [
        "Not imported:",
        "  subscriptions: 'carol' skipped: Invalid regex: missing ): (a (backreferences and "
        "lookaround are not supported).",
    ]
    info = empty_store.state("tiny-2022").info
    assert info is not None
    assert (info.timezone, info.contact) == ("Europe/Paris", "#tiny")


def test_import_ptgbot_of_an_existing_slug_exits_1(
    tmp_path: Path, store: Store, database_url: str
) -> None:
    database = write(tmp_path / "ptg.json", SMALL)
    args = ("ptgbot", database, "--start-date", "2022-04-04", "--slug", "test-ptg")
    assert run(database_url, *args) == (1, "", "Event 'test-ptg' already exists.\n")


def test_import_ptgbot_with_bad_date_exits_2(tmp_path: Path, database_url: str) -> None:
    database = write(tmp_path / "ptg.json", SMALL)
    assert run(database_url, "ptgbot", database, "--start-date", "4/4/2022") == (
        2,
        "",
        "--start-date '4/4/2022' is not a date; expected YYYY-MM-DD.\n",
    )


def test_import_ptgbot_of_bad_json_exits_2(tmp_path: Path, database_url: str) -> None:
    database = tmp_path / "ptg.json"
    database.write_text("{nope")
    code, stdout, stderr = run(database_url, "ptgbot", str(database), "--start-date", "2022-04-04")
    assert (code, stdout, stderr) == (
        2,
        "",
        f"The database {database} is not valid JSON: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1).\n",
    )


def test_import_ptgbot_of_missing_file_exits_2(tmp_path: Path, database_url: str) -> None:
    missing = tmp_path / "nope.json"
    assert run(database_url, "ptgbot", str(missing), "--start-date", "2022-04-04") == (
        2,
        "",
        f"Cannot read the database {missing}: No such file or directory.\n",
    )


def test_import_ptgbot_with_config_not_an_object_exits_2(tmp_path: Path, database_url: str) -> None:
    database = write(tmp_path / "ptg.json", SMALL)
    config = write(tmp_path / "config.json", ["irc"])
    args = ("ptgbot", database, "--start-date", "2022-04-04", "--config", config)
    assert run(database_url, *args) == (
        2,
        "",
        f"The config file {config} must hold a JSON object.\n",
    )


def test_import_ptgbot_of_denver_in_its_zone_reports_the_stray_realtime(
    shared_data: Path, empty_store: Store, database_url: str
) -> None:
    database = str(shared_data / "ptgbot-denver-2018.json")
    code, stdout, _ = run(
        database_url,
        "ptgbot",
        database,
        "--start-date",
        "2018-09-10",
        "--timezone",
        "America/Denver",
    )
    assert code == 0
    assert stdout.splitlines()[-2:] == [
        "Not imported:",
        "  slots: MonA1 realtime 2020-06-01T09:00:00Z is 03:00 on Monday 2020-06-01 in "
        "America/Denver, not 09:00 on Monday 2018-09-10 as its desc 09:00-10:45 says; desc used",
    ]
    slot = empty_store.state("den-ptg").slots["mona1"]
    assert (f"{slot.start:%H:%M}", f"{slot.end:%H:%M}") == ("09:00", "10:45")
