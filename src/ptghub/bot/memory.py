"""The in-process test double of ``Transport``: it records what would have been sent."""

from __future__ import annotations

import threading


class MemoryTransport:
    """A ``Transport`` that keeps every sent line in ``sent`` as ``(target, text)``.

    Safe to use from an outbox sender thread and a test thread at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[tuple[str, str]] = []

    def send(self, target: str, text: str) -> None:
        with self._lock:
            self._sent.append((target, text))

    @property
    def sent(self) -> list[tuple[str, str]]:
        """A copy of everything sent so far, in order."""
        with self._lock:
            return list(self._sent)

    def to(self, target: str) -> list[str]:
        """The lines sent to ``target`` (a channel or a nick), in order."""
        return [text for where, text in self.sent if where == target]

    def clear(self) -> None:
        with self._lock:
            self._sent.clear()
