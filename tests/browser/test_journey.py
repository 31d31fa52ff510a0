"""A chair's whole way in a real browser, with every part real: sign in (by a link mailed
through the SMTP server, or with the OpenID Connect provider), link an IRC nick by the
code the personal page shows (sent to the bot on ngircd), then book a free cell and set
what the team discusses now from the board, while a second browser's board shows both
on the live stream.

ptghub runs in this process (uvicorn on a free port) on the test's store: the small test
event, its clock on Monday 4 April 2022 at 13:30 UTC. The organizer made the person's web
nick a chair of nova; the IRC nick the person links carries that role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, Page, expect

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL, irc_config, ircd, person, start_bot  # noqa: F401
from tests.bot.irc.test_adapter import reply
from tests.browser.conftest import LIVE_WAIT
from tests.mailserver import MailServer
from tests.oidc.provider import ALICE, RunningProvider, served_with_provider
from tests.web.serving import Running

pytestmark = pytest.mark.irc

ORGANIZER = Actor("olivia", frontend="test")
BOARD = "/events/test-ptg/board"
CELL = "Coiste Bainisti-Mon-P1"
MONDAY = "grid-2022-04-04"
TOPIC = "Placement API"


@pytest.fixture
def site(store: Store, mail_server: MailServer) -> Iterator[tuple[Running, RunningProvider]]:
    """ptghub with the test provider for OpenID Connect and the test SMTP server for mail."""
    with served_with_provider(store, **mail_server.settings()) as site:
        yield site


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _by_mailed_link(page: Page, store: Store, mail_server: MailServer, address: str) -> None:
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Mail me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")
    # Playwright's sync API holds this thread's event loop; ptghub's sender runs its own.
    with ThreadPoolExecutor(1) as thread:
        arrived = thread.submit(mail_server.deliver, store).result()
    [mail] = [m for m in arrived if address in m.rcpt_tos]
    links = re.findall(r"https?://\S+token=\S+", _text(mail.message))
    assert len(links) == 1, _text(mail.message)
    page.goto(links[0])
    page.get_by_role("button", name="Sign in").click()


def _by_openid_connect(page: Page, store: Store, mail_server: MailServer, address: str) -> None:
    page.get_by_role("link", name=re.compile("Test ID")).click()
    page.get_by_label("User name").fill(ALICE.login)
    page.get_by_label("Password").fill(ALICE.password)
    page.get_by_role("button", name="Sign in").click()


SignIn = Callable[[Page, Store, MailServer, str], None]


@pytest.mark.parametrize("sign_in", [_by_mailed_link, _by_openid_connect], ids=["link", "oidc"])
def test_a_chair_signs_in_links_irc_and_acts_from_the_board_seen_by_everyone(
    browser: Browser,
    store: Store,
    mail_server: MailServer,
    site: tuple[Running, RunningProvider],
    start_bot: Callable[..., object],  # noqa: F811
    person: Callable[..., IrcClient],  # noqa: F811
    sign_in: SignIn,
) -> None:
    running, _ = site
    address = ALICE.email
    account = store.accounts.sign_up(address, "Alice Smith")
    store.run(f"~role grant {account.web_nick} chair nova", ORGANIZER)
    start_bot()
    chair_context, viewer_context = browser.new_context(), browser.new_context()
    try:
        viewer = viewer_context.new_page()
        viewer.goto(f"{running.url}{BOARD}")
        cell = f"[data-live='{MONDAY}'] td[data-cell='{CELL}']"
        expect(viewer.locator(cell)).to_have_class("cell free")

        page = chair_context.new_page()
        page.goto(f"{running.url}/signin?next={BOARD}")
        sign_in(page, store, mail_server, address)
        page.wait_for_url(f"**{BOARD}")
        expect(page.locator("header.site .account a")).to_have_text("Alice Smith")

        # The IRC nick, linked by the code the personal page shows.
        page.goto(f"{running.url}/me/chat")
        page.get_by_role("button", name="Link a chat identity").click()
        code = page.locator("[data-link-code] code").inner_text()
        alice = person("alicesmith", "al")
        alice.say(BOT_NICK, f"link {code}")
        assert reply(alice, private=True).startswith(
            "OK, linked IRC nick alicesmith to Alice Smith; your roles in Test PTG: chair of nova."
        )
        page.reload()
        expect(page.get_by_text("alicesmith")).to_have_count(1)
        alice.say(CHANNEL, "#nova next Quotas")
        assert reply(alice) == "alicesmith: OK, nova next: Quotas"

        # Book a free cell and set now from the board; the other browser sees both.
        page.goto(f"{running.url}{BOARD}")
        page.locator(cell).click()
        dialog = page.get_by_role("dialog", name=f"Book {CELL}")
        dialog.get_by_role("button", name="Book").click()
        expect(page.locator("#act-reply")).to_have_text(f"OK, {CELL} is now booked for nova.")
        page.get_by_label("Now", exact=True).fill(TOPIC)
        page.get_by_role("button", name="Set now").click()
        expect(page.locator("#act-reply")).to_contain_text(f"OK, nova now discusses: {TOPIC}")

        expect(viewer.locator(cell)).to_have_class("cell booked", timeout=LIVE_WAIT)
        expect(viewer.locator("[data-live='now-next']")).to_contain_text(TOPIC, timeout=LIVE_WAIT)
        authors = [entry.author for entry in store.audit()[-3:]]
        assert authors == [
            "Alice Smith (alicesmith, irc)",
            f"Alice Smith ({account.web_nick}, web)",
            f"Alice Smith ({account.web_nick}, web)",
        ]
    finally:
        chair_context.close()
        viewer_context.close()
