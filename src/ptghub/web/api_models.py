"""What the JSON API shows: pydantic models, each read from the domain object it shows.

These models are the API's contract (FastAPI turns them into /openapi.json). They hold
public data only: the state also knows who checked in where, subscription patterns and
tokens, and none of that has a field here; check-ins appear as counts per location.
Most are read from a frozen dataclass of the domain by attribute (``web/from_domain.py``
says how); the few functions below give what the object does not hold itself.

Times are ISO 8601 with an explicit offset (``+00:00`` rather than ``Z``). A slot gives
its start and end twice: in the event's time zone, as the schedule is written, and in
UTC, for clients that convert to their viewer's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from ptghub.core.board import Board
from ptghub.core.model import (
    CellStatus,
    EventFormat,
    EventInfo,
    EventState,
    MotdLevel,
    Room,
    Slot,
    Team,
    TeamKind,
)
from ptghub.core.team_needs import TeamNeeds
from ptghub.eventfile.needs_fields import rules_fields, team_fields
from ptghub.web.from_domain import FromDomain, FromPair, LocalMoment, UtcMoment, event_zone


class ErrorOut(BaseModel):
    """Every error of the API: a message that says what was wrong and what is expected."""

    error: str = Field(examples=["Austin-Mon-A1 is already planned for nova."])


# -- events -------------------------------------------------------------------------


class _EventFields(FromDomain):
    """What an event's summary and the event itself both show, read from its EventInfo."""

    slug: str
    name: str
    start: date
    end: date
    timezone: str = Field(description="IANA time zone of the event, e.g. Europe/Berlin.")
    format: EventFormat


class EventSummaryOut(_EventFields):
    current: bool = Field(description="Whether this is the installation's current event.")


class EventListOut(BaseModel):
    events: list[EventSummaryOut]


class LinkOut(FromPair):
    title: str
    url: str


class SocialOut(FromDomain):
    title: str
    starts: LocalMoment = Field(description="In the event's time zone.")
    ends: LocalMoment = Field(description="In the event's time zone.")
    starts_utc: UtcMoment = Field(validation_alias="starts")
    ends_utc: UtcMoment = Field(validation_alias="ends")
    url: str | None
    description: str


class IrcChatOut(FromDomain):
    network: str = Field(description="The IRC network's name, such as OFTC.")
    channel: str
    server: str | None = Field(description="A server of the network to connect to.")


class ChatOut(FromDomain):
    irc: IrcChatOut | None
    matrix: str | None = Field(description="A Matrix room alias (#room:server) or id.")


class EventOut(_EventFields):
    contact: str
    open_to_everyone: bool = Field(
        description="True: anyone may change any team; false: only its chairs and organizers."
    )
    links: list[LinkOut]
    socials: list[SocialOut]
    chat: ChatOut = Field(description="Where the event's chat is (the event file's chat).")
    pages: dict[str, str] = Field(description="Markdown of the event's pages that are set.")

    @field_validator("pages", mode="before")
    @classmethod
    def _set_pages(cls, pages: Any) -> Any:
        """The domain holds (name, text) for every page, "" for one not set."""
        if isinstance(pages, tuple):
            return {name: text for name, text in pages if text}
        return pages


def event_summary(info: EventInfo, *, current: bool) -> EventSummaryOut:
    return EventSummaryOut.read(info, current=current)


def event_out(state: EventState) -> EventOut:
    info = _info(state)
    return EventOut.read(info, zone=info.timezone, open_to_everyone=state.open_to_everyone)


# -- teams, rooms, slots, schedule ---------------------------------------------------


class TeamOut(FromDomain):
    slug: str
    name: str
    kind: TeamKind
    onboarding: bool
    color: str | None
    description: str
    etherpad: str = Field(description="The team's etherpad: its own, or the event's default.")
    video_url: str | None = Field(description="The team's own video URL, overriding its room's.")
    onboarding_slot: str | None = Field(
        description="The slot code of its onboarding session for newcomers, if it names one.",
        examples=["Tue-13h"],
    )
    recording: str | None = Field(
        description="Where the team's recordings are, once a chair has set it.",
    )


class TeamListOut(BaseModel):
    teams: list[TeamOut]


class RoomOut(FromDomain):
    name: str
    capacity: int | None
    video_url: str | None
    description: str
    bookable: bool = Field(description="Whether teams may book its free cells themselves.")
    location: str = Field(description="Where to find it at an in-person event; empty if unsaid.")


class RoomListOut(BaseModel):
    rooms: list[RoomOut]


class SlotOut(FromDomain):
    code: str = Field(examples=["Mon-A1"])
    day: date = Field(description="The day in the event's time zone.")
    start: LocalMoment = Field(description="In the event's time zone.")
    end: LocalMoment = Field(description="In the event's time zone.")
    start_utc: UtcMoment = Field(validation_alias="start")
    end_utc: UtcMoment = Field(validation_alias="end")

    @field_validator("start", "end", "start_utc", "end_utc", mode="before")
    @classmethod
    def _on_its_day(cls, value: Any, info: ValidationInfo) -> Any:
        """A slot holds local times of day: the moments they are on its day."""
        if isinstance(value, time):
            return datetime.combine(info.data["day"], value, tzinfo=event_zone(info))
        return value


class SlotListOut(BaseModel):
    slots: list[SlotOut]


