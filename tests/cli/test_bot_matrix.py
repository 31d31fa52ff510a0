"""``ptghub bot matrix``: its options, and the mistakes it refuses before connecting.

Running the bot against a real homeserver is tested in tests/bot/matrix/ (the command
itself: tests/bot/matrix/test_bot_command.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.settings import Settings
from ptghub.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
MATRIX_ENV = [f"PTGHUB_MATRIX_{n}" for n in ("HOMESERVER", "USER", "ACCESS_TOKEN", "PASSWORD")]


@pytest.fixture(autouse=True)
def no_matrix_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*MATRIX_ENV, "PTGHUB_MATRIX_ROOM", "PTGHUB_MATRIX_EVENT", "PTGHUB_CONFIG"]:
        monkeypatch.delenv(name, raising=False)


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", database_url, "bot", "matrix", *args])
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_the_options_and_no_secret_option(tmp_path: Path) -> None:
    code, stdout, _ = run(f"sqlite:///{tmp_path / 'db.sqlite3'}", "--help")
    assert code == 0
    for option in ("--homeserver", "--user", "--room", "--event"):
        assert option in stdout
    assert "PTGHUB_MATRIX_ACCESS_TOKEN" in stdout
    assert "--password" not in stdout
    assert "--access-token" not in stdout


def test_without_a_room_it_says_how_to_give_one(store: Store, database_url: str) -> None:
    code, stdout, stderr = run(database_url)
    assert (code, stdout) == (2, "")
    assert stderr == "No room to serve: pass --room or set PTGHUB_MATRIX_ROOM.\n"


def test_without_a_token_or_password_it_says_which_variables(
    store: Store, database_url: str
) -> None:
    code, _, stderr = run(database_url, "--room", "#ptg:example.org")
    assert code == 2
    assert stderr == (
        "The bot needs an access token (PTGHUB_MATRIX_ACCESS_TOKEN) or a password "
        "(PTGHUB_MATRIX_PASSWORD).\n"
    )


def test_a_password_needs_a_user_id(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTGHUB_MATRIX_PASSWORD", "secret")
    code, _, stderr = run(database_url, "--room", "#ptg:example.org", "--user", "ptgbot")
    assert code == 2
    assert stderr == (
        "The user must be a Matrix user id such as @ptgbot:example.org, not 'ptgbot'.\n"
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--room", "ptg", "The room must be a room id (!abc:example.org) or an alias"),
        ("--homeserver", "matrix.example.org", "The homeserver must be an http:// or https://"),
    ],
)
def test_malformed_options_are_refused(
    store: Store,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv("PTGHUB_MATRIX_ACCESS_TOKEN", "syt_token")
    args = ["--room", "#ptg:example.org", option, value]
    code, _, stderr = run(database_url, *args)
    assert code == 2
    assert stderr.startswith(message)


def test_an_unknown_event_is_refused_before_connecting(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on port 9 (discard): had it tried to connect, it would hang on retries.
    monkeypatch.setenv("PTGHUB_MATRIX_ACCESS_TOKEN", "syt_token")
    args = ["--homeserver", "http://127.0.0.1:9", "--room", "#ptg:example.org", "-e", "nope"]
    code, stdout, stderr = run(database_url, *args)
    assert (code, stdout) == (1, "")
    assert "nope" in stderr


def test_the_documented_toml_example_sets_every_matrix_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/matrix.md's example file is valid: each key is a setting the bot reads."""
    doc = (ROOT / "docs" / "matrix.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", doc, flags=re.DOTALL)
    config = tmp_path / "ptghub.toml"
    config.write_text(example, encoding="utf-8")
    monkeypatch.setenv("PTGHUB_CONFIG", str(config))
    settings = Settings()
    assert settings.matrix_homeserver == "https://matrix.example.org"
    assert settings.matrix_user == "@ptgbot:example.org"
    assert settings.matrix_access_token == "syt_cHRnYm90_secret_0000"
    assert settings.matrix_room == "#ptg:example.org"
    assert settings.matrix_event == "2026-04-ptg"
