"""Announcing changes made elsewhere: the audit log followed from the moment it starts."""

from __future__ import annotations

import threading

import pytest

from ptghub.bot.announce import MAX_PER_POLL, Announcer, announcement
from ptghub.bot.conversation import BotCore
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Incoming, Sender, is_irc_nick, is_matrix_id
from ptghub.core.model import Actor
from ptghub.live.follower import Follower
from ptghub.store.store import Store

WEB = Actor("olivia", frontend="web")
BOT = Actor("nchair", frontend="irc")


@pytest.fixture
def sent() -> list[str]:
    return []


@pytest.fixture
def announcer(store: Store, sent: list[str]) -> Announcer:
    follower = Announcer(store, None, sent.append, skip_frontends={"irc"}, interval=0.05)
    follower.begin()
    return follower


def test_changes_before_the_start_are_never_announced(
    store: Store, announcer: Announcer, sent: list[str]
) -> None:
    assert announcer.poll() == 0
    assert sent == []


def test_each_change_from_elsewhere_is_one_line_and_own_frontend_is_skipped(
    store: Store, announcer: Announcer, sent: list[str]
) -> None:
    store.run("#nova now Placement API", WEB)
    store.run("#nova next Cells", BOT)
    store.run("#cinder book Austin-Tue-A1", Actor("ccchair", frontend="api"))

    assert announcer.poll() == 2
    assert sent == [
        "olivia (web): #nova now Placement API",
        "ccchair (api): #cinder book Austin-Tue-A1",
    ]
    assert announcer.poll() == 0  # nothing new: one version read, nothing sent
    assert len(sent) == 2


def test_a_refused_or_empty_command_announces_nothing(
    store: Store, announcer: Announcer, sent: list[str]
) -> None:
    store.run("help", WEB)

    assert announcer.poll() == 0
    assert sent == []


def test_a_burst_of_changes_is_summed_up_after_the_first_ten(
    store: Store, announcer: Announcer, sent: list[str]
) -> None:
    for number in range(MAX_PER_POLL + 3):
        store.run(f"#nova now topic {number}", WEB)

    assert announcer.poll() == MAX_PER_POLL + 1
    assert sent[0] == "olivia (web): #nova now topic 0"
    assert sent[MAX_PER_POLL - 1] == f"olivia (web): #nova now topic {MAX_PER_POLL - 1}"
    assert sent[-1] == "… and 3 more change(s); 'ptghub audit' lists them all."


def test_announcement_is_one_line_cut_to_the_limit(store: Store) -> None:
    store.run("#nova now " + "long  words " * 3, WEB)
    entry = store.audit()[-1]

    assert announcement(entry) == "olivia (web): #nova now long words long words long words"
    line = announcement(entry, limit=20)
    assert (line, len(line)) == ("olivia (web): #nova…", 20)


def test_thread_announces_until_stopped(store: Store) -> None:
    heard = threading.Event()
    lines: list[str] = []

    def send(line: str) -> None:
        lines.append(line)
        heard.set()

    follower = Announcer(store, "test-ptg", send, skip_frontends={"irc"}, interval=0.02)
    follower.start()
    try:
        store.run("#nova now Placement API", WEB)
        assert heard.wait(10)
    finally:
        follower.stop()
    assert lines == ["olivia (web): #nova now Placement API"]


def test_interval_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="the announce interval must be positive, not 0"):
        Announcer(store, None, print, skip_frontends=(), interval=0)


# -- subscription notices for changes made elsewhere ---------------------------------------


def test_subscribers_hear_of_a_now_and_next_set_elsewhere(store: Store) -> None:
    """A 'now' set on the web reaches subscribers through the bot, worded as the commands'."""
    store.run("subscribe placement", Actor("ann", frontend="irc"))
    store.run("subscribe cells", Actor("@bob:example.org", frontend="matrix"))
    notices: list[tuple[str, str]] = []
    follower = Announcer(
        store,
        None,
        print,
        skip_frontends={"irc"},
        announce=False,
        notify=lambda n, t: notices.append((n, t)),
    )
    follower.begin()

    store.run("#nova now Placement API", WEB)
    store.run("#nova next Cells v2", WEB)

    assert follower.poll() == 2
    assert notices == [
        ("ann", "#nova now Placement API"),
        ("@bob:example.org", "#nova next Cells v2"),
    ]


def test_only_reachable_subscribers_and_never_the_author_or_own_changes(store: Store) -> None:
    store.run("subscribe nova", Actor("ann", frontend="irc"))
    store.run("subscribe nova", Actor("@bob:example.org", frontend="matrix"))
    store.run("subscribe nova", Actor("olivia", frontend="web"))
    notices: list[tuple[str, str]] = []
    follower = Announcer(
        store,
        None,
        print,
        skip_frontends={"matrix"},
        announce=False,
        notify=lambda n, t: notices.append((n, t)),
        reachable=is_matrix_id,
    )
    follower.begin()

    store.run("#nova now Placement", WEB)  # olivia is the author: not told
    store.run("#nova now Cells", Actor("nchair", frontend="matrix"))  # the bot's own: skipped

    follower.poll()
    assert notices == [("@bob:example.org", "#nova now Placement")]


def test_a_clean_or_an_unchanged_now_notifies_nobody(store: Store) -> None:
    store.run("subscribe nova", Actor("ann", frontend="irc"))
    store.run("#nova now Placement", WEB)
    notices: list[tuple[str, str]] = []
    follower = Announcer(
        store,
        None,
        print,
        skip_frontends=(),
        announce=False,
        notify=lambda n, t: notices.append((n, t)),
    )
    follower.begin()

    store.run("#nova location Room 3", WEB)
    store.run("#nova clean", WEB)

    follower.poll()
    assert notices == []


def test_the_bot_core_leaves_unreachable_subscribers_to_their_own_network(store: Store) -> None:
    store.run("subscribe nova", Actor("ann", frontend="irc"))
    store.run("subscribe nova", Actor("@bob:example.org", frontend="matrix"))
    transport = MemoryTransport()
    core = BotCore(store, transport, reachable=is_irc_nick, outbox=Outbox(transport, burst=10))
    core.handle(Incoming(Sender("olivia"), "#nova now Placement", channel="#ptg"))
    core.outbox.flush()

    assert transport.to("ann") == ["#nova now Placement"]
    assert transport.to("@bob:example.org") == []


def test_announcers_of_one_store_share_the_process_follower(store: Store) -> None:
    def followers() -> int:
        return sum(t.name == "ptghub-follower" for t in threading.enumerate())

    before = followers()
    irc = Announcer(store, None, print, skip_frontends={"irc"}, interval=0.05)
    matrix = Announcer(store, "test-ptg", print, skip_frontends={"matrix"}, interval=1.0)
    irc.start()
    matrix.start()
    try:
        assert (followers() - before, Follower.of(store).running) == (1, True)
    finally:
        irc.stop()
        matrix.stop()
    assert followers() == before