class CellOut(BaseModel):
    room: str
    slot: str
    cell: str = Field(description="What to book or unbook: ROOM-SLOT.", examples=["Austin-Mon-A1"])
    status: CellStatus
    team: str | None = Field(description="The team it is planned or booked for.")


class ScheduleOut(BaseModel):
    cells: list[CellOut] = Field(description="Every room at every slot, by slot then room.")


def team_out(state: EventState, team: Team) -> TeamOut:
    return TeamOut.read(team, etherpad=state.etherpad_url(team))


def room_out(room: Room) -> RoomOut:
    return RoomOut.read(room)


def slot_out(slot: Slot, timezone: str) -> SlotOut:
    return SlotOut.read(slot, zone=timezone)


def schedule_out(state: EventState) -> ScheduleOut:
    cells = []
    for slot_key, slot in state.slots.items():
        for room_key, room in state.rooms.items():
            cell = state.cell(room_key, slot_key)
            cells.append(
                CellOut(
                    room=room.name,
                    slot=slot.code,
                    cell=f"{room.name}-{slot.code}",
                    status=cell.status,
                    team=state.teams[cell.team].slug if cell.team else None,
                )
            )
    return ScheduleOut(cells=cells)


# -- the board -----------------------------------------------------------------------


class MotdOut(FromDomain):
    level: MotdLevel
    text: str


class BoardTeamOut(FromDomain):
    slug: str
    name: str
    color: str | None
    onboarding: bool
    now: str | None = Field(description="What the team discusses now.")
    next: list[str] = Field(description="Topics coming up next, in order.")
    location: str | None = Field(description="Where it meets: its own word, else its room now.")
    room: str | None = Field(description="The room the schedule gives it now.")
    video_url: str | None
    etherpad: str


class CheckinsOut(FromPair):
    location: str
    count: int = Field(description="How many people are checked in there (never who).")


class GridCellOut(FromDomain):
    slot: str
    cell: str = Field(description="What to book or unbook: ROOM-SLOT.", validation_alias="code")
    status: CellStatus
    team: str | None


class GridRowOut(FromPair):
    room: str
    cells: list[GridCellOut] = Field(description="One cell per slot of the day.")


class DayOut(FromDomain):
    day: date
    slots: list[SlotOut]
    rows: list[GridRowOut]


class BoardOut(FromDomain):
    event: str
    name: str
    timezone: str
    at: UtcMoment = Field(description="The moment the board shows (UTC).")
    current_slot: str | None = Field(description="Code of the slot running at that moment.")
    motd: list[MotdOut]
    teams: list[BoardTeamOut] = Field(description="Teams with a now or next topic first.")
    checkins: list[CheckinsOut] = Field(description="People checked in per place, busiest first.")
    links: list[LinkOut] = Field(description="The event's links.")
    days: list[DayOut]
    ended: date | None = Field(
        description="The event's last day once it is over (in its zone): the teams' "
        "topics are then their last ones, not what happens now."
    )


def board_out(board: Board, state: EventState) -> BoardOut:
    return BoardOut.read(board, zone=board.timezone, links=_info(state).links)


# -- what writes answer (their bodies: web/api_inputs.py) ------------------------


class CommandOut(BaseModel):
    """What a command did; a command that changed nothing still succeeds (changed: false)."""

    command: str = Field(description="The command that ran.")
    reply: str = Field(description="The bot's answer, as a chat user would see it.")
    changed: bool
    audit_id: int | None = Field(description="The audit entry of the change, if any.")


def _info(state: EventState) -> EventInfo:
    assert state.info is not None  # a stored event always has its info
    return state.info


# -- planner needs --------------------------------------------------------------------


class TeamNeedsOut(BaseModel):
    team: str = Field(description="The team's slug.")
    hours: int | float
    max_hours_per_day: int | float | None
    days: list[date]
    windows: list[str]
    avoid: list[str]
    rather_not: dict[str, int]
    joint: dict[str, int | float]
    room_size: int | None
    onboarding: bool
    cross_project: bool


class PlanRulesOut(BaseModel):
    max_hours_per_day: int | float | None
    max_hours: int | float | None
    cross_project_days: list[date]
    onboarding_hours: int | float
    windows: list[str] = Field(description="The event's usual hours, for teams naming none.")


class NeedsListOut(BaseModel):
    rules: PlanRulesOut
    teams: list[TeamNeedsOut] = Field(description="Teams that stated needs, by slug.")


class ChangeOut(BaseModel):
    """What a change did; one that changed nothing still succeeds (changed: false)."""

    reply: str
    changed: bool
    audit_id: int | None = Field(description="The audit entry of the change, if any.")


def team_needs_out(state: EventState, needs: TeamNeeds) -> TeamNeedsOut:
    slug = state.teams[needs.team].slug if needs.team in state.teams else needs.team
    return TeamNeedsOut(team=slug, **team_fields(state, needs, as_json=True))


def plan_rules_out(state: EventState) -> PlanRulesOut:
    return PlanRulesOut(**rules_fields(state.plan_rules, as_json=True))


def needs_list_out(state: EventState) -> NeedsListOut:
    return NeedsListOut(
        rules=plan_rules_out(state),
        teams=[team_needs_out(state, needs) for _, needs in sorted(state.needs.items())],
    )
