"""Malformed and hostile commands: each is refused with its message and changes nothing.

Run against the real store (SQLite, and PostgreSQL when configured), so "nothing changed"
covers the database and the audit log, not only the in-memory state. The cases are a table
in tests/commands/bad_input_cases.py.
"""

from __future__ import annotations

import pytest

from ptghub.core.errors import PtgError
from ptghub.core.model import Actor
from ptghub.core.patterns import matches
from ptghub.store.store import Store
from tests.commands.bad_input_cases import CASES, Case
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, snapshot


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_input_is_refused_and_changes_nothing(store: Store, case: Case) -> None:
    for text, actor in case.setup:
        store.run(text, actor)
    before = (snapshot(store.state()), len(store.audit()))
    with pytest.raises(PtgError) as error:
        store.run(case.text, case.actor)
    assert (type(error.value), error.value.message) == (case.error, case.message)
    assert (snapshot(store.state()), len(store.audit())) == before


def test_bad_input_table_is_large_enough() -> None:
    assert len(CASES) >= 45


def test_catastrophic_backtracking_pattern_is_stored_and_cannot_hang(store: Store) -> None:
    """RE2 accepts ``(a+)+$`` and matches it in linear time, so hostile topics are harmless."""
    result = store.run("subscribe (a+)+$", ALICE)
    assert result is not None and result.reply == "Subscription set to (a+)+$ (previously none)."
    assert store.state().subscriptions["alice"].pattern == "(a+)+$"
    hostile = ["a" * 299 + "!", "a" * 150 + "b" + "a" * 148 + "!", "!" + "a" * 298 + "!"]
    assert [matches("(a+)+$", text) for text in hostile] == [False, False, False]
    assert matches("(a+)+$", "!" + "a" * 299) is True
    for text in hostile:
        outcome = store.run(f"#nova now {text}", NOVA_CHAIR)
        assert outcome is not None and outcome.notices == ()
    assert store.state().topics["nova"].now == hostile[-1]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("~role grant " + "ß" * 64 + " organizer", ORGANIZER),
        ("~add " + "İ" * 40, ORGANIZER),
        ("in Hallway", Actor("ß" * 40, frontend="test")),
        ("in Hallway", Actor("n" * 65, frontend="test")),
        ("subscribe nova", Actor("n" * 65, frontend="test")),
    ],
    ids=[
        "role-nick-key-128",
        "team-key-80",
        "actor-nick-key-80",
        "actor-nick-65",
        "subscriber-nick-65",
    ],
)
def test_bad_input_never_surfaces_a_database_error(store: Store, text: str, actor: Actor) -> None:
    """A value is refused with a PtgError or stored, on every backend; never a driver error."""
    before = (snapshot(store.state()), len(store.audit()))
    try:
        store.run(text, actor)
    except PtgError:
        assert (snapshot(store.state()), len(store.audit())) == before
