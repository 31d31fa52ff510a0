"""Settings: defaults < TOML file named by PTGHUB_CONFIG < PTGHUB_* variables < arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

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
