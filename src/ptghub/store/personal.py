"""What the store keeps of people beyond their nicks and tokens: accounts and sessions,
sign-in links, profiles, chat link codes, and their mail (the outbox)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Engine

from ptghub.store.accounts import Accounts
from ptghub.store.link_codes import LinkCodes
from ptghub.store.outbox import Outbox
from ptghub.store.profiles import Profiles
from ptghub.store.sign_in_links import SignInLinks
from ptghub.store.tokens import Tokens


class Personal(NamedTuple):
    accounts: Accounts
    outbox: Outbox
    links: SignInLinks  # magic links and address verification
    profiles: Profiles
    link_codes: LinkCodes


def personal(engine: Engine, clock: Callable[[], datetime], tokens: Tokens) -> Personal:
    accounts = Accounts(engine, clock)
    return Personal(
        accounts,
        Outbox(engine, clock),
        SignInLinks(engine, clock),
        Profiles(engine, clock, accounts, tokens),
        LinkCodes(engine, clock),
    )
