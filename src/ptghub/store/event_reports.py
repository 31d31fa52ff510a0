"""What the organizers' report and the comparison of two events read from the store.

The front ends (the dashboard, ``ptghub report``) call these and render the charts; the
figures themselves are ``history.report``'s and ``history.compare``'s, pure, over the
event's timeline up to its end (``store.history``) and, for the registrations, the
counts of ``registration_reports.overview``.

The report's charts are kept per store and event while their inputs stay the same (the
very timeline ``store.history`` keeps for the event's version, and equal registration
counts): each chart's CSV is one more request for the whole report, whose SVG takes
tens of milliseconds to draw.
"""

from __future__ import annotations

import weakref

from ptghub.charts import Chart
from ptghub.history.compare import Comparison, compare
from ptghub.history.report import Registrations, build_report
from ptghub.history.timeline import Timeline
from ptghub.store.history import event_history
from ptghub.store.registration_answers import ROLES
from ptghub.store.registration_reports import BANDS
from ptghub.store.store import Store

_Kept = tuple[Timeline, Registrations, tuple[Chart, ...]]
_reports: weakref.WeakKeyDictionary[Store, dict[str, _Kept]] = weakref.WeakKeyDictionary()


def event_timeline(store: Store, slug: str) -> Timeline:
    """The event's timeline up to its end (``store.history``). NotFound for an unknown
    slug."""
    return event_history(store, slug)


def registration_counts(store: Store, slug: str) -> Registrations:
    """The people registered by role and by time-zone band (bands by the UTC offsets on
    the event's first day), labelled as the registration form names them."""
    state = store.state(slug)
    assert state.info is not None
    regs = store.attendees.registrations
    seen = regs.overview(regs.event_id(slug), state.info.start)
    return Registrations(
        [(label, seen.by_role.get(key, 0)) for key, label in ROLES.items()],
        [(band, seen.by_band.get(band, 0)) for band in BANDS],
    )


def event_report(store: Store, slug: str) -> list[Chart]:
    """Every chart of the organizers' report of ``slug`` (``history.report``); built
    again only when the event or its registrations have changed."""
    timeline = event_timeline(store, slug)
    registrations = registration_counts(store, slug)
    kept = _reports.setdefault(store, {})
    found = kept.get(slug)
    if found is None or found[0] is not timeline or found[1] != registrations:
        found = (timeline, registrations, tuple(build_report(timeline, registrations)))
        kept[slug] = found  # one assignment: a reader on another thread sees old or new
    return list(found[2])


def event_comparison(store: Store, first: str, second: str) -> Comparison:
    """The figures of two events side by side (``history.compare``)."""
    return compare(event_timeline(store, first), event_timeline(store, second))
