"""The organizers' grid page: a room bookable or kept for the organizers, a slot's cells
available or not; each a Store.change audited as the person, front end web."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ptghub.core.model import FREE, Cell, CellStatus
from ptghub.store.store import Store
from tests.web.organizing import EVENT, ORGANIZE, audit_count, organizer, post, post_json

CLOSED = Cell(CellStatus.UNAVAILABLE)


def test_a_room_is_made_bookable_and_kept_for_the_organizers_again(
    client: TestClient, store: Store
) -> None:
    me = organizer(client, store)
    answer = post_json(client, f"{ORGANIZE}/grid/room", **me.form(room="bexar", bookable="yes"))
    entry = store.audit(EVENT)[-1]
    assert answer.json() == {
        "reply": "OK, Bexar is now bookable by teams.",
        "changed": True,
        "audit_id": entry.id,
    }
    assert (entry.actor, entry.frontend, entry.text) == (
        "olga@web",
        "web",
        "room bookable bexar yes",
    )
    assert store.state(EVENT).rooms["bexar"].bookable is True
    again = post_json(client, f"{ORGANIZE}/grid/room", **me.form(room="Bexar", bookable="yes"))
    assert again.json()["reply"] == "Nothing to change: Bexar was already bookable by teams."
    back = post_json(client, f"{ORGANIZE}/grid/room", **me.form(room="Bexar", bookable="no"))
    assert back.json()["reply"] == "OK, Bexar is now kept for the organizers."
    unknown = post_json(client, f"{ORGANIZE}/grid/room", **me.form(room="Essex", bookable="no"))
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"error": "Unknown room 'Essex'; the rooms are: Austin, Bexar, Coiste Bainisti."},
    )


def test_a_slots_row_opens_and_closes_its_cells(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    # Tue-P2: Austin is closed, Bexar and Coiste Bainisti free. The form ticks Austin and
    # Coiste Bainisti: Austin opens, Bexar closes.
    fields = {**me.form(slot="Tue-P2"), "room": ["Austin", "Coiste Bainisti"]}
    answer = client.post(
        f"{ORGANIZE}/grid/slot",
        data=fields,
        headers={"Accept": "application/json"},
    )
    entry = store.audit(EVENT)[-1]
    assert answer.json() == {
        "reply": "OK, Tue-P2: 1 cell(s) made available, 1 made unavailable.",
        "changed": True,
        "audit_id": entry.id,
    }
    assert entry.text == "slot open Tue-P2 Austin, Coiste Bainisti"
    state = store.state(EVENT)
    assert (state.cell("austin", "tuep2"), state.cell("bexar", "tuep2")) == (FREE, CLOSED)


def test_a_cell_a_team_holds_stays_and_the_page_says_why(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    before = audit_count(store)
    answer = post(client, f"{ORGANIZE}/grid/slot", **me.form(slot="Mon-A1"))  # nothing ticked
    assert (answer.status_code, answer.headers["location"]) == (303, f"{ORGANIZE}/grid")
    page = client.get(f"{ORGANIZE}/grid").text
    refusal = re.search(r'role="alert" data-flash>(.*?)</p>', page)
    assert refusal is not None and refusal.group(1) == (
        "Austin-Mon-A1 is planned for nova; free it first (&#39;#nova unbook "
        "Austin-Mon-A1&#39;) before making it unavailable."
    )
    assert audit_count(store) == before


def test_the_grid_page_shows_every_cell_with_its_box(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    page = client.get(f"{ORGANIZE}/grid").text
    # 3 rooms x 8 slots, each a box tied to its slot's form; Austin has no Tue-P2 cell.
    assert page.count('type="checkbox" name="room"') == 24
    assert page.count(" checked>") == 23
    assert 'value="Austin" form="slot-tuep2">' in page
    assert "planned (nova)" in page
    assert (
        page.count(f'name="csrf" value="{me.csrf}"') == 3 + 8 + 1
    )  # a form per room and per slot, sign-out
