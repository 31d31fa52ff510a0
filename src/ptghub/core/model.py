"""Entities of one PTG: the event, its teams, rooms, slots, schedule cells and live state.

All are frozen dataclasses: a change replaces a value, which is what lets every change be
written as a domain event with its old and new value (and so be audited and undone).
Names that people type (team slugs, nicks, room names, slot codes) are compared through
the ``*_key`` functions, never raw, so ``Nova``, ``nova`` and ``NOVA`` are one team.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

# Pure data, no I/O: what each team asks of the planner lives in the event's state.
from ptghub.core.team_needs import PlanRules, TeamNeeds


class EventFormat(StrEnum):
    VIRTUAL = "virtual"
    IN_PERSON = "in-person"
    HYBRID = "hybrid"


class TeamKind(StrEnum):
    PROJECT_TEAM = "project-team"
    SIG = "sig"
    WORKING_GROUP = "working-group"
    POPUP_TEAM = "pop-up-team"
    COMMITTEE = "committee"
    OTHER = "other"


class CellStatus(StrEnum):
    """State of one (room, slot) cell of the schedule grid."""

    UNAVAILABLE = "unavailable"
    FREE = "free"
    PLANNED = "planned"  # given to a team by the organizers before the event
    BOOKED = "booked"  # taken by a team during the event


class MotdLevel(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"


class RoleKind(StrEnum):
    ORGANIZER = "organizer"
    CHAIR = "chair"


PAGE_NAMES = (
    "about",
    "who_should_attend",
    "who_should_not_attend",
    "faq",
    "code_of_conduct",
    "ptg_vs_forum",
)

# IRC compares nicks with the RFC 1459 case mapping, where []\~ are the upper case of {}|^.
_IRC_CASEMAP = str.maketrans("[]\\~", "{}|^")


def team_key(slug: str) -> str:
    """Key under which a team slug is compared: case-insensitive, without a leading '#'."""
    return slug.removeprefix("#").casefold()


def nick_key(nick: str) -> str:
    """Key under which a chat nick is compared (RFC 1459 case mapping)."""
    return nick.casefold().translate(_IRC_CASEMAP)


def room_key(name: str) -> str:
    """Key under which a room name is compared: case and repeated spaces do not matter."""
    return " ".join(name.split()).casefold()


def slot_key(code: str) -> str:
    """Key under which a slot code is compared: ``Mon-A1``, ``mon-a1`` and ``MonA1`` match."""
    return code.replace("-", "").casefold()


@dataclass(frozen=True, slots=True)
class Social:
    """An event-wide social entry such as a happy hour or game night (times in UTC)."""

    title: str
    starts: datetime
    ends: datetime
    url: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class IrcChat:
    """The event's IRC channel: the network's name (``OFTC``), the channel
    (``#openinfra-events``) and, when known, a server to connect to (``irc.oftc.net``)."""

    network: str
    channel: str
    server: str | None = None


@dataclass(frozen=True, slots=True)
class Chat:
    """Where the event's chat is: an IRC channel, a Matrix room (``#room:server``), both or
    neither. The pages show it wherever they say "from the chat"."""

    irc: IrcChat | None = None
    matrix: str | None = None

    def __bool__(self) -> bool:
        return self.irc is not None or self.matrix is not None


@dataclass(frozen=True, slots=True)
class EventInfo:
    slug: str
    name: str
    start: date
    end: date
    timezone: str
    format: EventFormat
    contact: str
    etherpad_template: str = "https://etherpad.opendev.org/p/{event}-{team}"
    pages: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    socials: tuple[Social, ...] = ()
    # Whether the old bot's ptg.json names who is checked in where (True) or only says
    # how many people are (False): a nick and a place is more than everyone wants public.
    show_checkin_nicks: bool = False
    chat: Chat = Chat()

    def page(self, name: str) -> str:
        return dict(self.pages).get(name, "")


@dataclass(frozen=True, slots=True)
class Team:
    slug: str
    name: str
    kind: TeamKind = TeamKind.PROJECT_TEAM
    onboarding: bool = False
    color: str | None = None
    etherpad: str | None = None  # override of the event's template
    video_url: str | None = None  # override of the room's video URL
    description: str = ""
    # The code of the slot of its onboarding session ("Tue-15h"), when the team names one.
    onboarding_slot: str | None = None
    recording: str | None = None  # where the team's recordings are (one http(s) URL)

    @property
    def key(self) -> str:
        return team_key(self.slug)


@dataclass(frozen=True, slots=True)
class Room:
    name: str
    capacity: int | None = None
    video_url: str | None = None
    description: str = ""
    bookable: bool = True
    # What the room offers beyond a table, as the old bot showed it: "Videoprojection
    # available", and the name of an icon for it ("facetime-video"); "" when none.
    capability: str = ""
    capability_icon: str = ""
    # Where to find it at an in-person event ("second floor, by the elevators"); "" when none.
    location: str = ""

    @property
    def key(self) -> str:
        return room_key(self.name)


@dataclass(frozen=True, slots=True)
class Slot:
    """A named time slot on a real date; start and end are local times in the event's zone."""

    code: str
    day: date
    start: time
    end: time

    @property
    def key(self) -> str:
        return slot_key(self.code)


@dataclass(frozen=True, slots=True)
class Cell:
    status: CellStatus
    team: str | None = None  # team key when planned or booked


FREE = Cell(CellStatus.FREE)


@dataclass(frozen=True, slots=True)
class Topics:
    """What a team discusses now, what comes next (in order), and where it meets."""

    now: str | None = None
    next: tuple[str, ...] = ()
    location: str | None = None

    def is_empty(self) -> bool:
        return self.now is None and not self.next and self.location is None


@dataclass(frozen=True, slots=True)
class Motd:
    level: MotdLevel
    text: str


@dataclass(frozen=True, slots=True)
class Presence:
    nick: str  # as typed, for display
    location: str
    checked_in: datetime
    checked_out: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    nick: str  # as typed, for display
    pattern: str


@dataclass(frozen=True, slots=True, order=True)
class Role:
    nick: str  # nick key
    kind: RoleKind
    team: str | None = None  # team key, for chairs


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issues a command.

    ``operator`` is someone at the installation's own shell (the CLI without ``--as``):
    it may do anything, as the owner of the database may anyway. ``aliases`` come from
    the person the nick belongs to, so a role granted to ``alice`` holds for ``alice_``.
    ``trust`` holds roles the chat network vouches for instead of the event (the old
    bot's trust, IRC ``trust_channel_modes``): ORGANIZER for a channel op, CHAIR (of
    every team) for a voiced user. ``proven`` is False for a chat nick that anyone could
    have taken (no network account, no ``identify``): its roles then do not count.
    """

    nick: str
    frontend: str = "cli"
    operator: bool = False
    aliases: frozenset[str] = frozenset()  # keys of the person's other nicks
    trust: frozenset[RoleKind] = frozenset()
    proven: bool = True

    @property
    def key(self) -> str:
        return nick_key(self.nick)

    @property
    def keys(self) -> frozenset[str]:
        """Every nick key under which this person's roles may have been granted."""
        return self.aliases | {self.key}


SYSTEM = Actor(nick="ptghub", frontend="cli", operator=True)

_TAGS = itertools.count(1)


def new_tag() -> int:
    """A number that no other set of subscriptions in this process has had."""
    return next(_TAGS)


@dataclass
class EventState:
    """Everything about one event that commands read and change.

    Dicts are keyed by the ``*_key`` of names. Rooms and slots keep insertion order (the
    order of the event file); teams are kept sorted by key.
    """

    info: EventInfo | None = None
    open_to_everyone: bool = True
    teams: dict[str, Team] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)
    slots: dict[str, Slot] = field(default_factory=dict)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # absent: unavailable
    topics: dict[str, Topics] = field(default_factory=dict)  # absent: empty Topics
    motd: tuple[Motd, ...] = ()
    presence: dict[str, Presence] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    # A new number whenever ``subscriptions`` changes (core.apply), kept by copies: the
    # key of the compiled patterns (commands.notices), so they are compiled once per
    # change of subscriptions rather than once per command. Not part of the state.
    subscriptions_tag: int = field(default_factory=new_tag, compare=False, repr=False)
    # False while ``subscriptions`` is shared with the state this one was copied from:
    # thousands of them are then not copied by every command (core.apply copies on
    # the first change). Not part of the state.
    owns_subscriptions: bool = field(default=True, compare=False, repr=False)
    roles: set[Role] = field(default_factory=set)
    needs: dict[str, TeamNeeds] = field(default_factory=dict)  # team key -> what it asks
    plan_rules: PlanRules = field(default_factory=PlanRules)
    pins: dict[tuple[str, str], str] = field(default_factory=dict)  # cell -> team key
    # A chair's written outcome of a topic: (team key, topic number from 1, in the order
    # the team discussed its topics) -> text. Kept sorted by key (core.apply).
    outcomes: dict[tuple[str, int], str] = field(default_factory=dict)

    def cell(self, room: str, slot: str) -> Cell:
        return self.cells.get((room, slot), Cell(CellStatus.UNAVAILABLE))

    def topics_of(self, team: str) -> Topics:
        return self.topics.get(team, Topics())

    def outcomes_of(self, team: str) -> dict[int, str]:
        """A team's (a key) written outcomes by topic number, in number order."""
        mine = ((number, text) for (key, number), text in self.outcomes.items() if key == team)
        return dict(sorted(mine))

    def team_cells(self, team: str) -> list[tuple[str, str]]:
        """The (room key, slot key) cells planned or booked for a team, by slot then room."""
        cells = [where for where, cell in self.cells.items() if cell.team == team]
        slots, rooms = list(self.slots), list(self.rooms)
        return sorted(cells, key=lambda c: (slots.index(c[1]), rooms.index(c[0])))

    def etherpad_url(self, team: Team) -> str:
        if team.etherpad:
            return team.etherpad
        assert self.info is not None
        return self.info.etherpad_template.format(event=self.info.slug, team=team.slug)

    def video_url(self, team: Team, room: Room | None) -> str | None:
        if team.video_url:
            return team.video_url
        return room.video_url if room else None
