"""What the CP-SAT solves of one planner run may spend: wall-clock seconds, or work.

A run is several solves (planner/solver.py's stages, bound.py's parts), each given a
share of what is left. Two currencies:

- ``Budget.seconds(n)``: wall-clock time, what a person waiting for a plan means. The
  plan depends on the machine's speed and load: a slower machine stops earlier in the
  search and may return a worse schedule.
- ``Budget.work(n)``: CP-SAT's deterministic time (``max_deterministic_time``, a count of
  the work done, about a second per unit on one core of a recent machine), with one
  search worker. The same instance, hint and seed give the same plan on any machine under
  any load, however long it takes: what tests and reproducible runs need.

Only the solves are counted in work; building the models and the greedy floor are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from ortools.sat.python import cp_model

MIN_SECONDS = 0.1  # the least a wall-clock solve is given, even when the budget is spent
MIN_WORK = 0.05  # the same in work units


@dataclass(eq=False)
class Budget:
    """``limit`` seconds or work units; ``deterministic`` for work. ``part`` carves a
    sub-budget whose spending counts against this one too."""

    limit: float
    deterministic: bool
    parent: Budget | None = None
    _started: float = field(default_factory=perf_counter)
    _work: float = 0.0

    @classmethod
    def seconds(cls, limit: float) -> Budget:
        return cls(limit, deterministic=False)

    @classmethod
    def work(cls, limit: float) -> Budget:
        return cls(limit, deterministic=True)

    def spent(self) -> float:
        if self.deterministic:
            return self._work
        return perf_counter() - self._started

    def left(self) -> float:
        """What is left (negative when overspent: a solve is given at least its minimum)."""
        return self.limit - self.spent()

    def part(self, limit: float) -> Budget:
        """A sub-budget of ``limit``, starting now (for bound.py's parts)."""
        return Budget(limit, self.deterministic, parent=self)

    def workers(self, wanted: int) -> int:
        """Search workers: one for work (several workers race, which is not repeatable)."""
        return 1 if self.deterministic else wanted

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel, amount: float) -> Any:
        """Solve ``model`` with at most ``amount`` of this budget's currency (and never
        less than the minimum); the status CP-SAT returns."""
        params = solver.parameters
        if self.deterministic:
            params.max_deterministic_time = max(MIN_WORK, amount)
        else:
            params.max_time_in_seconds = max(MIN_SECONDS, amount)
        status = solver.solve(model)
        self._charge(solver.deterministic_time)
        return status

    def _charge(self, work: float) -> None:
        self._work += work
        if self.parent is not None:
            self.parent._charge(work)
