"""What the mail sender needs to know, checked once, from the ``PTGHUB_SMTP_*`` settings."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from ptghub.core.errors import InvalidInput
from ptghub.settings import Settings

DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """One SMTP server and how to talk to it; ``sender`` is the From header as written,
    ``envelope_from`` its bare address (MAIL FROM)."""

    host: str
    port: int
    security: str  # none | starttls | tls
    sender: str
    envelope_from: str
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    ca_file: Path | None = None
    # Our name in EHLO. The host name, not socket.getfqdn(): that may wait on DNS.
    helo: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The configuration; None when no SMTP host is set (no mail is sent). Refused
        with what to change when the settings cannot work."""
        host = (settings.smtp_host or "").strip()
        if not host:
            return None
        if not settings.smtp_from:
            raise InvalidInput(
                "PTGHUB_SMTP_HOST is set but PTGHUB_SMTP_FROM is not: give the From of "
                "ptghub's mail, e.g. 'OpenInfra PTG <ptg@example.org>'."
            )
        _name, address = parseaddr(settings.smtp_from)
        local, at, domain = address.rpartition("@")
        if not (local and at and "." in domain) or any(c in settings.smtp_from for c in "\r\n"):
            raise InvalidInput(
                f"PTGHUB_SMTP_FROM '{settings.smtp_from[:80]}' has no usable address; write "
                "it as ptg@example.org or 'OpenInfra PTG <ptg@example.org>'."
            )
        if (settings.smtp_username is None) != (settings.smtp_password is None):
            raise InvalidInput(
                "Give both PTGHUB_SMTP_USERNAME and PTGHUB_SMTP_PASSWORD to log in, or neither."
            )
        if settings.smtp_ca_file is not None and not settings.smtp_ca_file.is_file():
            raise InvalidInput(f"PTGHUB_SMTP_CA_FILE {settings.smtp_ca_file} is not a file.")
        security = settings.smtp_security
        return cls(
            host=host,
            port=settings.smtp_port or DEFAULT_PORTS[security],
            security=security,
            sender=settings.smtp_from.strip(),
            envelope_from=address,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.smtp_timeout,
            ca_file=settings.smtp_ca_file,
            helo=socket.gethostname() or "localhost",
        )

    def tls_context(self) -> ssl.SSLContext | None:
        """A verifying context on ``ca_file``; None for the system's defaults."""
        if self.security == "none" or self.ca_file is None:
            return None
        return ssl.create_default_context(cafile=str(self.ca_file))

    def describe(self) -> str:
        """``smtp.example.org:587 with STARTTLS, logged in as ptg, from ptg@example.org``."""
        how = {"none": "unencrypted", "starttls": "with STARTTLS", "tls": "over TLS"}
        login = f", logged in as {self.username}" if self.username else ""
        return f"{self.host}:{self.port} {how[self.security]}{login}, from {self.envelope_from}"
