"""``ptghub token``: create, list and revoke, with label, expiry and event scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.store.tokens import parse_expiry
from tests.cli.running import run
from tests.support import small_event

NOW = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


def test_token_create_identify_revoke(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "token", "create", "--for", "Alice")
    header, secret = stdout.splitlines()
    assert (code, header) == (0, "Token #1 for Alice (shown only now):")
    assert store.tokens.identify(secret, event=None) == "Alice"
    assert run(database_url, "token", "revoke", "1")[:2] == (
        0,
        "OK, token #1 of Alice is revoked.\n",
    )
    assert store.tokens.identify(secret, event=None) is None
    code, _, stderr = run(database_url, "token", "revoke", "1")
    assert (code, stderr) == (1, "There is no active token #1; 'ptghub token list'.\n")


def test_token_list_never_shows_secrets(store: Store, database_url: str) -> None:
    _, created, _ = run(database_url, "token", "create", "--for", "alice")
    secret = created.splitlines()[1]
    code, stdout, _ = run(database_url, "token", "list")
    assert code == 0 and secret not in stdout


def test_token_list_shows_label_scope_creation_last_use_expiry_and_state(
    store: Store, database_url: str
) -> None:
    """The CLI runs on the real clock: times are checked against what the store holds."""
    created, *rest = small_event()
    assert isinstance(created, EventCreated)
    other = [EventCreated(replace(created.info, slug="other-ptg")), *rest]
    store.create_event(other, Actor("loader", operator=True), "load other")
    args = ("token", "create", "--for")
    _, out, _ = run(database_url, *args, "bob", "--label", "laptop", "--expires", "30d",
                    "--event", "test-ptg")  # fmt: skip
    run(database_url, *args, "olivia", "--expires", "2w", "-e", "other-ptg")
    run(database_url, *args, "eve")
    run(database_url, "token", "revoke", "3")
    store.tokens.identify(out.splitlines()[1], event="test-ptg")
    bob, olivia, eve = store.tokens.list()
    assert bob.expires_at is not None and bob.last_used_at is not None
    assert olivia.expires_at is not None
    assert eve.revoked_at is not None
    assert bob.expires_at - bob.created_at == timedelta(days=30)

    def at(moment: datetime) -> str:
        return f"{moment:%Y-%m-%d %H:%M}"

    code, stdout, _ = run(database_url, "token", "list")
    assert (code, stdout.splitlines()) == (
        0,
        [
            f'#1  bob  "laptop"  event test-ptg  created {at(bob.created_at)}  '
            f"last used {at(bob.last_used_at)}  expires {at(bob.expires_at)}  active",
            f"#2  olivia  (no label)  event other-ptg  created {at(olivia.created_at)}  "
            f"last used never  expires {at(olivia.expires_at)}  active",
            f"#3  eve  (no label)  every event  created {at(eve.created_at)}  "
            f"last used never  expires never  revoked {at(eve.revoked_at)} UTC",
        ],
    )
    assert run(database_url, "token", "list", "--for", "OLIVIA")[1].startswith("#2  olivia  ")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--expires", "soon"),
         2, "'soon' is not an expiry; expected a duration such as 12h, 30d or 8w, a date such "
            "as 2026-05-01 or a time such as 2026-05-01T18:00 (UTC)."),
        (("--expires", "2001-01-01"),
         2, "The expiry 2001-01-01 00:00 UTC is already past; give a later date or a duration "
            "such as 30d."),
        (("--event", "nope"), 1, "Unknown event 'nope'; 'ptghub event list' shows the events."),
        (("--label", "a\x07b"),
         2, "The token label contains a non-printable character (U+0007) at position 2; use "
            "printable text only."),
    ],
)  # fmt: skip
def test_token_create_with_bad_option_is_refused_and_creates_nothing(
    store: Store, database_url: str, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(database_url, "token", "create", "--for", "bob", *args)
    assert (result[0], result[2], store.tokens.list()) == (code, message + "\n", [])


@pytest.mark.parametrize(
    ("text", "expiry"),
    [
        ("12h", NOW + timedelta(hours=12)),
        ("30d", NOW + timedelta(days=30)),
        ("8w", NOW + timedelta(weeks=8)),
        ("2022-05-01", datetime(2022, 5, 1, tzinfo=UTC)),
        ("2022-05-01T18:00", datetime(2022, 5, 1, 18, tzinfo=UTC)),
        ("2022-05-01T18:00+02:00", datetime(2022, 5, 1, 16, tzinfo=UTC)),
    ],
)
def test_parse_expiry_takes_durations_dates_and_times(text: str, expiry: datetime) -> None:
    assert parse_expiry(text, NOW) == expiry


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0d", "'0d' is not an expiry"),
        ("99999999d", "'99999999d' is not an expiry"),
        ("2022-02-30", "'2022-02-30' is not an expiry"),
        ("2022-04-04T13:30", "The expiry 2022-04-04 13:30 UTC is already past"),
        ("2050-01-01", "The expiry 2050-01-01 00:00 UTC is more than 3660 days away"),
    ],
)
def test_parse_expiry_refuses_what_is_not_a_future_time(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_expiry(text, NOW)
    assert error.value.message.split(";")[0] == message
