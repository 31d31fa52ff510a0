"""The registry: every command declares usage, help and permission once, and help shows them."""

from __future__ import annotations

import pytest

from ptghub.commands.grammar import Scope
from ptghub.commands.help import describe
from ptghub.commands.registry import REGISTRY, Permission, Spec, command
from ptghub.commands.run import execute
from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.core.verbs import USER_VERBS
from tests.commands.helpers import MONDAY
from tests.support import ALICE, small_event

SPECS = sorted(REGISTRY.values(), key=lambda s: (s.scope, s.verb))


def test_registry_holds_the_old_bots_commands() -> None:
    assert {(scope.value, verb) for scope, verb in REGISTRY} == {
        *(("track", v) for v in ("now", "next", "clean", "clear", "etherpad", "url", "color",
                                 "location", "book", "unbook", "outcome", "recording")),
        *(("user", v) for v in ("in", "out", "seen", "subscribe", "unsubscribe", "help")),
        *(("admin", v) for v in ("list", "add", "del", "clean", "newday", "emptydb", "motd",
                                 "requirevoice", "alloweveryone", "role")),
    }  # fmt: skip


def test_registry_every_command_has_usage_and_help() -> None:
    missing = [spec.name for spec in SPECS if not spec.usage.strip() or not spec.help.strip()]
    assert missing == []


def test_registry_every_usage_starts_with_the_command_name() -> None:
    wrong = [spec.name for spec in SPECS if not spec.usage.startswith(spec.name)]
    assert wrong == []


def test_registry_keys_match_their_specs() -> None:
    assert [(s.scope, s.verb) for s in SPECS] == sorted(REGISTRY)


def test_registry_user_verbs_are_the_grammars_user_verbs() -> None:
    assert {verb for scope, verb in REGISTRY if scope is Scope.USER} == USER_VERBS


def test_registry_track_commands_need_a_chair_and_admin_ones_an_organizer() -> None:
    assert {s.permission for s in SPECS if s.scope is Scope.TRACK} == {Permission.CHAIR}
    assert {s.name: s.permission for s in SPECS if s.scope is Scope.ADMIN} == {
        "~add": Permission.ORGANIZER,
        "~alloweveryone": Permission.ORGANIZER,
        "~clean": Permission.ORGANIZER,
        "~del": Permission.ORGANIZER,
        "~emptydb": Permission.ORGANIZER,
        "~list": Permission.ANYONE,
        "~motd": Permission.ORGANIZER,
        "~newday": Permission.ORGANIZER,
        "~requirevoice": Permission.ORGANIZER,
        "~role": Permission.ORGANIZER,
    }
    assert {s.permission for s in SPECS if s.scope is Scope.USER} == {Permission.ANYONE}


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_help_command_works_for_every_registered_command(spec: Spec) -> None:
    state = apply_all(EventState(), small_event())
    name = spec.name.removeprefix("#TEAM ")
    applied = execute(state, f"help {name}", ALICE, MONDAY)
    assert applied is not None
    expected = describe(spec)
    assert (applied.outcome.reply, applied.outcome.events) == (expected, ())


def test_describe_shows_usage_help_and_who_may() -> None:
    spec = REGISTRY[(Scope.TRACK, "book")]
    assert describe(spec) == (
        "#TEAM book ROOM-SLOT - Book a free cell of a bookable room for the team, e.g. "
        "'#nova book Austin-Mon-13h'. [chair of the team]"
    )


def test_describe_of_a_command_for_anyone_names_no_role() -> None:
    assert describe(REGISTRY[(Scope.USER, "seen")]) == (
        "seen NICK - Tell where a person last checked in (nicks are case-insensitive)."
    )


def test_registering_a_command_twice_is_an_error() -> None:
    with pytest.raises(ValueError) as error:
        command(
            Scope.TRACK, "now", usage="#TEAM now X", help="Again.", permission=Permission.CHAIR
        )(REGISTRY[(Scope.TRACK, "now")].handler)
    assert str(error.value) == "command track:now registered twice"
