"""The demo event shipped with ptghub: the virtual PTG of April 4-8 2022.

``SAMPLE_COMMANDS`` are run once after loading, through the ordinary command path, so
that the demo's board shows the live part of a PTG: a message of the day, teams'
topics, a check-in. They stand in the audit log like any other change, after the
event's past up to the clock (``history``: what the demo's people did from the first
slot on), which ``load`` runs first.

The demo is served as if the event were running: its simulated clock starts on the
event's second day, mid-afternoon in its zone, while most teams meet (``clock_start``),
and ``replay`` keeps the board moving.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLUG = "ptg-2022-04"
FILE = f"{SLUG}.yaml"
CLOCK_DAY = 2  # the simulated clock starts on the event's second day...
CLOCK_TIME = time(15, 10)  # ...at this time of the event's zone, while sessions run


def clock_start(first_day: date, timezone: str) -> datetime:
    """Where the demo's simulated clock starts (UTC) for an event starting ``first_day``."""
    day = first_day + timedelta(days=CLOCK_DAY - 1)
    return datetime.combine(day, CLOCK_TIME, ZoneInfo(timezone)).astimezone(UTC)


SAMPLE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("ptg-organizer", "~motd add info Welcome to the virtual PTG! All times are UTC."),
    ("ptg-organizer", "~motd add warning Happy hour on Tuesday at 22:00 UTC, game night Thursday"),
    ("tc-chair", "#tc now Zed cycle goals and community-wide goals"),
    ("tc-chair", "#tc next Release cadence, then the PTL-less projects"),
    ("nova-chair", "#nova now Unified limits: what is left for Zed"),
    ("nova-chair", "#nova next Placement consumer types"),
    ("nova-chair", "#nova next Cross-project session with #cinder on volume attachments"),
    ("cinder-chair", "#cinder now Backup driver clean-up"),
    ("neutron-chair", "#neutron now OVN feature parity with ML2/OVS"),
    ("demo-attendee", "in #nova"),
)
