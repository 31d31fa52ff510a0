"""Typed settings: defaults < TOML file (``PTGHUB_CONFIG``) < ``PTGHUB_*`` variables < flags.

Built by the CLI in ``main()``, never at import time, so tests and tools can build their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
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

    # -- Web server: its public address -----------------------------------------------
    public_url: str | None = Field(
        default=None,
        description="The address people reach the site at, e.g. https://ptg.example.org "
        "(http or https, no path): absolute URLs in what the server sends (the url of "
        "schedule.xml and schedule.json) are built from it, never from the request's Host "
        "header. Unset: those URLs are left out.",
    )

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.username is not None
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                f"public_url must be an http(s) address with no path, such as "
                f"https://ptg.example.org; got {value[:80]!r}"
            )
        return f"{parts.scheme}://{parts.netloc}"

    # -- IRC bot (``ptghub bot irc``, ``ptghub serve --irc``) ------------------------
    irc_server: str = Field(default="127.0.0.1", description="IRC server host name.")
    irc_port: int = Field(default=6667, description="IRC server port (6697 for TLS).")
    irc_tls: bool = Field(default=False, description="Connect with TLS.")
    irc_nick: str = Field(
        default="ptgbot", description="The bot's nick, and its account name for SASL/NickServ."
    )
    irc_password: str | None = Field(
        default=None,
        description="Account password: SASL PLAIN when the server offers it, else "
        "NickServ IDENTIFY. Only from the environment or the config file, never a flag.",
    )
    irc_channel: str = Field(default="#ptg", description="The channel the bot joins.")
    irc_event: str | None = Field(
        default=None, description="Event slug the bot serves (default: the current event)."
    )
    irc_announce: bool = Field(
        default=False,
        description="Announce in the channel the changes made elsewhere (web, API, CLI).",
    )
    irc_trust_channel_modes: bool = Field(
        default=False,
        description="The old bot's trust: channel op acts as organizer, voice as chair "
        "of any team (else roles need a network account or 'identify TOKEN').",
    )

    # -- Matrix bot (``ptghub bot matrix``) -----------------------------------------
    matrix_homeserver: str = Field(default="http://127.0.0.1:8008", description="Homeserver URL.")
    matrix_user: str | None = Field(default=None, description="Bot user id, @bot:example.org.")
    matrix_access_token: str | None = Field(default=None, description="Bot access token.")
    matrix_password: str | None = Field(
        default=None, description="Bot password (used when there is no access token)."
    )
    matrix_room: str | None = Field(default=None, description="Room id or alias to join.")
    matrix_event: str | None = Field(
        default=None, description="Event slug the bot serves (default: the current event)."
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
