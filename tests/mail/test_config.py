"""The SMTP settings, checked once: what is sent through where, and settings that cannot work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.mail.config import SmtpConfig
from ptghub.settings import Settings


def _config(**values: Any) -> SmtpConfig | None:
    return SmtpConfig.from_settings(Settings.model_construct(**values))


def test_no_smtp_host_means_no_mail_is_sent() -> None:
    assert _config() is None
    assert _config(smtp_host="  ", smtp_from="ptg@example.org") is None


@pytest.mark.parametrize(
    ("security", "port", "described"),
    [
        ("starttls", 587, "smtp.example.org:587 with STARTTLS, from ptg@example.org"),
        ("tls", 465, "smtp.example.org:465 over TLS, from ptg@example.org"),
        ("none", 25, "smtp.example.org:25 unencrypted, from ptg@example.org"),
    ],
)
def test_the_port_follows_the_security_unless_given(
    security: str, port: int, described: str
) -> None:
    config = _config(
        smtp_host="smtp.example.org",
        smtp_security=security,
        smtp_from="OpenInfra PTG <ptg@example.org>",
        smtp_timeout=30.0,
    )
    assert config is not None
    assert (config.port, config.sender, config.envelope_from, config.describe()) == (
        port,
        "OpenInfra PTG <ptg@example.org>",
        "ptg@example.org",
        described,
    )
    other = _config(
        smtp_host="smtp.example.org",
        smtp_port=2525,
        smtp_security=security,
        smtp_from="ptg@example.org",
        smtp_username="ptg",
        smtp_password="secret",
        smtp_timeout=30.0,
    )
    assert other is not None and other.port == 2525
    assert other.describe().endswith(", logged in as ptg, from ptg@example.org")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {},
            "PTGHUB_SMTP_HOST is set but PTGHUB_SMTP_FROM is not: give the From of ptghub's "
            "mail, e.g. 'OpenInfra PTG <ptg@example.org>'.",
        ),
        (
            {"smtp_from": "PTG"},
            "PTGHUB_SMTP_FROM 'PTG' has no usable address; write it as ptg@example.org or "
            "'OpenInfra PTG <ptg@example.org>'.",
        ),
        (
            {"smtp_from": "ptg@example.org", "smtp_username": "ptg"},
            "Give both PTGHUB_SMTP_USERNAME and PTGHUB_SMTP_PASSWORD to log in, or neither.",
        ),
        (
            {"smtp_from": "ptg@example.org", "smtp_ca_file": Path("/nowhere/ca.pem")},
            "PTGHUB_SMTP_CA_FILE /nowhere/ca.pem is not a file.",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_with_what_to_change(
    values: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _config(smtp_host="smtp.example.org", **values)
    assert refused.value.message == message


def test_a_bad_security_or_port_is_refused_by_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTGHUB_SMTP_SECURITY", "ssl")
    with pytest.raises(ValueError, match="Input should be 'none', 'starttls' or 'tls'"):
        Settings()
    monkeypatch.setenv("PTGHUB_SMTP_SECURITY", "tls")
    monkeypatch.setenv("PTGHUB_SMTP_PORT", "70000")
    with pytest.raises(ValueError, match="Input should be less than 65536"):
        Settings()


@pytest.mark.parametrize(
    ("values", "domain"),
    [
        ({"smtp_from": "PTG <ptg@Events.Example.org>"}, "events.example.org"),
        ({"public_url": "https://ptg.example.org"}, "ptg.example.org"),
        ({}, "ptghub.invalid"),
    ],
)
def test_message_ids_are_named_after_the_from_address_else_the_site(
    values: dict[str, Any], domain: str
) -> None:
    assert Settings.model_construct(**values).mail_domain == domain
