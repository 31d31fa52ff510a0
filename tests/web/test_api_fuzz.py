"""Property-based fuzzing of the whole HTTP API from its own /openapi.json (schemathesis).

Every operation of the schema (the JSON API, the plans, the exports, the event stream)
gets generated requests, as an organizer of the demo event so that writes get past the
token and reach the handlers; then the stateful phase chains operations through the
links schemathesis infers (a plan run, then that plan read, compared, published...).
Each response must pass every check schemathesis has: no 5xx, a status code and a
content type the schema documents, a body that matches the documented schema (errors
as ``{"error": ...}``), ``Allow`` on 405 listing the documented methods, schema-invalid
requests refused, schema-valid ones not refused as malformed (422; the event itself may
still refuse them with a 400, see below), and so on.

Deterministic: Hypothesis is derandomized (its seed comes from the test itself) and the
number of examples is bounded, so a run takes the same requests every time: about 95 s
for both backends on a loaded 2-core machine.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import quote

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.generation.stateful.state_machine import APIStateMachine

from ptghub import demo
from ptghub.core.events import RoleGranted
from ptghub.core.model import Actor, EventState, Role, RoleKind
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store
from ptghub.web.api import SLUG_PATTERN
from ptghub.web.app import create_app
from ptghub.web.plan_api import MAX_TIME_LIMIT
from tests.support import Clock

EVENT = demo.SLUG
POSTGRES_ENV = "PTGHUB_TEST_DATABASE_URL"  # as in tests/conftest.py
TEAMS = ("nova", "cinder", "neutron", "swift")
SLUG = re.compile(SLUG_PATTERN)
# The planner runs for as long as it is told (up to 600 s): a fuzzed run gets a moment.
PLAN_SECONDS = 0.2
SETTINGS = hypothesis.settings(
    derandomize=True,
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
STATEFUL = hypothesis.settings(SETTINGS, max_examples=10, stateful_step_count=6)


def _document() -> dict[str, Any]:
    """The app's OpenAPI document, read once at collection: the operations to test."""
    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(f"sqlite:///{directory}/schema.sqlite3")
        try:
            return create_app(store).openapi()
        finally:
            store.close()


schema = schemathesis.openapi.from_dict(_document())
# The token is added to every call (an organizer's, to reach the handlers), so it is not
# generated: a case without it would be sent with it. tests/web/test_api_auth.py checks
# the 401s.
schema.config.generation.update(deterministic=True, database="none", with_security_parameters=False)
# A schema-valid request may still be refused by the event (400: no such cell, a date
# outside the event...), which the schema cannot say; what the schema says, the server
# must accept: 422 (the request's shape) stays a failure for schema-valid data.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2XX",
    "3XX",
    "400",
    "401",
    "403",
    "404",
    "409",
    "429",
]


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """A valid event or team name is often replaced by the demo event and its teams, so
    that requests reach the handlers; an invalid one (a negative case) stays as it is.
    The event stream of a known event never ends: it keeps what was generated."""
    if not path_parameters:
        return st.just(path_parameters)
    operation = context.operation
    endless = operation is not None and operation.path.endswith("/stream")
    strategies = {name: st.just(value) for name, value in path_parameters.items()}
    slug, team = path_parameters.get("slug"), path_parameters.get("team")
    if isinstance(slug, str) and SLUG.fullmatch(slug) and not endless:
        strategies["slug"] = st.sampled_from([EVENT, EVENT, EVENT, slug])
    if isinstance(team, str) and SLUG.fullmatch(team.removeprefix("#")):
        strategies["team"] = st.sampled_from([*TEAMS, team])
    return st.fixed_dictionaries(strategies)


@schema.hook
def map_body(context: Any, body: Any) -> Any:
    """The planner runs for as long as it is told (up to 600 s): a fuzzed run gets less."""
    operation = context.operation
    if operation is not None and operation.path.endswith("/plans") and isinstance(body, dict):
        limit = body.get("time_limit")
        # Only a valid limit is shortened: an invalid one must still be refused.
        valid = isinstance(limit, float | int) and not isinstance(limit, bool)
        if valid and 0 < limit <= MAX_TIME_LIMIT:
            body = {**body, "time_limit": min(limit, PLAN_SECONDS)}
    return body


def _organizer(store: Store) -> dict[str, str]:
    def grant(state: EventState, actor: Actor) -> list[RoleGranted]:
        return [RoleGranted(Role("fuzzer", RoleKind.ORGANIZER))]

    store.change(grant, Actor("loader", operator=True), "fuzzer organizes", event=EVENT)
    return {"Authorization": f"Bearer {store.tokens.create('fuzzer')[1]}"}


@dataclass(frozen=True)
class Target:
    """The app around the demo event, started (its lifespan runs), and an organizer's
    token for every call."""

    app: FastAPI
    headers: dict[str, str]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzz_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database per backend for the whole module (as tests/conftest.py's, which are
    one per test): the fuzzed requests pile up on one event, as on a real server, and
    the demo event is loaded once rather than once per operation."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ptghub.sqlite3'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    import psycopg

    schema_name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema_name}"')
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema_name}')}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema_name}" CASCADE')


@pytest.fixture(scope="module")
def target(fuzz_database: str) -> Iterator[Target]:
    # The Friday before the event: plan runs have every slot to fill.
    store = Store.open(fuzz_database, clock=Clock(datetime(2022, 4, 1, 9, 0, tzinfo=UTC)))
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        store.create_event(load_event_file(path), Actor("loader", operator=True), "demo")
    headers = _organizer(store)
    app = create_app(store)
    try:
        with TestClient(app):
            yield Target(app, headers)
    finally:
        store.close()


@schema.parametrize()
@hypothesis.settings(SETTINGS)
def test_api_fuzz_every_operation_answers_as_documented(case: Case, target: Target) -> None:
    case.operation.schema.app = target.app  # checks that send requests of their own too
    case.call_and_validate(app=target.app, headers=target.headers)


def test_api_fuzz_stateful_sequences_answer_as_documented(target: Target) -> None:
    # The event's stream never ends once it answers: sequences leave it out (a link from
    # the list of events would reach it with a real slug).
    finite = schema.exclude(path_regex="/stream$")
    finite.app = target.app
    base: type[APIStateMachine] = finite.as_state_machine()

    class Workflow(base):  # type: ignore[valid-type,misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"app": target.app, "headers": target.headers}

    Workflow.run(settings=STATEFUL)
