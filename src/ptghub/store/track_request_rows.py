"""A track request as stored (table ``track_requests``): its states, its row as a value,
and the words the pages and refusals use for them (``store.track_requests``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ptghub.commands.track_requests import Proposal
from ptghub.core.errors import InvalidInput

SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes-requested"
APPROVED = "approved"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
OPEN = (SUBMITTED, CHANGES_REQUESTED)
STATE_LABELS = {
    SUBMITTED: "waiting for the organizers",
    CHANGES_REQUESTED: "changes asked",
    APPROVED: "approved",
    DECLINED: "declined",
    WITHDRAWN: "withdrawn",
}
MAX_MESSAGE = 2000
# What happened to a request, as a refusal says it: "was already ...".
_DONE = {
    SUBMITTED: "sent again",
    CHANGES_REQUESTED: "sent back for changes",
    APPROVED: "approved",
    DECLINED: "declined",
    WITHDRAWN: "withdrawn by its requester",
}


@dataclass(frozen=True, slots=True)
class TrackRequest:
    id: int
    event_id: int
    person_id: int
    proposal: Proposal
    state: str
    message: str
    team_key: str | None
    history: tuple[dict[str, Any], ...]
    created_at: datetime
    updated_at: datetime

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @classmethod
    def from_row(cls, row: Any) -> TrackRequest:
        proposal = Proposal(
            team_name=row.team_name,
            kind=row.kind,
            contacts=row.contacts,
            purpose=row.purpose,
            hours=row.hours,
            onboarding=row.onboarding,
            preferred_days=tuple(date.fromisoformat(d) for d in row.preferred_days),
        )
        return cls(
            row.id,
            row.event_id,
            row.person_id,
            proposal,
            row.state,
            row.message,
            row.team_key,
            tuple(row.history),
            row.created_at,
            row.updated_at,
        )


def columns(proposal: Proposal) -> dict[str, Any]:
    return {
        "team_name": proposal.team_name,
        "kind": proposal.kind,
        "contacts": proposal.contacts,
        "purpose": proposal.purpose,
        "hours": proposal.hours,
        "onboarding": proposal.onboarding,
        "preferred_days": [d.isoformat() for d in proposal.preferred_days],
    }


def check_message(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"Missing {what}: the requester reads it in their mail; write one.")
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(
            f"The {what} is {len(text)} characters long; at most {MAX_MESSAGE} are allowed."
        )
    return text


def taken(found: TrackRequest) -> str:
    last = found.history[-1] if found.history else {}
    who = f" by {last['by']}" if last.get("by") else ""
    done = _DONE.get(found.state, found.label)
    return (
        f"Track request #{found.id} was already {done}{who}; nothing changed. "
        "Reload the queue to see it."
    )


def not_editable(found: TrackRequest) -> str:
    return (
        f"Track request #{found.id} is {found.label}: it can be edited only while the "
        "organizers ask for changes."
    )
