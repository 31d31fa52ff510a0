"""Typed settings: defaults < TOML file (``PTGHUB_CONFIG``) < ``PTGHUB_*`` variables < flags.

Built by the CLI in ``main()``, never at import time, so tests and tools can build their own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ptghub.core.clock import SimulatedClock, parse_moment, parse_speed
from ptghub.core.errors import InvalidInput
from ptghub.core.ratelimit import Rate
from ptghub.settings_operations import OperationsSettings


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ptghub"


class Settings(OperationsSettings):
    """Every setting: these, and those of running ptghub as a service
    (``OperationsSettings``, kept in their own module)."""

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

    # -- Sign-in with OpenID Connect (``/signin/oidc``) -------------------------------
    oidc_issuer: str | None = Field(
        default=None,
        description="The issuer of the OpenID Connect provider people may sign in with, "
        "exactly as it names itself (its discovery document is ISSUER/.well-known/"
        "openid-configuration). https, or http on a loopback address for tests. Unset: no "
        "OpenID Connect sign-in.",
    )
    oidc_client_id: str | None = Field(
        default=None, description="ptghub's client id at the OpenID Connect provider."
    )
    oidc_client_secret: str | None = Field(
        default=None,
        description="ptghub's client secret at the provider. Only from the environment or "
        "the config file, never a flag.",
    )
    oidc_name: str = Field(
        default="OpenID Connect",
        description="What the sign-in button calls the provider, e.g. OpenInfra ID.",
    )
    oidc_scopes: str = Field(
        default="openid email profile",
        description="Space-separated scopes asked for; they must include openid (and email, "
        "unless the provider gives the verified address otherwise).",
    )

    @field_validator("oidc_issuer")
    @classmethod
    def _oidc_issuer(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        parts = urlsplit(value)
        loopback = parts.hostname in ("127.0.0.1", "::1", "localhost")
        if (
            not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
            or not parts.hostname
            or parts.username is not None
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                "oidc_issuer must be the provider's https address with no query, such as "
                f"https://id.example.org (http only on a loopback address); got {value[:80]!r}"
            )
        return value

    @field_validator("oidc_scopes")
    @classmethod
    def _oidc_scopes(cls, value: str) -> str:
        scopes = value.split()
        if "openid" not in scopes:
            raise ValueError(f"oidc_scopes must include openid; got {value[:80]!r}")
        return " ".join(scopes)

    @model_validator(mode="after")
    def _oidc_client(self) -> Settings:
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise ValueError(
                "oidc_issuer is set, so oidc_client_id and oidc_client_secret are needed too "
                "(PTGHUB_OIDC_CLIENT_ID, PTGHUB_OIDC_CLIENT_SECRET): the provider gives them "
                "when ptghub is registered as a client."
            )
        return self

    # -- The clock: real, or simulated for a demo or a rehearsal ----------------------
    clock: str | None = Field(
        default=None,
        description="Simulate the clock: the moment it reads when the process starts, e.g. "
        "2022-04-05T15:10Z ('now' or unset: the real time). Boards, pages, commands and the "
        "audit log all use it; 'ptghub demo' starts on its event's second day by default.",
    )
    clock_speed: float = Field(
        default=1.0,
        description="How fast a simulated clock runs: 1 is real time, 60 a minute a second.",
    )

    @field_validator("clock")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_moment(value)
            except InvalidInput as error:
                raise ValueError(error.message) from None
        return value

    @field_validator("clock_speed", mode="before")
    @classmethod
    def _clock_speed(cls, value: object) -> float:
        try:
            return parse_speed(value if isinstance(value, str | int | float) else str(value))
        except InvalidInput as error:
            raise ValueError(error.message) from None

    def make_clock(self) -> Callable[[], datetime] | None:
        """A ``SimulatedClock`` starting now at ``clock``; None for the real time."""
        start = parse_moment(self.clock) if self.clock is not None else None
        return SimulatedClock(start, self.clock_speed) if start is not None else None

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

    # -- Web server (``ptghub serve``): what one client may take ---------------------
    web_max_body: int = Field(
        default=1_048_576,
        gt=0,
        description="Largest request body in bytes; larger ones get 413 before being read.",
    )
    web_max_command_body: int = Field(
        default=16_384,
        gt=0,
        description="Largest body in bytes for POST /api/v1/events/SLUG/commands and a "
        "page's POST /events/SLUG/commands.",
    )
    web_max_connections: int = Field(
        default=1000,
        gt=0,
        description="Open connections in all; past it a new one gets 503 and is closed. "
        "Kept below the process's open-files limit.",
    )
    web_max_connections_per_client: int = Field(
        default=200,
        gt=0,
        description="Open connections from one address (trusted proxies excepted); past "
        "it a new one gets 503 and is closed. Raise it for a venue behind one NAT address.",
    )
    web_max_streams_per_client: int = Field(
        default=50,
        gt=0,
        description="Live streams (/events/SLUG/stream) open from one client address; past it 429.",
    )
    web_header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client has to send a request's headers; then it is closed.",
    )
    web_auth_failures: str = Field(
        default="20/60",
        description="Failed authentications allowed per client address, COUNT/SECONDS"
        "[/BURST]; past it 429 with Retry-After.",
    )
    web_writes_per_token: str = Field(
        default="300/60/60",
        description="Writes allowed per API token, and per person from the pages' forms, "
        "COUNT/SECONDS[/BURST]; past it 429.",
    )
    web_sign_ins_per_address: str = Field(
        default="10/3600/3",
        description="Sign-in links (and address checks) mailed to one address, COUNT/SECONDS"
        "[/BURST]; past it 429 with Retry-After.",
    )
    web_sign_ins_per_client: str = Field(
        default="120/3600/30",
        description="Sign-in links asked for from one client address (an event's wifi is "
        "one address for many people), COUNT/SECONDS[/BURST]; past it 429 with Retry-After.",
    )
    web_trusted_proxies: str = Field(
        default="127.0.0.1",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For "
        "is believed and whose connections the per-client limit does not count.",
    )

    @field_validator(
        "web_auth_failures",
        "web_writes_per_token",
        "web_sign_ins_per_address",
        "web_sign_ins_per_client",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        Rate.parse(value)  # raises ValueError with the expected form
        return value

    # -- Chat bots: flood control and write limits ----------------------------------
    bot_write_rate: str = Field(
        default="20/60/10",
        description="Changes each chat identity (IRC nick or account, Matrix user) may make "
        "through a bot: COUNT/SECONDS or COUNT/SECONDS/BURST (default 10 at once, then 20 "
        "a minute); past it the bot refuses politely and applies nothing. 'off': no limit.",
    )
    irc_send_burst: int = Field(
        default=4,
        ge=1,
        description="Lines the IRC bot may write at once before pacing (keep it under the "
        "network's flood limit).",
    )
    irc_send_interval: float = Field(
        default=1.0,
        gt=0,
        description="Seconds between the IRC bot's lines after a burst: the network's pace "
        "(1.0 suits Libera/Solanum; ngircd reads about 3 lines a second).",
    )
    irc_send_queue: int = Field(
        default=10,
        ge=1,
        description="Reply lines one person may have waiting; past it their replies are "
        "dropped and they are told once to slow down.",
    )

    @field_validator("bot_write_rate")
    @classmethod
    def _check_bot_write_rate(cls, value: str) -> str:
        if value.strip().lower() != "off":
            Rate.parse(value)  # raises ValueError, which pydantic reports with the field
        return value

    def bot_write_limit(self) -> Rate | None:
        """``bot_write_rate`` as a ``Rate``; None when it is 'off'."""
        text = self.bot_write_rate.strip()
        return None if text.lower() == "off" else Rate.parse(text)

    # -- Mail (the outbox's sender in ``ptghub serve`` and ``ptghub mail worker``) -------
    smtp_host: str | None = Field(
        default=None,
        description="The SMTP server mail is sent through, e.g. smtp.example.org. Unset: "
        "no mail is sent; what is queued waits in the outbox.",
    )
    smtp_port: int | None = Field(
        default=None,
        gt=0,
        lt=65536,
        description="Its port; default 25 with security 'none', 587 with 'starttls', 465 "
        "with 'tls'.",
    )
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="starttls",
        description="'starttls': plain connection upgraded with STARTTLS, which the server "
        "must offer; 'tls': TLS from the start (port 465); 'none': no encryption (a relay "
        "on the same machine). Certificates are always checked.",
    )
    smtp_username: str | None = Field(
        default=None, description="Login name, when the server wants a login (with the password)."
    )
    smtp_password: str | None = Field(
        default=None,
        description="Login password. Only from the environment or the config file, never a flag.",
    )
    smtp_from: str | None = Field(
        default=None,
        description="The From of every mail, e.g. 'OpenInfra PTG <ptg@example.org>'; "
        "needed when smtp_host is set. Its domain names the Message-IDs.",
    )
    smtp_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the SMTP server at each step."
    )
    smtp_ca_file: Path | None = Field(
        default=None,
        description="A file of CA certificates to check the SMTP server's certificate "
        "against, instead of the system's (a relay with a private CA).",
    )

    @property
    def mail_domain(self) -> str:
        """The right-hand side of Message-IDs: the From address's domain, else the public
        URL's host, else 'ptghub.invalid' (a name that is nobody's)."""
        if self.smtp_from:
            domain = parseaddr(self.smtp_from)[1].rpartition("@")[2].strip().lower()
            if domain:
                return domain
        if self.public_url:
            return urlsplit(self.public_url).hostname or "ptghub.invalid"
        return "ptghub.invalid"

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
