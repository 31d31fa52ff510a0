"""Loading the demo: the event, its past up to the store's clock, then the sample
commands "now", each change audited at its own moment."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from ptghub import demo
from ptghub.core.model import CellStatus, Motd, MotdLevel, Topics
from ptghub.store.history import event_history
from ptghub.store.store import Store
from tests.support import Clock, load_demo

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # where the demo's clock starts
LATER = datetime(2026, 12, 2, 18, 36, tzinfo=UTC)  # the event is long over


def test_at_the_clock_start_the_board_has_the_sample_commands_state(database_url: str) -> None:
    store = Store.open(database_url, clock=Clock(TUESDAY))
    try:
        load_demo(store)
        state = store.state(demo.SLUG)
        entries = store.audit(demo.SLUG)
    finally:
        store.close()
    assert {team: state.topics[team] for team in ("tc", "nova", "cinder", "neutron")} == {
        "tc": Topics(
            "Zed cycle goals and community-wide goals",
            ("Release cadence, then the PTL-less projects",),
        ),
        "nova": Topics(
            "Unified limits: what is left for Zed",
            (
                "Placement consumer types",
                "Cross-project session with #cinder on volume attachments",
            ),
        ),
        "cinder": Topics("Backup driver clean-up"),
        "neutron": Topics("OVN feature parity with ML2/OVS"),
    }
    # The day's messages of the past are taken down by then: the board shows the sample's.
    assert state.motd == (
        Motd(MotdLevel.INFO, "Welcome to the virtual PTG! All times are UTC."),
        Motd(MotdLevel.WARNING, "Happy hour on Tuesday at 22:00 UTC, game night Thursday"),
    )
    booked = {key: c.team for key, c in state.cells.items() if c.status is CellStatus.BOOKED}
    assert booked == {("bexar", "mon17h"): "relmgt"}
    # Tuesday's teams have topics (Monday's went with ~newday), people are checked in.
    assert sorted(team for team, topics in state.topics.items() if topics.now) == [
        "cinder", "cyborg", "edge", "interop", "ironic", "kolla", "large-scale", "manila",
        "neutron", "nova", "openstack-ansible", "qa", "starlingx", "swift", "tacker", "tc",
        "tripleo",
    ]  # fmt: skip
    present = [p for p in state.presence.values() if p.checked_out is None]
    assert len(present) == 49
    moments = [entry.at for entry in entries]
    assert moments == sorted(moments)
    assert entries[-1].at == TUESDAY


def test_before_the_event_there_is_no_past(database_url: str) -> None:
    before = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)
    store = Store.open(database_url, clock=Clock(before))
    try:
        load_demo(store)
        entries = store.audit(demo.SLUG)
    finally:
        store.close()
    assert [(e.at, e.text) for e in entries] == [
        (before, "demo"),
        *((before, text) for _, text in demo.SAMPLE_COMMANDS),
    ]


def test_the_whole_week_reads_as_a_timeline_of_sessions_with_topics(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'ptghub.sqlite3'}", clock=Clock(LATER))
    try:
        load_demo(store)
        timeline = event_history(store, demo.SLUG)
    finally:
        store.close()
    statuses = Counter(session.status for session in timeline.sessions)
    assert statuses == Counter({CellStatus.PLANNED: 89, CellStatus.BOOKED: 5})
    topics = [
        sum(t.team == s.team and s.start <= t.start < s.end for t in timeline.topics)
        for s in timeline.sessions
    ]
    assert Counter(topics) == Counter({2: 41, 3: 22, 4: 31})  # every session has 2 to 4
    assert [(b.team, b.room, b.slot, b.freed_at) for b in timeline.bookings] == [
        ("relmgt", "bexar", "mon17h", None),
        ("manila", "bexar", "mon19h", datetime(2022, 4, 4, 18, 35, tzinfo=UTC)),
        ("tripleo", "bexar", "tue17h", None),
        ("keystone", "bexar", "wed19h", None),
        ("swift", "austin", "thu17h", None),
        ("cloudkitty", "austin", "fri15h", None),
    ]
    # After its last session, each team had queued a topic it never got to.
    assert len(timeline.queued) == len(timeline.state.teams) == 34
    assert [(t.number, t.text, f"{t.start:%a %H:%M}") for t in timeline.topics_of("nova")][:3] == [
        (1, "Onboarding: a tour of the project for newcomers", "Tue 13:04"),
        (2, "Yoga retrospective: what went well, what did not", "Tue 15:47"),
        (3, "Secure RBAC: enabling the new defaults by default", "Tue 18:25"),
    ]
    # The chairs' written outcomes, by the topics' numbers in their recaps.
    assert {team: sorted(timeline.state.outcomes_of(team)) for team in ("nova", "tc")} == {
        "nova": [3, 4, 5],
        "tc": [3, 4, 10],
    }
