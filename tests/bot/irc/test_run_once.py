"""Run once: of two ``ptghub bot irc`` processes for one channel (one database) exactly
one joins, and when it is killed (SIGKILL, no clean stop) the other joins by itself.

The lease lasts 4 s here (PTGHUB_LEASE_TTL; 20 s by default) to keep the test short;
the takeover is waited for generously, not timed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ptghub.store.leases import Leases
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.ircd import IrcServer
from tests.cli.processes import SHORT_LEASE, Process, lease_holder, wait_for


def _joins(client: IrcClient) -> list[str]:
    """The nicks seen joining, in order."""
    return [line.nick for line in list(client.lines) if line.command == "JOIN"]


@pytest.mark.irc
@pytest.mark.slow
@pytest.mark.timeout(240)
def test_of_two_irc_bots_for_one_channel_one_joins_and_the_other_after_a_kill(
    store: Store, database_url: str, ircd: IrcServer, tmp_path: Path
) -> None:
    chair = IrcClient(ircd.host, ircd.port, "nchair", "nc")
    chair.connect()
    chair.join("#ptg")
    leases = Leases(store.engine)
    bots: list[Process] = []
    try:
        for nick in ("bota", "botb"):  # one nick each, to tell them apart in the channel
            args = ["bot", "irc", "--server", ircd.host, "--port", str(ircd.port)]
            args += ["--channel", "#PTG", "--nick", nick, "--no-announce"]
            bots.append(Process(database_url, args, SHORT_LEASE, tmp_path / f"{nick}.log"))
        name = f"irc:{ircd.host}/#ptg"
        wait_for(lambda: lease_holder(leases, name, bots), "one bot holds the lease")
        holder = lease_holder(leases, name, bots)
        standby = next(bot for bot in bots if bot is not holder)
        assert holder is not None
        nicks = {bots[0]: "bota", bots[1]: "botb"}
        wait_for(lambda: nicks[holder] in _joins(chair), "the holder joins the channel")
        waiting = f"IRC bot: waiting: another process holds it ({holder.name})"
        wait_for(lambda: waiting in standby.output(), "the standby says it waits")
        chair.say("#ptg", "#nova now Placement API")
        chair.expect(lambda line: line.command == "PRIVMSG" and line.nick == nicks[holder])

        holder.kill()
        killed = time.monotonic()
        wait_for(lambda: nicks[standby] in _joins(chair), "the standby joins", timeout=60)
        print(f"takeover: the other IRC bot joined {time.monotonic() - killed:.1f} s after kill -9")
        assert _joins(chair) == ["nchair", nicks[holder], nicks[standby]]  # once each
        assert lease_holder(leases, name, bots) is standby
        chair.say("#ptg", "#nova now Scheduling")
        chair.expect(lambda line: line.command == "PRIVMSG" and line.nick == nicks[standby])
    finally:
        for bot in bots:
            bot.stop()
        chair.close()
