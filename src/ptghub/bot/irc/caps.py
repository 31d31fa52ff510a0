"""IRCv3 capability negotiation and SASL PLAIN, for the IRC adapter.

The bot sends ``CAP LS 302`` before NICK/USER, so the server holds registration until
``CAP END``. It asks for what lets it tell who speaks: ``account-tag`` (the account on
every message), ``account-notify`` (ACCOUNT when someone logs in or out),
``extended-join`` (the account on JOIN), ``multi-prefix`` (every mode in NAMES), and
``sasl`` when it has a password. A server without CAP answers 421 and registers the
bot anyway; then the bot identifies to NickServ after the welcome instead.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

WANTED = ("account-notify", "account-tag", "extended-join", "multi-prefix")
SASL_CHUNK = 400  # AUTHENTICATE carries at most 400 bytes of base64 per line


class CapNegotiation:
    """One connection's negotiation; ``send`` writes one raw line to the server."""

    def __init__(self, send: Callable[[str], None], *, account: str, password: str | None):
        self.send = send
        self.account = account
        self.password = password
        self.offered: dict[str, str] = {}  # capability -> value ("" when none)
        self.enabled: set[str] = set()
        self.sasl_ok = False
        self.ended = False

    def on_cap(self, arguments: list[str]) -> None:
        """A ``CAP`` line's arguments after the target: ``LS * :caps`` or ``ACK :caps``."""
        if not arguments:
            return
        sub = arguments[0].upper()
        more = len(arguments) > 2 and arguments[1] == "*"
        caps = arguments[-1].split() if len(arguments) > 1 else []
        if sub in ("LS", "NEW"):
            for cap in caps:
                name, _, value = cap.partition("=")
                self.offered[name] = value
            if sub == "LS" and not more:
                self._request()
        elif sub == "ACK":
            self.enabled.update(c for c in caps if not c.startswith("-"))
            self.enabled.difference_update(c[1:] for c in caps if c.startswith("-"))
            if not more:
                self._after_ack()
        elif sub == "NAK":
            log.warning("the IRC server refused the capabilities %s", " ".join(caps))
            self.end()
        elif sub == "DEL":
            self.enabled.difference_update(caps)

    def _sasl_possible(self) -> bool:
        if not self.password or "sasl" not in self.offered:
            return False
        mechanisms = self.offered["sasl"]
        return not mechanisms or "PLAIN" in mechanisms.upper().split(",")

    def _request(self) -> None:
        wanted = [c for c in WANTED if c in self.offered]
        if self._sasl_possible():
            wanted.append("sasl")
        elif self.password and "sasl" in self.offered:
            log.warning("the IRC server offers SASL without PLAIN; using NickServ instead")
        if wanted:
            self.send("CAP REQ :" + " ".join(wanted))
        else:
            self.end()

    def _after_ack(self) -> None:
        if "sasl" in self.enabled and self.password and not self.sasl_ok:
            self.send("AUTHENTICATE PLAIN")
        else:
            self.end()

    def on_authenticate(self, argument: str) -> None:
        """``AUTHENTICATE +``: the server waits for our credentials."""
        if argument != "+" or not self.password:
            return
        secret = f"\0{self.account}\0{self.password}".encode()
        payload = base64.b64encode(secret).decode("ascii")
        chunks = [payload[i : i + SASL_CHUNK] for i in range(0, len(payload), SASL_CHUNK)]
        for chunk in chunks:
            self.send(f"AUTHENTICATE {chunk}")
        if len(chunks[-1]) == SASL_CHUNK:
            self.send("AUTHENTICATE +")  # says "no more" after a full chunk

    def on_sasl_result(self, success: bool, message: str) -> None:
        """903 (success) or 902/904/905/906/907: either way registration goes on."""
        if success:
            self.sasl_ok = True
            log.info("logged in to the IRC network with SASL as %s", self.account)
        else:
            log.warning("SASL login as %s failed: %s", self.account, message)
        self.end()

    def end(self) -> None:
        if not self.ended:
            self.ended = True
            self.send("CAP END")
