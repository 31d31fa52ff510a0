"""Settings: defaults < TOML file named by PTGHUB_CONFIG < PTGHUB_* variables < arguments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from ptghub.core.clock import SimulatedClock
from ptghub.settings import Settings


def test_settings_default_to_sqlite_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("PTGHUB_DATA_DIR", "PTGHUB_DATABASE_URL", "PTGHUB_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    settings = Settings()
    assert settings.data_dir == tmp_path / "ptghub"
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'ptghub' / 'ptghub.sqlite3'}"


def test_settings_file_is_overridden_by_environment_and_arguments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "ptghub.toml"
    config.write_text('data_dir = "/srv/from-file"\ndatabase_url = "sqlite:///file.db"\n')
    monkeypatch.setenv("PTGHUB_CONFIG", str(config))
    monkeypatch.delenv("PTGHUB_DATA_DIR", raising=False)
    monkeypatch.delenv("PTGHUB_DATABASE_URL", raising=False)
    assert Settings().data_dir == Path("/srv/from-file")
    monkeypatch.setenv("PTGHUB_DATABASE_URL", "postgresql://db/ptg")
    assert Settings().effective_database_url == "postgresql://db/ptg"
    assert Settings(database_url="sqlite:///arg.db").effective_database_url == "sqlite:///arg.db"


def test_settings_refuse_unknown_keys_in_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "ptghub.toml"
    config.write_text('data_dri = "/typo"\n')
    monkeypatch.setenv("PTGHUB_CONFIG", str(config))
    with pytest.raises(ValueError, match="data_dri"):
        Settings()


def test_the_clock_is_real_unless_a_moment_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PTGHUB_CLOCK", raising=False)
    monkeypatch.delenv("PTGHUB_CLOCK_SPEED", raising=False)
    assert Settings().make_clock() is None
    assert Settings(clock="now").make_clock() is None
    monkeypatch.setenv("PTGHUB_CLOCK", "2022-04-05T17:10+02:00")
    monkeypatch.setenv("PTGHUB_CLOCK_SPEED", "60")
    clock = Settings().make_clock()
    assert isinstance(clock, SimulatedClock)
    assert (clock.start, clock.speed) == (datetime(2022, 4, 5, 15, 10, tzinfo=UTC), 60.0)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PTGHUB_CLOCK", "2022-04-05 15:10", "has no time zone"),
        ("PTGHUB_CLOCK", "soon", "The clock must be an ISO 8601 moment"),
        ("PTGHUB_CLOCK_SPEED", "0", "The clock speed must be a number above 0"),
    ],
)
def test_a_bad_clock_setting_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        Settings()


def test_oidc_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTGHUB_OIDC_ISSUER", "https://id.openinfra.dev/")
    monkeypatch.setenv("PTGHUB_OIDC_CLIENT_ID", "ptghub")
    monkeypatch.setenv("PTGHUB_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("PTGHUB_OIDC_NAME", "OpenInfra ID")
    monkeypatch.setenv("PTGHUB_OIDC_SCOPES", "email  openid")
    settings = Settings()
    assert (
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
        settings.oidc_name,
        settings.oidc_scopes,
    ) == ("https://id.openinfra.dev/", "ptghub", "s3cret", "OpenInfra ID", "email openid")


def test_oidc_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "NAME", "SCOPES", "CONFIG"):
        monkeypatch.delenv(
            f"PTGHUB_OIDC_{name}" if name != "CONFIG" else "PTGHUB_CONFIG", raising=False
        )
    settings = Settings()
    assert (settings.oidc_issuer, settings.oidc_name, settings.oidc_scopes) == (
        None,
        "OpenID Connect",
        "openid email profile",
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"oidc_issuer": "http://id.example.org"},
            "oidc_issuer must be the provider's https address",
        ),
        (
            {"oidc_issuer": "https://id.example.org/?x=1"},
            "oidc_issuer must be the provider's https address",
        ),
        (
            {"oidc_issuer": "https://id.example.org", "oidc_client_id": "ptghub"},
            "oidc_issuer is set, so oidc_client_id and oidc_client_secret are needed too",
        ),
        ({"oidc_scopes": "email profile"}, "oidc_scopes must include openid"),
    ],
)
def test_a_bad_oidc_setting_is_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**values)  # type: ignore[arg-type]


def test_an_http_oidc_issuer_is_allowed_on_loopback_only() -> None:
    settings = Settings(
        oidc_issuer="http://127.0.0.1:4000", oidc_client_id="c", oidc_client_secret="s"
    )
    assert settings.oidc_issuer == "http://127.0.0.1:4000"
