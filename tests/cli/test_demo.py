"""`ptghub demo`: the April 2022 virtual PTG, loaded once, with a live board."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app
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
        assert [e.text for e in store.audit()][:2] == [
            "ptghub demo",
            "~motd add info Welcome to the virtual PTG! All times are UTC.",
        ]
    finally:
        store.close()


def test_demo_board_shows_topics_and_the_grid(tmp_path: Path) -> None:
    code, stdout = _demo(tmp_path)
    assert code == 0
    lines = stdout.splitlines()
    # 87 characters do not fit the 80 columns of the test's console: the moment goes below.
    assert lines[1:4] == [
        "Project Teams Gathering, April 2022 (ptg-2022-04)",
        "Mon 04 Apr 15:30 UTC, slot Mon-15h",
        "[info] Welcome to the virtual PTG! All times are UTC.",
    ]
    assert (
        lines[-2]
        == f"Try: ptghub --data-dir {tmp_path} cmd --as nova-chair '#nova now Placement API'"
    )


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
