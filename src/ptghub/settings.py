"""Typed settings: defaults < TOML file (``PTGHUB_CONFIG``) < ``PTGHUB_*`` variables < flags.

Built by the CLI in ``main()``, never at import time, so tests and tools can build their own.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ptghub"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PTGHUB_", extra="forbid")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where ptghub keeps its SQLite database and files.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; SQLite under data_dir when unset. "
        "PostgreSQL: postgresql://user@host:5432/dbname",
    )

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'ptghub.sqlite3'}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = os.environ.get("PTGHUB_CONFIG")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config)))
        return tuple(sources)
