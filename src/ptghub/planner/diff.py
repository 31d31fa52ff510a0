"""What changes between two schedules, per team, in cells and in minutes.

Organizers compare a draft with the published schedule (or two published versions)
before publishing: teams plan around their published hours, so what matters is which
of them a team loses. A team's cells are those it hosts or joins as a guest. Per team,
a cell of ``old`` that no longer holds the team is *moved* when the team got another
cell instead — first one at the same time in another room, then another slot, in time
order — and *removed* otherwise; a new cell left over is *added*.

``moved_minutes`` counts the minutes of ``old`` cells a team no longer has where it had
them (moved or removed), and ``published_minutes`` the team-minutes of ``old``, so
``share`` is the part of what teams relied on that changes (a joint session counts for
each of its teams in both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ptghub.core.needs import hours
from ptghub.planner.instance import Cell, PlanSlot, Schedule


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    ROOM = "room"  # same slot, another room
    SLOT = "slot"  # another slot


@dataclass(frozen=True, slots=True)
class Move:
    """One change of one team: ``old`` is None when added, ``new`` None when removed."""

    kind: Change
    old: Cell | None
    new: Cell | None


@dataclass(frozen=True, slots=True)
class TeamDiff:
    team: str
    moves: tuple[Move, ...]
    moved_minutes: int
    published_minutes: int
    added_minutes: int


@dataclass(frozen=True, slots=True)
class ScheduleDiff:
    """Teams with a change (by team key), and the totals over every team of ``old``."""

    teams: tuple[TeamDiff, ...]
    moved_minutes: int
    published_minutes: int
    added_minutes: int

    @property
    def share(self) -> float:
        """Moved minutes as a share (0..1) of the published team-minutes."""
        return self.moved_minutes / self.published_minutes if self.published_minutes else 0.0

    @property
    def unchanged(self) -> bool:
        return not self.teams


def _cells_of(schedule: Schedule) -> dict[str, set[Cell]]:
    cells: dict[str, set[Cell]] = {}
    for cell, placement in schedule.items():
        for team in placement.teams:
            cells.setdefault(team, set()).add(cell)
    return cells


def diff(old: Schedule, new: Schedule, slots: Sequence[PlanSlot]) -> ScheduleDiff:
    """How ``new`` differs from ``old``. ``slots`` give time order and minutes; a cell of
    a slot not among them (since removed) counts no minutes and sorts last."""
    order = {slot.key: index for index, slot in enumerate(slots)}
    minutes = {slot.key: slot.minutes for slot in slots}

    def when(cell: Cell) -> tuple[int, str, str]:
        return (order.get(cell[1], len(order)), cell[1], cell[0])

    def length(cells: Iterable[Cell]) -> int:
        return sum(minutes.get(cell[1], 0) for cell in cells)

    before, after = _cells_of(old), _cells_of(new)
    teams = []
    for team in sorted(before.keys() | after.keys()):
        had, has = before.get(team, set()), after.get(team, set())
        lost = sorted(had - has, key=when)
        got = sorted(has - had, key=when)
        if not lost and not got:
            continue
        moves: list[Move] = []
        for cell in list(lost):
            same_time = next((c for c in got if c[1] == cell[1]), None)
            if same_time is not None:
                moves.append(Move(Change.ROOM, cell, same_time))
                lost.remove(cell)
                got.remove(same_time)
        paired = min(len(lost), len(got))
        moves += [Move(Change.SLOT, a, b) for a, b in zip(lost[:paired], got[:paired], strict=True)]
        moves += [Move(Change.REMOVED, cell, None) for cell in lost[paired:]]
        moves += [Move(Change.ADDED, None, cell) for cell in got[paired:]]
        moves.sort(key=lambda m: when(m.old or m.new or ("", "")))
        teams.append(
            TeamDiff(
                team,
                tuple(moves),
                moved_minutes=length(had - has),
                published_minutes=length(had),
                added_minutes=max(0, length(has) - length(had)),
            )
        )
    published = sum(length(cells) for cells in before.values())
    return ScheduleDiff(
        tuple(teams),
        moved_minutes=sum(t.moved_minutes for t in teams),
        published_minutes=published,
        added_minutes=sum(t.added_minutes for t in teams),
    )


_ARROW = {Change.ROOM: "another room", Change.SLOT: "another slot"}


def render(
    changes: ScheduleDiff,
    *,
    cell_name: Callable[[Cell], str] = lambda cell: f"{cell[0]}-{cell[1]}",
    team_name: Callable[[str], str] = lambda team: team,
) -> str:
    """Plain text: one line per team with a change, then the totals."""
    if changes.unchanged:
        return "Nothing moves: every team keeps the cells it has."
    lines = []
    for team in changes.teams:
        parts = []
        for move in team.moves:
            if move.old is not None and move.new is not None:
                parts.append(
                    f"{cell_name(move.old)} -> {cell_name(move.new)} ({_ARROW[move.kind]})"
                )
            elif move.new is not None:
                parts.append(f"+ {cell_name(move.new)}")
            elif move.old is not None:
                parts.append(f"- {cell_name(move.old)}")
        lines.append(f"{team_name(team.team)}: " + "; ".join(parts))
    share = f"{changes.share:.0%}" if changes.published_minutes else "nothing was published"
    lines.append(
        f"Moved {hours(changes.moved_minutes)} of {hours(changes.published_minutes)} "
        f"published team-hours ({share}); {hours(changes.added_minutes)} added."
    )
    return "\n".join(lines)
