"""The IRC bot's configuration: from settings, checked with clear messages."""

from __future__ import annotations

import pytest

from ptghub.bot.irc.config import IrcConfig
from ptghub.core.errors import InvalidInput
from ptghub.settings import Settings


def test_from_settings_takes_every_irc_field() -> None:
    settings = Settings(
        irc_server="irc.oftc.net",
        irc_port=6697,
        irc_tls=True,
        irc_nick="ptgbot",
        irc_password="secret",
        irc_channel="#openinfra-events",
        irc_event="ptg-2022-04",
        irc_announce=True,
        irc_trust_channel_modes=True,
    )

    assert IrcConfig.from_settings(settings) == IrcConfig(
        server="irc.oftc.net",
        port=6697,
        tls=True,
        nick="ptgbot",
        password="secret",
        channel="#openinfra-events",
        event="ptg-2022-04",
        announce=True,
        trust_channel_modes=True,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"server": " "}, "The IRC server is empty; give a host name, e.g. irc.oftc.net."),
        ({"port": 0}, "The IRC port 0 is not between 1 and 65535."),
        ({"nick": "ptg bot"}, "'ptg bot' is not a valid IRC nick"),
        ({"nick": "1bot"}, "'1bot' is not a valid IRC nick"),
        ({"channel": "ptg"}, "'ptg' is not an IRC channel: it starts with # (e.g. #ptg)"),
        ({"channel": "#a,b"}, "'#a,b' is not an IRC channel"),
        ({"min_backoff": 0.0}, "Reconnection delays must satisfy 0 < 0.0 <= 60.0."),
    ],
)
def test_bad_values_are_refused_with_what_is_expected(
    changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"server": "irc.example.org", **changes}
    with pytest.raises(InvalidInput) as error:
        IrcConfig(**values)  # type: ignore[arg-type]
    assert error.value.message.startswith(message)
