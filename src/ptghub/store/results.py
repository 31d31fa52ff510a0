"""What the store answers: what a command did, and the events it holds."""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.commands.registry import Notice
from ptghub.core.events import DomainEvent
from ptghub.core.model import EventInfo


@dataclass(frozen=True, slots=True)
class Result:
    """What a command did. ``audit_id`` is None when it changed nothing."""

    reply: str
    events: tuple[DomainEvent, ...] = ()
    notices: tuple[Notice, ...] = ()
    audit_id: int | None = None


@dataclass(frozen=True, slots=True)
class EventSummary:
    slug: str
    info: EventInfo
    current: bool
