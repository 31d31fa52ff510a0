"""The commands' side of "run once": the mail sender and the bots behind their leases.

``ptghub serve`` (each of its workers), ``ptghub mail worker``, ``ptghub bot irc`` and
``ptghub bot matrix`` all wrap what must act from one process at a time in a
``live.leased.Leased``: any number of them may run on one database, one acts and the
others wait to take over (docs/mail.md, docs/bots.md: "Run once"). ``run_until_signal`` is how
the standalone commands run one until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from rich.text import Text

from ptghub.cli.context import out
from ptghub.settings import Settings

if TYPE_CHECKING:
    from ptghub.live.leased import Companion, Leased
    from ptghub.store.store import Store


def leased(
    store: Store, settings: Settings, name: str, what: str, make: Callable[[], Companion]
) -> Leased:
    """``make()``'s companion, run while this process holds lease ``name`` of ``store``'s
    database (settings PTGHUB_LEASE_TTL and _RETRY); what it does is said on stdout."""
    from ptghub.live.leased import Leased
    from ptghub.store.leases import Leases

    return Leased(
        Leases(store.engine),
        name,
        what,
        make,
        ttl=settings.lease_ttl,
        retry=settings.lease_retry,
        say=lambda line: out.print(Text(line)),
    )


def run_until_signal(companion: Companion, done: threading.Event | None = None) -> None:
    """Run ``companion`` until Ctrl-C, SIGTERM or ``done``, then stop it."""
    done = done or threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    previous = signal.signal(signal.SIGTERM, stop)
    companion.start()
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        companion.stop()
        signal.signal(signal.SIGTERM, previous)
