"""The planner: CP-SAT in stages against the greedy baseline, on generated and real grids.

Usage: ``python bench/planner.py [--time-limit 60 | --work-limit N] [--only S,M] [--seed 0]``

Instances: the seeded generated ones (``planner.generate``) S (30 teams, 10 rooms, 4 x 8
one-hour slots), M (40, 15, 4 x 8) and L (60, 20, 5 x 8), and two real grids, "demo" (the
April 2022 virtual PTG of ``src/ptghub/demo``) and "denver" (the Denver 2018 PTG from
``../shared/data/ptgbot-denver-2018.json``), where each team needs what it was given.

Per instance, one row: the greedy plan (hours served, soft cost, checker verdict, time)
and the CP-SAT plan (stage 1's hours and the time it took, whether proven optimal; the
final soft cost, stage 3's proven lower bound, the gap, total time, checker verdict).
Then, on M, the re-plan after the standard disturbance (``disturbance.disturb``). On the
real grids, what organizers see first (issue 11): how many teams the CP-SAT plan puts in
more than one room, and how many of a team's slots fall outside its usual hours, against
the same solve with the old weights (a second room cost 60 per day, an hour outside the
windows 60) and the organizers' own grid. Then one PASS/FAIL line per target of issues 5
and 11; exit status 1 when one fails. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from importlib import metadata, resources
from pathlib import Path

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.eventfile import load_event_file
from ptghub.importers.ptgbot import import_ptgbot
from ptghub.planner import score
from ptghub.planner.checker import check
from ptghub.planner.disturbance import disturb
from ptghub.planner.generate import GROUPS, generate, load
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Instance, Plan, Schedule, Stage
from ptghub.planner.real_event import given_instance, given_schedule
from ptghub.planner.score import disruption, served_minutes, soft_cost, wanted_minutes

DENVER = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptgbot-denver-2018.json"
DENVER_START = date(2018, 9, 10)
NAMES = ("S", "M", "L", "demo", "denver")

STAGE1_LIMITS = {"M": 5.0, "L": 15.0}  # seconds to prove stage 1
SOFT_GAP = 0.20  # soft cost within 20 % of the bound, on S and M
SOFT_GAIN = 0.20  # soft cost at least 20 % below greedy's
REPLAN_SECONDS = 5.0
# the solver's own limit: building the model and explaining unmet wishes take the rest
REPLAN_LIMIT = 0.9 * REPLAN_SECONDS
REPLAN_MOVED = 0.05  # share of the published team-minutes that may move


@dataclass
class Row:
    name: str
    instance: Instance
    greedy: Plan
    greedy_seconds: float
    solved: Plan | None = None
    solve_seconds: float = 0.0
    baseline: Plan | None = None  # real grids: the same solve with the old weights
    given: Schedule | None = None  # real grids: the organizers' own grid


@contextmanager
def old_weights() -> Iterator[None]:
    """The rooms and windows terms as they were before issue 11: a second room cost 60 per
    day (nothing across days), an hour outside the windows 60."""
    saved = score.W_ROOM, score.W_WINDOW, score.ROOMS_PER_DAY
    score.W_ROOM, score.W_WINDOW, score.ROOMS_PER_DAY = 60, 1, True
    try:
        yield
    finally:
        score.W_ROOM, score.W_WINDOW, score.ROOMS_PER_DAY = saved


def without_windows(instance: Instance) -> Instance:
    """The real grid as the benchmark planned it before issue 11: no team's usual hours."""
    needs = {team: replace(n, windows=()) for team, n in instance.needs.items()}
    return replace(instance, needs=needs)


def stability(instance: Instance, schedule: Schedule) -> tuple[dict[str, int], int]:
    """The teams in more than one room over the event (with their number of rooms), and
    the (team, slot) pairs outside the team's windows."""
    slots = {slot.key: slot for slot in instance.slots}
    rooms: dict[str, set[str]] = {}
    outside = 0
    for (room, key), placement in schedule.items():
        for team in placement.teams:
            rooms.setdefault(team, set()).add(room)
            needs = instance.needs.get(team)
            if needs is not None and score.outside_windows(slots[key], instance.windows(team)):
                outside += 1
    return {team: len(r) for team, r in sorted(rooms.items()) if len(r) > 1}, outside


def real_instances(
    names: list[str],
) -> list[tuple[str, Instance, list[tuple[str, str]], Schedule]]:
    found = []
    if "demo" in names:
        path = resources.files("ptghub") / "demo" / "ptg-2022-04.yaml"
        with resources.as_file(path) as file:
            state = apply_all(EventState(), load_event_file(file))
        found.append(("demo", *given_instance(state, GROUPS), given_schedule(state)))
    if "denver" in names:
        if DENVER.is_file():
            data = json.loads(DENVER.read_text())
            state = apply_all(EventState(), import_ptgbot(data, DENVER_START).events)
            found.append(("denver", *given_instance(state, GROUPS), given_schedule(state)))
        else:
            print(f"denver: skipped, {DENVER} not found")
    return found


