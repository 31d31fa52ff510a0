"""A small real IRC client for the tests: raw lines over a socket, read by a thread.

Tests play people with it (a chair, an attendee, an impostor) and wait for what they
expect to receive with a timeout, never a fixed sleep. ``expect`` consumes lines in
order, so one reply cannot be counted twice.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import socket
import threading
import time
from dataclasses import dataclass, field, replace

TIMEOUT = 15.0
ARRIVALS = itertools.count(1)  # one sequence for every client: which line came first


@dataclass(frozen=True)
class Line:
    """One received line: ``prefix`` (``nick!user@host`` or a server), command, params.

    ``seq`` orders lines received by different clients: a later line has a larger one.
    """

    raw: str
    prefix: str
    command: str
    params: tuple[str, ...]
    seq: int = field(default=0, compare=False)

    @property
    def nick(self) -> str:
        return self.prefix.split("!", 1)[0]

    @property
    def text(self) -> str:
        return self.params[-1] if self.params else ""


def parse(raw: str) -> Line:
    rest = raw
    if rest.startswith("@"):
        rest = rest.split(" ", 1)[1]
    prefix = ""
    if rest.startswith(":"):
        prefix, rest = rest[1:].split(" ", 1)
    head, sep, trailing = rest.partition(" :")
    words = head.split()
    params = tuple(words[1:]) + ((trailing,) if sep else ())
    return Line(raw, prefix, words[0].upper(), params)


class IrcClient:
    """One person on IRC; ``lines`` is everything received, in order."""

    def __init__(self, host: str, port: int, nick: str, user: str | None = None) -> None:
        self.host, self.port = host, port
        self.nick = nick
        self.user = user or nick
        self.lines: list[Line] = []
        self._cursor = 0
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()  # the reader thread answers PINGs too
        self._sock: socket.socket | None = None
        self._reader: threading.Thread | None = None

    def connect(self) -> IrcClient:
        """Connect and register; returns once the server has welcomed us."""
        self._sock = socket.create_connection((self.host, self.port), timeout=TIMEOUT)
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read, args=(self._sock,), daemon=True)
        self._reader.start()
        self.send(f"NICK {self.nick}")
        self.send(f"USER {self.user} 0 * :{self.user}")
        self.expect(lambda line: line.command == "001")
        return self

    def _read(self, sock: socket.socket) -> None:
        buffer = b""
        while True:
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                with self._cond:
                    self.lines.append(Line("", "", "CLOSED", ()))
                    self._cond.notify_all()
                return
            buffer += data
            *complete, buffer = buffer.split(b"\r\n")
            for raw in complete:
                line = parse(raw.decode("utf-8", "replace"))
                if line.command == "PING":
                    self.send(f"PONG :{line.text}")
                with self._cond:
                    line = replace(line, seq=next(ARRIVALS))
                    self.lines.append(line)
                    self._cond.notify_all()

    def send(self, line: str) -> None:
        assert self._sock is not None, "not connected"
        with self._send_lock:
            self._sock.sendall(line.encode() + b"\r\n")

    def say(self, target: str, text: str) -> None:
        self.send(f"PRIVMSG {target} :{text}")

    def join(self, channel: str) -> None:
        self.send(f"JOIN {channel}")
        self.expect(lambda line: line.command == "366" and line.params[1] == channel)

    def expect(self, match: object, timeout: float = TIMEOUT) -> Line:
        """The next line (after those already expected) that ``match`` accepts.

        ``match`` is a predicate on ``Line`` or a regular expression searched in the raw
        line. Lines skipped on the way stay in ``lines`` but are not offered again.
        """
        accept = match if callable(match) else (lambda line: re.search(str(match), line.raw))
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                while self._cursor < len(self.lines):
                    line = self.lines[self._cursor]
                    self._cursor += 1
                    if accept(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = "\n".join(line.raw for line in self.lines[-15:])
                    raise AssertionError(f"{self.nick}: no line matching {match!r}; last:\n{seen}")
                self._cond.wait(left)

    def from_(self, nick: str, command: str, target: str, timeout: float = TIMEOUT) -> str:
        """The text of the next ``command`` (PRIVMSG/NOTICE) from ``nick`` to ``target``."""
        line = self.expect(
            lambda line: (
                line.command == command
                and line.nick.lower() == nick.lower()
                and line.params[0].lower() == target.lower()
            ),
            timeout,
        )
        return line.text

    def received(self, nick: str, command: str) -> list[str]:
        """Every ``command`` text from ``nick`` received so far (consumed or not)."""
        with self._cond:
            return [
                line.text
                for line in self.lines
                if line.command == command and line.nick.lower() == nick.lower()
            ]

    def close(self) -> None:
        if self._sock is None:
            return
        with contextlib.suppress(OSError):
            self.send("QUIT :bye")
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        if self._reader is not None:
            self._reader.join(5)
        self._sock.close()
        self._sock = None
