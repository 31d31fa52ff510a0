"""How long one person's flood of commands delays another person's reply on a real IRC server.

Starts ngircd (tests/bot/irc/ircd.py), the IRC bot on a SQLite copy of the test event, and
two people (tests/bot/irc/client.py). The flooder sends N 'help' in private (4 lines
each) and N '+in #nova' in the channel; once the bot has handled the whole flood, bob
sends '+seen flooder' and the time until bob's reply arrives is measured. The same run
measures the baseline: the same bot with every reply in one first-in, first-out queue
(what the bot did before the fair queue). Target: bob's reply within 2 s with the fair
queue (exit status 1 otherwise). Needs ngircd (Debian's /usr/sbin/ngircd) and the test
dependencies (pytest).

    python bench/irc_flood.py            # N = 25, the bot's default pace (1 line a second)
    python bench/irc_flood.py --n 10 --interval 0.4
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.bot.irc.client import IrcClient  # noqa: E402
from tests.bot.irc.ircd import IrcServer  # noqa: E402
from tests.support import small_event  # noqa: E402

from ptghub.bot.irc.adapter import IrcBot  # noqa: E402
from ptghub.bot.irc.config import IrcConfig  # noqa: E402
from ptghub.core.model import Actor  # noqa: E402
from ptghub.store.store import Store  # noqa: E402

CHANNEL = "#ptg"
TARGET = 2.0  # seconds


class FifoBot(IrcBot):
    """The baseline: every reply in one queue, first in, first out, nothing dropped."""

    def _queue_reply(self, asker: str, target: str, text: str) -> None:
        self.sender.put("everyone", f"PRIVMSG {target} :{text}", capped=False)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"not within {timeout} s: {what}")
        time.sleep(0.02)


def one_run(kind: type[IrcBot], config: IrcConfig, directory: Path, n: int) -> float:
    """Seconds from bob's '+seen' to its reply, behind a flood of ``n`` + ``n`` commands."""
    server = IrcServer(directory / "ircd")
    server.start()
    store = Store.open(f"sqlite:///{directory / 'ptghub.sqlite3'}")
    store.create_event(small_event(), Actor("loader", operator=True), "bench setup")
    base = len(store.audit())
    bot = kind(store, replace(config, server=server.host, port=server.port))
    people: list[IrcClient] = []
    try:
        bot.start()
        wait_until(bot.in_channel.is_set, "the bot joined")
        for nick in ("flooder", "bob"):
            person = IrcClient(server.host, server.port, nick).connect()
            person.join(CHANNEL)
            people.append(person)
        flooder, bob = people
        for _ in range(n):
            flooder.say(config.nick, "help")
        for _ in range(n):
            flooder.say(CHANNEL, "+in #nova")
        wait_until(lambda: len(store.audit()) == base + n, "the bot handled the flood")
        started = time.monotonic()
        bob.say(CHANNEL, "+seen flooder")
        bob.expect(lambda line: line.text.startswith("bob: flooder was last seen"), 600)
        delay = time.monotonic() - started
        assert bot.connects == 1, "the bot was disconnected"
        return delay
    finally:
        for person in people:
            person.close()
        bot.stop()
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=25, help="commands of each kind (25)")
    parser.add_argument("--interval", type=float, default=1.0, help="send pace, s (1.0)")
    args = parser.parse_args()
    config = IrcConfig(
        server="127.0.0.1", channel=CHANNEL, send_interval=args.interval, write_rate=None
    )
    results: dict[str, float] = {}
    for name, kind in (("fair queue", IrcBot), ("one FIFO queue (baseline)", FifoBot)):
        with tempfile.TemporaryDirectory() as directory:
            results[name] = one_run(kind, config, Path(directory), args.n)
    print(f"flood: {args.n} 'help' + {args.n} '+in', pace 1 line / {args.interval} s (ngircd)")
    print(f"{'replies':<28} {'bob waited (s)':>14}")
    for name, delay in results.items():
        print(f"{name:<28} {delay:>14.2f}")
    fair = results["fair queue"]
    baseline = results["one FIFO queue (baseline)"]
    print(f"ratio fair / baseline: {fair / baseline:.3f}")
    verdict = "PASS" if fair <= TARGET else "FAIL"
    print(f"target: bob's reply within {TARGET:.0f} s behind the flood: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
