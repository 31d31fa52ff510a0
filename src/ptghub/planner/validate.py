"""Input that no planner can honour: fixed cells that break a hard rule among themselves."""

from __future__ import annotations

from ptghub.core.errors import InvalidInput
from ptghub.planner.checker import check
from ptghub.planner.instance import Instance


def validate_fixed(instance: Instance) -> None:
    """Raise InvalidInput naming the cells and the rule when the fixed cells (chair
    bookings, pins, the past) cannot all be kept; the checker is the judge."""
    broken = check(instance, dict(instance.fixed))
    if broken:
        details = " ".join(
            f"[{v.rule}] {', '.join(f'{room} at {slot}' for room, slot in v.cells)}: {v.message}"
            for v in broken
        )
        raise InvalidInput(
            "The fixed cells (chair bookings, pins, the past) break hard rules, so no "
            f"schedule can keep them. {details} Change or unpin these cells and plan again."
        )