def hours(instance: Instance, plan: Plan) -> float:
    return sum(served_minutes(instance, plan.schedule).values()) / 60


def verdict(instance: Instance, plan: Plan) -> str:
    broken = check(instance, plan.schedule)
    return "ok" if not broken else f"{len(broken)} BROKEN"


def stage(plan: Plan, name: str) -> Stage | None:
    return next((s for s in plan.stages if s.name == name), None)


def percent(share: float) -> str:
    return "inf" if share == float("inf") else f"{share:.1%}"


def gap(cost: int, bound: int) -> float:
    """How far the soft cost is above the proven lower bound, relative to the bound."""
    if cost <= bound:
        return 0.0
    return float("inf") if bound <= 0 else (cost - bound) / bound


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument(
        "--work-limit",
        type=float,
        default=None,
        help="instead: deterministic work units per solve, one worker (the same on a loaded "
        "machine)",
    )
    parser.add_argument("--only", default=",".join(NAMES), help="comma-separated instances")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated instances")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        parser.error(f"unknown instance {', '.join(unknown)}; expected some of {NAMES}")

    solve: Callable[..., Plan] | None
    try:
        from ptghub.planner.solver import solve
    except ImportError as error:
        solve = None
        print(f"CP-SAT solver unavailable ({error}): greedy rows only")
    try:
        solver_version = metadata.version("ortools")
    except metadata.PackageNotFoundError:
        solver_version = "not installed"
    budget = (
        f"time limit {args.time_limit:g} s"
        if args.work_limit is None
        else f"work limit {args.work_limit:g} units (one worker)"
    )
    print(
        f"Python {platform.python_version()}, OR-Tools {solver_version}, {os.cpu_count()} CPUs, "
        f"{budget} per solve, seed {args.seed}; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )

    generated: list[tuple[str, Instance, list[tuple[str, str]], Schedule | None]] = [
        (n, generate(n, args.seed), [], None) for n in ("S", "M", "L") if n in names
    ]
    everything: list[tuple[str, Instance, list[tuple[str, str]], Schedule | None]] = [
        *generated,
        *real_instances(names),
    ]
    rows: list[Row] = []
    for name, instance, _, given in everything:
        started = time.perf_counter()
        baseline = greedy(instance)
        row = Row(name, instance, baseline, time.perf_counter() - started, given=given)
        if solve is not None:
            started = time.perf_counter()
            limits = {"time_limit": args.time_limit, "work_limit": args.work_limit}
            row.solved = solve(instance, **limits, seed=args.seed, workers=2)
            row.solve_seconds = time.perf_counter() - started
            if given is not None:
                with old_weights():
                    row.baseline = solve(
                        without_windows(instance),
                        **limits,
                        seed=args.seed,
                        workers=2,
                    )
        rows.append(row)
        print_row(row, header=len(rows) == 1)

    results: list[tuple[bool, str]] = []
    m_row = next((r for r in rows if r.name == "M"), None)
    if solve is not None and m_row is not None and m_row.solved is not None:
        published = m_row.solved.schedule
        disturbed = disturb(m_row.instance, published, seed=args.seed)
        started = time.perf_counter()
        again = solve(disturbed, time_limit=REPLAN_LIMIT, seed=args.seed, workers=2)
        seconds = time.perf_counter() - started
        booked = sum(next(s.minutes for s in disturbed.slots if s.key == c[1]) for c in published)
        moved = disruption(disturbed, again.schedule)
        stages = ", ".join(
            f"{s.name} {s.seconds:.1f} s{' optimal' if s.optimal else ''}" for s in again.stages
        )
        print(
            f"\nre-plan of M after disturb(): {seconds:.2f} s ({stages}); moved {moved} of "
            f"{booked} published minutes ({moved / booked:.1%}); hours "
            f"{hours(disturbed, again):.0f} of {sum(wanted_minutes(disturbed).values()) / 60:.0f}"
            f"; checker {verdict(disturbed, again)}"
        )
        results.append(
            (
                seconds <= REPLAN_SECONDS
                and moved <= REPLAN_MOVED * booked
                and not check(disturbed, again.schedule),
                f"re-plan of M within {REPLAN_SECONDS:g} s moving at most "
                f"{REPLAN_MOVED:.0%} of the booked team-minutes: {seconds:.2f} s, "
                f"{moved / booked:.1%}",
            )
        )

    results = target_lines(rows, args.time_limit) + results + stability_lines(rows)
    print()
    for name, _, apart, _ in everything:
        if name in ("demo", "denver"):
            pairs = ", ".join(f"{a}/{b}" for a, b in apart) or "none"
            print(f"{name}: hard clashes (related teams the real grid kept apart): {pairs}")
    print()
    for ok, line in results:
        print(f"{'PASS' if ok else 'FAIL'}  {line}")
    if solve is None:
        print("FAIL  no CP-SAT rows: the solver could not be imported")
        results.append((False, ""))
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    return 0 if all(ok for ok, _ in results) else 1


def print_row(row: Row, *, header: bool) -> None:
    if header:
        print()
        print(
            f"{'instance':<8} {'teams/rooms/slots':>17} {'load':>5} {'want h':>7} | "
            f"{'greedy h':>8} {'soft':>7} {'check':>6} {'s':>5} | "
            f"{'CP-SAT h':>8} {'st1 s':>6} {'opt':>3} {'soft':>7} {'bound':>7} {'gap':>6} "
            f"{'total s':>7} {'check':>6}"
        )
    inst = row.instance
    shape = f"{len(inst.needs)}/{len(inst.rooms)}/{len(inst.slots)}"
    want = sum(wanted_minutes(inst).values()) / 60
    line = (
        f"{row.name:<8} {shape:>17} {load(inst):>5.0%} {want:>7.0f} | "
        f"{hours(inst, row.greedy):>8.0f} {soft_cost(inst, row.greedy.schedule):>7} "
        f"{verdict(inst, row.greedy):>6} {row.greedy_seconds:>5.2f} | "
    )
    solved = row.solved
    if solved is None:
        print(line + "(no solver)")
        return
    first, last = stage(solved, "hours"), stage(solved, "soft")
    cost = soft_cost(inst, solved.schedule)
    bound = last.bound if last else 0
    line += (
        f"{hours(inst, solved):>8.0f} {first.seconds if first else 0:>6.2f} "
        f"{'yes' if first and first.optimal else 'no':>3} {cost:>7} {bound:>7} "
        f"{percent(gap(cost, bound)):>6} {row.solve_seconds:>7.1f} {verdict(inst, solved):>6}"
    )
    print(line, flush=True)


def stability_lines(rows: list[Row]) -> list[tuple[bool, str]]:
    """Per real grid: teams in more than one room and slots outside the teams' windows, in
    the CP-SAT plan, the baseline (old weights) and the organizers' grid; the target."""
    lines: list[tuple[bool, str]] = []
    print()
    for row in rows:
        if row.solved is None or row.given is None:
            continue
        inst = row.instance
        for what, schedule in (
            ("CP-SAT", row.solved.schedule),
            ("before (old weights, no windows)", row.baseline.schedule if row.baseline else None),
            ("organizers' grid", row.given),
        ):
            if schedule is None:
                continue
            moved, outside = stability(inst, schedule)
            listed = ", ".join(f"{team} {n}" for team, n in moved.items()) or "none"
            print(
                f"{row.name}, {what}: {len(moved)} of {len(inst.needs)} teams in more than "
                f"one room ({listed}); {outside} team-slots outside the team's windows"
            )
        moved, outside = stability(inst, row.solved.schedule)
        # 0 when the organizers' grid shows that the grid allows it, else no more than it
        theirs = len(stability(inst, row.given)[0])
        lines.append(
            (
                len(moved) <= theirs,
                f"{row.name}: teams in more than one room, at most the organizers' grid's "
                f"({theirs}): {len(moved)}",
            )
        )
        lines.append((outside == 0, f"{row.name}: no slot outside a team's windows: {outside}"))
    return lines


def target_lines(rows: list[Row], time_limit: float) -> list[tuple[bool, str]]:
    lines: list[tuple[bool, str]] = []
    for row in rows:
        solved, inst = row.solved, row.instance
        if solved is None:
            continue
        first, last = stage(solved, "hours"), stage(solved, "soft")
        if row.name in STAGE1_LIMITS and first is not None:
            limit = STAGE1_LIMITS[row.name]
            lines.append(
                (
                    first.optimal and first.seconds <= limit,
                    f"{row.name}: stage 1 proven within {limit:g} s: {first.seconds:.2f} s, "
                    f"{'optimal' if first.optimal else 'NOT proven'}",
                )
            )
        cost = soft_cost(inst, solved.schedule)
        if row.name in ("S", "M") and last is not None:
            note = "" if time_limit >= 60 else f" (time limit {time_limit:g} s, not 60)"
            lines.append(
                (
                    gap(cost, last.bound) <= SOFT_GAP,
                    f"{row.name}: soft cost within {SOFT_GAP:.0%} of the bound: {cost} vs "
                    f"{last.bound} ({percent(gap(cost, last.bound))} above){note}",
                )
            )
        mine, theirs = hours(inst, solved), hours(inst, row.greedy)
        lines.append(
            (mine >= theirs, f"{row.name}: hours not fewer than greedy: {mine:.0f} vs {theirs:.0f}")
        )
        base = soft_cost(inst, row.greedy.schedule)
        lines.append(
            (
                cost <= (1 - SOFT_GAIN) * base,
                f"{row.name}: soft cost at least {SOFT_GAIN:.0%} below greedy's: {cost} vs "
                f"{base} ({(base - cost) / base if base else 0:.1%} better)",
            )
        )
        lines.append(
            (not check(inst, solved.schedule), f"{row.name}: checker finds no broken rule")
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
