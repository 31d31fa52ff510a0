"""Loading the demo: the event, its past up to the store's clock, then the sample
commands "now", each change audited at its own moment."""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub import demo
from ptghub.core.model import CellStatus, Motd, MotdLevel, Topics
from ptghub.store.store import Store
from tests.support import Clock, load_demo

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # where the demo's clock starts


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
    assert booked == {("bexar", "mon17h"): "diversity"}
    # Tuesday's teams have topics (Monday's went with ~newday), people are checked in.
    assert sorted(team for team, topics in state.topics.items() if topics.now) == [
        "cinder", "cyborg", "edge", "interop", "ironic", "kolla", "large-scale", "manila",
        "neutron", "nova", "openstack-ansible", "qa", "starlingx", "swift", "tacker", "tc",
        "tripleo",
    ]  # fmt: skip
    present = [p for p in state.presence.values() if p.checked_out is None]
    assert len(present) == 57
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
