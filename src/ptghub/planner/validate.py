"""Input that no planner can honour: fixed cells that break a hard rule among themselves."""

from __future__ import annotations

from ptghub.core.errors import InvalidInput
from ptghub.planner.checker import check
from ptghub.planner.instance import Instance
from ptghub.planner.names import Names


def validate_fixed(instance: Instance, names: Names | None = None) -> None:
    """Raise InvalidInput saying which cells break which rule when the fixed cells (chair
    bookings, pins, the past) cannot all be kept; the checker is the judge, and its
    sentences name the cells (with ``names``, as people do)."""
    broken = check(instance, dict(instance.fixed), names)
    if broken:
        details = " ".join(v.message for v in broken)
        raise InvalidInput(
            "The fixed cells (chair bookings, pins, the past) break hard rules, so no "
            f"schedule can keep them. {details} Change or unpin these cells and plan again."
        )
