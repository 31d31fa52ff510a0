"""The organizers' report read from a real store: kept while nothing it shows has
changed, built again after a change to the event or to its registrations."""

from __future__ import annotations

from ptghub.charts import Chart
from ptghub.store.event_reports import event_report
from ptghub.store.registration_answers import check_answers
from ptghub.store.store import Store
from tests.support import ALICE

EVENT = "test-ptg"


def charts(store: Store) -> dict[str, Chart]:
    return {chart.key: chart for chart in event_report(store, EVENT)}


def register(store: Store, address: str, role: str) -> None:
    regs = store.attendees.registrations
    person = store.accounts.sign_up(address).person_id
    answers = check_answers(
        role=role,
        teams=("nova",),
        onboarding=False,
        time_zone="Europe/Paris",
        first_time=True,
        event_teams={"nova": "Nova/Placement"},
    )
    regs.register(regs.event_id(EVENT), person, answers, coc_version=1)


def test_the_report_read_again_unchanged_is_the_one_built(store: Store) -> None:
    first, again = charts(store), charts(store)
    assert first.keys() == again.keys()
    assert all(again[key] is chart for key, chart in first.items())


def test_a_change_to_the_event_builds_the_report_again(store: Store) -> None:
    before = charts(store)
    store.run("in #nova", ALICE)
    after = charts(store)
    assert after["checkins"] is not before["checkins"]
    assert [row[1] for row in after["busiest-sessions"].rows] == ["Austin"]
    assert before["busiest-sessions"].rows == ()


def test_a_registration_builds_the_report_again(store: Store) -> None:
    before = charts(store)["registrations-role"]
    register(store, "dev@example.org", "developer")
    register(store, "op@example.org", "operator")
    after = charts(store)["registrations-role"]
    assert before.rows != after.rows
    assert [count for _, count in after.rows] == [1, 1, 0, 0, 0]
