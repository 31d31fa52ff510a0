"""POST /api/v1/events/{slug}/update: the edited event file through the API, as the CLI.

An organizer's token; the differences in the answer; a dry run changes nothing; cells a
removal would take are refused (409) with their list unless ``free_cells``; a bad file
or another event's file is a 400; each update one audited change that undo takes back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Actor
from ptghub.eventfile import load_event_text
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.event_files import EVENT, edited, loaded
from tests.support import ORGANIZER, snapshot
from tests.web.api_client import token

URL = "/api/v1/events/upd-ptg/update"
REMOVE_BEXAR = edited(("  - name: Bexar\n", ""), ("  Bexar: {Mon-A1: cinder}\n", ""))


@pytest.fixture
def event_client(empty_store: Store) -> Iterator[TestClient]:
    empty_store.create_event(
        load_event_text(EVENT, "test.yaml"), Actor("loader", operator=True), "event load"
    )
    with TestClient(create_app(empty_store)) as test_client:
        yield test_client


def test_dry_run_answers_the_differences_and_changes_nothing(
    event_client: TestClient, empty_store: Store
) -> None:
    version = empty_store.version("upd-ptg")
    body = {"text": REMOVE_BEXAR, "dry_run": True}
    response = event_client.post(URL, json=body, headers=token(empty_store, "olivia"))
    assert response.status_code == 200
    answer = response.json()
    assert (answer["changed"], answer["audit_id"], answer["differences"]) == (
        False,
        None,
        [{"kind": "rooms", "text": "removed Bexar"}],
    )
    assert answer["freed"] == [
        {"room": "Bexar", "slot": "Mon-A1", "team": "cinder", "why": "room removed"}
    ]
    assert answer["refusal"].startswith("The update would take 1 cell(s)")
    assert empty_store.version("upd-ptg") == version


def test_cells_a_removal_takes_are_refused_unless_freed_and_undo_reverts(
    event_client: TestClient, empty_store: Store
) -> None:
    headers = token(empty_store, "olivia")
    refused = event_client.post(URL, json={"text": REMOVE_BEXAR}, headers=headers)
    assert refused.status_code == 409
    assert "  Bexar Mon-A1: cinder (room removed)\n" in refused.json()["error"]
    response = event_client.post(
        URL, json={"text": REMOVE_BEXAR, "free_cells": True}, headers=headers
    )
    last = empty_store.audit("upd-ptg")[-1]
    assert response.status_code == 200
    assert response.json()["reply"] == (
        f"OK, event 'upd-ptg' updated: 6 change(s) recorded as #{last.id}."
    )
    assert (last.actor, last.frontend, last.text) == ("olivia", "api", "event update (API)")
    assert snapshot(empty_store.state("upd-ptg")) == snapshot(loaded(REMOVE_BEXAR))
    empty_store.undo(last.id, ORGANIZER)
    assert snapshot(empty_store.state("upd-ptg")) == snapshot(loaded())


def test_a_bad_file_or_another_events_file_is_a_400(
    event_client: TestClient, empty_store: Store
) -> None:
    headers = token(empty_store, "olivia")
    bad = event_client.post(URL, json={"text": "slug: [unclosed"}, headers=headers)
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("the file:1: invalid YAML: ")
    other = edited(("slug: upd-ptg", "slug: other-ptg"))
    response = event_client.post(URL, json={"text": other}, headers=headers)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "The file defines the event 'other-ptg', not 'upd-ptg': the slug cannot change "
        "(load the file as a new event instead).",
    )


def test_only_an_organizers_token_may_update(event_client: TestClient, empty_store: Store) -> None:
    response = event_client.post(URL, json={"text": EVENT}, headers=token(empty_store, "nchair"))
    assert (response.status_code, response.json()) == (
        403,
        {"error": "Updating the event needs an organizer; nchair is not one."},
    )
    assert event_client.post(URL, json={"text": EVENT}).status_code == 401
    nothing = event_client.post(URL, json={"text": EVENT}, headers=token(empty_store, "olivia"))
    assert (nothing.status_code, nothing.json()["changed"]) == (200, False)
