"""What the JSON API shows: pydantic models, and how each is built from the domain.

These models are the API's contract (FastAPI turns them into /openapi.json). They hold
public data only: the state also knows who checked in where, subscription patterns and
tokens, and none of that has a field here; check-ins appear as counts per location.

Times are ISO 8601 with an explicit offset (``+00:00`` rather than ``Z``). A slot gives
its start and end twice: in the event's time zone, as the schedule is written, and in
UTC, for clients that convert to their viewer's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from ptghub.core.board import Board, Day
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


def _iso(moment: datetime) -> str:
    return moment.isoformat()


# pydantic would write UTC as 'Z'; isoformat keeps one style for every zone.
Moment = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class ErrorOut(BaseModel):
    """Every error of the API: a message that says what was wrong and what is expected."""

    error: str = Field(examples=["Austin-Mon-A1 is already planned for nova."])


# -- events -------------------------------------------------------------------------


class EventSummaryOut(BaseModel):
    slug: str
    name: str
    start: date
    end: date
    timezone: str = Field(description="IANA time zone of the event, e.g. Europe/Berlin.")
    format: EventFormat
    current: bool = Field(description="Whether this is the installation's current event.")


class EventListOut(BaseModel):
    events: list[EventSummaryOut]


class LinkOut(BaseModel):
    title: str
    url: str


class SocialOut(BaseModel):
    title: str
    starts: Moment = Field(description="In the event's time zone.")
    ends: Moment = Field(description="In the event's time zone.")
    starts_utc: Moment
    ends_utc: Moment
    url: str | None
    description: str


class EventOut(BaseModel):
    slug: str
    name: str
    start: date
    end: date
    timezone: str
    format: EventFormat
    contact: str
    open_to_everyone: bool = Field(
        description="True: anyone may change any team; false: only its chairs and organizers."
    )
    links: list[LinkOut]
    socials: list[SocialOut]
    pages: dict[str, str] = Field(description="Markdown of the event's pages that are set.")


def event_summary(info: EventInfo, *, current: bool) -> EventSummaryOut:
    return EventSummaryOut(
        slug=info.slug,
        name=info.name,
        start=info.start,
        end=info.end,
        timezone=info.timezone,
        format=info.format,
        current=current,
    )


def event_out(state: EventState) -> EventOut:
    info = _info(state)
    zone = ZoneInfo(info.timezone)
    socials = [
        SocialOut(
            title=s.title,
            starts=s.starts.astimezone(zone),
            ends=s.ends.astimezone(zone),
            starts_utc=s.starts.astimezone(UTC),
            ends_utc=s.ends.astimezone(UTC),
            url=s.url,
            description=s.description,
        )
        for s in info.socials
    ]
    return EventOut(
        slug=info.slug,
        name=info.name,
        start=info.start,
        end=info.end,
        timezone=info.timezone,
        format=info.format,
        contact=info.contact,
        open_to_everyone=state.open_to_everyone,
        links=_links(info),
        socials=socials,
        pages={name: text for name, text in info.pages if text},
    )


# -- teams, rooms, slots, schedule ---------------------------------------------------


class TeamOut(BaseModel):
    slug: str
    name: str
    kind: TeamKind
    onboarding: bool
    color: str | None
    description: str
    etherpad: str = Field(description="The team's etherpad: its own, or the event's default.")
    video_url: str | None = Field(description="The team's own video URL, overriding its room's.")


class TeamListOut(BaseModel):
    teams: list[TeamOut]


class RoomOut(BaseModel):
    name: str
    capacity: int | None
    video_url: str | None
    description: str
    bookable: bool = Field(description="Whether teams may book its free cells themselves.")


class RoomListOut(BaseModel):
    rooms: list[RoomOut]


class SlotOut(BaseModel):
    code: str = Field(examples=["Mon-A1"])
    day: date = Field(description="The day in the event's time zone.")
    start: Moment = Field(description="In the event's time zone.")
    end: Moment = Field(description="In the event's time zone.")
    start_utc: Moment
    end_utc: Moment


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
    return TeamOut(
        slug=team.slug,
        name=team.name,
        kind=team.kind,
        onboarding=team.onboarding,
        color=team.color,
        description=team.description,
        etherpad=state.etherpad_url(team),
        video_url=team.video_url,
    )


def room_out(room: Room) -> RoomOut:
    return RoomOut(
        name=room.name,
        capacity=room.capacity,
        video_url=room.video_url,
        description=room.description,
        bookable=room.bookable,
    )


def slot_out(slot: Slot, timezone: str) -> SlotOut:
    zone = ZoneInfo(timezone)
    start = datetime.combine(slot.day, slot.start, tzinfo=zone)
    end = datetime.combine(slot.day, slot.end, tzinfo=zone)
    return SlotOut(
        code=slot.code,
        day=slot.day,
        start=start,
        end=end,
        start_utc=start.astimezone(UTC),
        end_utc=end.astimezone(UTC),
    )


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


class MotdOut(BaseModel):
    level: MotdLevel
    text: str


class BoardTeamOut(BaseModel):
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


class CheckinsOut(BaseModel):
    location: str
    count: int = Field(description="How many people are checked in there (never who).")


class GridCellOut(BaseModel):
    slot: str
    cell: str = Field(description="What to book or unbook: ROOM-SLOT.")
    status: CellStatus
    team: str | None


class GridRowOut(BaseModel):
    room: str
    cells: list[GridCellOut] = Field(description="One cell per slot of the day.")


class DayOut(BaseModel):
    day: date
    slots: list[SlotOut]
    rows: list[GridRowOut]


class BoardOut(BaseModel):
    event: str
    name: str
    timezone: str
    at: Moment = Field(description="The moment the board shows (UTC).")
    current_slot: str | None = Field(description="Code of the slot running at that moment.")
    motd: list[MotdOut]
    teams: list[BoardTeamOut] = Field(description="Teams with a now or next topic first.")
    checkins: list[CheckinsOut] = Field(description="People checked in per place, busiest first.")
    links: list[LinkOut] = Field(description="The event's links.")
    days: list[DayOut]


def board_out(board: Board, state: EventState) -> BoardOut:
    return BoardOut(
        event=board.event,
        name=board.name,
        timezone=board.timezone,
        at=board.at.astimezone(UTC),
        current_slot=board.current_slot,
        motd=[MotdOut(level=m.level, text=m.text) for m in board.motd],
        teams=[
            BoardTeamOut(
                slug=line.slug,
                name=line.name,
                color=line.color,
                onboarding=line.onboarding,
                now=line.now,
                next=list(line.next),
                location=line.location,
                room=line.room,
                video_url=line.video_url,
                etherpad=line.etherpad,
            )
            for line in board.teams
        ],
        checkins=[CheckinsOut(location=where, count=n) for where, n in board.checkins],
        links=_links(_info(state)),
        days=[_day_out(day, board.timezone) for day in board.days],
    )


def _day_out(day: Day, timezone: str) -> DayOut:
    return DayOut(
        day=day.day,
        slots=[slot_out(slot, timezone) for slot in day.slots],
        rows=[
            GridRowOut(
                room=room,
                cells=[
                    GridCellOut(slot=c.slot, cell=c.code, status=c.status, team=c.team)
                    for c in cells
                ],
            )
            for room, cells in day.rows
        ],
    )


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


def _links(info: EventInfo) -> list[LinkOut]:
    return [LinkOut(title=title, url=url) for title, url in info.links]


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
