"""Admin commands ``~VERB``: the team list, messages of the day, resets and roles."""

from __future__ import annotations

import pytest

from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ptghub.core.events import OpenToEveryoneChanged, RoleGranted, RoleRevoked
from ptghub.core.model import (
    FREE,
    Actor,
    Cell,
    CellStatus,
    Presence,
    Role,
    RoleKind,
    Team,
    Topics,
)
from ptghub.store.store import Store
from tests.commands.helpers import MONDAY, Chat
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, snapshot

BOB = Actor("bob", frontend="test")


# -- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("~add manila", "~add"),
        ("~del cinder", "~del"),
        ("~clean nova", "~clean"),
        ("~newday", "~newday"),
        ("~emptydb", "~emptydb"),
        ("~motd add info Hi", "~motd"),
        ("~requirevoice", "~requirevoice"),
        ("~alloweveryone", "~alloweveryone"),
        ("~role grant alice organizer", "~role"),
    ],
)
@pytest.mark.parametrize("actor", [ALICE, NOVA_CHAIR], ids=["anyone", "chair"])
def test_admin_command_is_refused_for_non_organizers(
    chat: Chat, text: str, name: str, actor: Actor
) -> None:
    error = chat.refuse(text, actor)
    assert (type(error), error.message) == (
        PermissionDenied,
        f"'{name}' needs an organizer; {actor.nick} is not one.",
    )


def test_admin_command_by_organizer_nick_in_other_case(chat: Chat) -> None:
    assert chat.reply("~add manila", Actor("OLIVIA", frontend="test")) == "OK, added manila"


def test_admin_command_by_operator_needs_no_role(chat: Chat) -> None:
    operator = Actor("root", frontend="cli", operator=True)
    assert chat.reply("~add manila", operator) == "OK, added manila"


def test_unknown_admin_command_lists_the_known_ones(chat: Chat) -> None:
    error = chat.refuse("~frobnicate", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "Unknown command '~frobnicate'. Expected one of: add, alloweveryone, clean, del, "
        "emptydb, list, motd, newday, requirevoice, role.",
    )


# -- list / add -----------------------------------------------------------------------


def test_list_shows_teams_sorted_to_anyone(chat: Chat) -> None:
    assert chat.reply("~list", ALICE) == "Available tracks: cinder first-contact nova relmgt"


def test_list_without_teams(chat: Chat) -> None:
    chat.say("~emptydb", ORGANIZER)
    assert chat.reply("~list") == "There are no teams defined yet."


def test_add_teams_gives_a_lower_case_slug_and_the_name_as_typed(chat: Chat) -> None:
    outcome = chat.say("~add oslo.messaging Manila", ORGANIZER)
    assert outcome.reply == "OK, added oslo.messaging manila (Manila)"
    assert list(chat.state.teams) == [
        "cinder",
        "first-contact",
        "manila",
        "nova",
        "oslo.messaging",
        "relmgt",
    ]
    assert chat.state.teams["manila"] == Team("manila", "Manila")
    assert chat.state.teams["oslo.messaging"] == Team("oslo.messaging", "oslo.messaging")


def test_add_then_use_team_in_any_case(chat: Chat) -> None:
    chat.say("~emptydb", ORGANIZER)
    chat.say("~add Nova", ORGANIZER)
    assert chat.reply("#NOVA now Placement") == (
        "OK, nova now discusses: Placement Note: nova is not scheduled today."
    )
    assert chat.state.teams["nova"].name == "Nova"
    assert chat.state.topics["nova"] == Topics(now="Placement")


def test_add_existing_team_in_other_case_is_refused(chat: Chat) -> None:
    error = chat.refuse("~add NOVA", ORGANIZER)
    assert (type(error), error.message) == (Conflict, "Team 'NOVA' already exists.")


def test_add_same_team_twice_in_one_command_is_refused(chat: Chat) -> None:
    error = chat.refuse("~add manila MANILA", ORGANIZER)
    assert (type(error), error.message) == (Conflict, "Team 'MANILA' already exists.")


@pytest.mark.parametrize("name", ["in", "OUT", "seen", "subscribe", "unsubscribe", "help"])
def test_add_user_command_as_team_name_is_refused(chat: Chat, name: str) -> None:
    error = chat.refuse(f"~add {name}", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        f"'{name}' is a user command and cannot be a team name.",
    )


@pytest.mark.parametrize("name", ["-nova", "nova!", "a" * 41, "no/va", "_x"])
def test_add_invalid_slug_is_refused(chat: Chat, name: str) -> None:
    error = chat.refuse(f"~add {name}", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        f"'{name[:39] + '…' if len(name) > 40 else name}' is not a valid team name: use 1 to 40 "
        "letters, digits, '.', '_' or '-', starting with a letter or digit (for example 'nova').",
    )


def test_add_with_one_bad_name_adds_none(chat: Chat) -> None:
    error = chat.refuse("~add manila nova", ORGANIZER)
    assert (type(error), error.message) == (Conflict, "Team 'nova' already exists.")
    assert "manila" not in chat.state.teams


def test_add_without_names_is_refused(chat: Chat) -> None:
    error = chat.refuse("~add", ORGANIZER)
    assert (type(error), error.message) == (InvalidInput, "'~add' takes one or more team names.")


# -- del ------------------------------------------------------------------------------


def test_del_team_holding_cells_is_refused_with_its_cells(chat: Chat) -> None:
    error = chat.refuse("~del NOVA", ORGANIZER)
    assert (type(error), error.message) == (
        Conflict,
        "nova holds 2 cell(s) in the schedule (Austin-Mon-A1, Austin-Mon-A2); free them first "
        "('#nova unbook ROOM-SLOT') before deleting the team.",
    )


def test_del_team_holding_many_cells_lists_five(chat: Chat) -> None:
    for slot in ("Mon-P1", "Mon-P2", "Tue-A1", "Tue-A2"):
        chat.say(f"#cinder book Coiste Bainisti-{slot}")
    chat.say("#cinder book Austin-Tue-P1")
    chat.say("#cinder book Coiste Bainisti-Tue-P2")
    error = chat.refuse("~del cinder", ORGANIZER)
    assert error.message == (
        "cinder holds 6 cell(s) in the schedule (Coiste Bainisti-Mon-P1, Coiste Bainisti-Mon-P2, "
        "Coiste Bainisti-Tue-A1, Coiste Bainisti-Tue-A2, Austin-Tue-P1 and 1 more); free them "
        "first ('#cinder unbook ROOM-SLOT') before deleting the team."
    )


def test_del_of_several_teams_refuses_all_when_one_holds_cells(chat: Chat) -> None:
    error = chat.refuse("~del cinder nova", ORGANIZER)
    assert type(error) is Conflict
    assert list(chat.state.teams) == ["cinder", "first-contact", "nova", "relmgt"]


def test_del_after_unbooking_removes_team_topics_and_chairs(chat: Chat) -> None:
    chat.say("#nova now Placement", NOVA_CHAIR)
    chat.say("~role grant bob chair nova", ORGANIZER)
    chat.say("#nova unbook Austin-Mon-A1", ORGANIZER)
    chat.say("#nova unbook Austin-Mon-A2", ORGANIZER)
    assert chat.reply("~del nova", ORGANIZER) == "OK, deleted nova"
    assert list(chat.state.teams) == ["cinder", "first-contact", "relmgt"]
    assert "nova" not in chat.state.topics
    assert chat.state.roles == {Role("olivia", RoleKind.ORGANIZER)}
    assert chat.state.team_cells("nova") == []


def test_del_unknown_team_is_not_found(chat: Chat) -> None:
    error = chat.refuse("~del manila", ORGANIZER)
    assert (type(error), error.message) == (
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
    )


def test_del_without_names_is_refused(chat: Chat) -> None:
    error = chat.refuse("~del", ORGANIZER)
    assert (type(error), error.message) == (InvalidInput, "'~del' takes one or more team names.")


def test_store_del_refused_then_allowed_once_unbooked(store: Store) -> None:
    before = (snapshot(store.state()), len(store.audit()))
    with pytest.raises(Conflict):
        store.run("~del nova", ORGANIZER)
    assert (snapshot(store.state()), len(store.audit())) == before
    store.run("#nova now Placement", NOVA_CHAIR)
    store.run("#nova unbook Austin-Mon-A1", ORGANIZER)
    store.run("#nova unbook Austin-Mon-A2", ORGANIZER)
    result = store.run("~del Nova", ORGANIZER)
    assert result is not None and result.reply == "OK, deleted nova"
    state = store.state()
    assert (list(state.teams), state.topics, state.roles) == (
        ["cinder", "first-contact", "relmgt"],
        {},
        {Role("olivia", RoleKind.ORGANIZER)},
    )


# -- clean / newday -------------------------------------------------------------------


def test_clean_removes_topics_of_the_named_teams_only(chat: Chat) -> None:
    chat.say("#nova now Placement")
    chat.say("#cinder location Booth 3")
    chat.say("#relmgt next Schedule")
    assert chat.reply("~clean nova #CINDER", ORGANIZER) == "OK, cleaned nova cinder"
    assert chat.state.topics == {"relmgt": Topics(None, ("Schedule",))}


def test_clean_without_names_is_refused(chat: Chat) -> None:
    error = chat.refuse("~clean", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "'~clean' takes one or more team names.",
    )


def test_newday_clears_topics_and_check_ins_but_keeps_the_rest(chat: Chat) -> None:
    chat.say("#nova now Placement")
    chat.say("#cinder location Booth 3")
    chat.say("in #nova", ALICE)
    chat.say("subscribe nova", ALICE)
    chat.say("#relmgt book Coiste Bainisti-Tue-A1")
    reply = chat.reply("~newday", ORGANIZER)
    assert reply == "OK, a new day: topics, locations and check-ins are cleared."
    assert (chat.state.topics, chat.state.presence) == ({}, {})
    assert list(chat.state.subscriptions) == ["alice"]
    assert chat.state.cell("coiste bainisti", "tuea1") == Cell(CellStatus.BOOKED, "relmgt")


# -- emptydb --------------------------------------------------------------------------


def _fill(store: Store) -> None:
    for text, actor in [
        ("#cinder book Coiste Bainisti-Mon-A1", ALICE),
        ("#nova now Placement", NOVA_CHAIR),
        ("#nova next Quotas", NOVA_CHAIR),
        ("#cinder location Booth 3", ALICE),
        ("#cinder color red", ALICE),
        ("~motd add info Welcome", ORGANIZER),
        ("in #nova", ALICE),
        ("subscribe nova", ALICE),
        ("~role grant bob chair cinder", ORGANIZER),
    ]:
        store.run(text, actor)


def test_store_emptydb_removes_teams_bookings_and_live_state(store: Store) -> None:
    _fill(store)
    result = store.run("~emptydb", ORGANIZER)
    assert result is not None and result.reply == (
        "OK, emptied: 4 teams and their bookings, topics, messages, check-ins and "
        "subscriptions removed. Undo this change to restore them."
    )
    state = store.state()
    assert (state.teams, state.topics, state.motd, state.presence, state.subscriptions) == (
        {},
        {},
        (),
        {},
        {},
    )
    assert state.roles == {Role("olivia", RoleKind.ORGANIZER)}
    assert {cell for cell in state.cells.values()} == {FREE}
    assert (list(state.rooms), len(state.cells)) == (["austin", "bexar", "coiste bainisti"], 23)


def test_store_emptydb_then_undo_restores_equal_state(store: Store) -> None:
    _fill(store)
    before = snapshot(store.state())
    result = store.run("~emptydb", ORGANIZER)
    assert result is not None and result.audit_id is not None
    store.undo(result.audit_id, ORGANIZER)
    assert snapshot(store.state()) == before


def test_store_del_then_undo_restores_the_team_in_its_place(store: Store) -> None:
    result = store.run("~del cinder", ORGANIZER)
    assert result is not None and result.audit_id is not None
    store.undo(result.audit_id, ORGANIZER)
    assert list(store.state().teams) == ["cinder", "first-contact", "nova", "relmgt"]


def test_emptydb_on_empty_event_changes_nothing(chat: Chat) -> None:
    chat.say("~emptydb", ORGANIZER)
    outcome = chat.say("~emptydb", ORGANIZER)
    assert outcome.events == ()


# -- requirevoice / alloweveryone -----------------------------------------------------


def test_requirevoice_closes_the_event(chat: Chat) -> None:
    outcome = chat.say("~requirevoice", ORGANIZER)
    assert outcome.reply == "OK, only team chairs and organizers can now change teams."
    assert outcome.events == (OpenToEveryoneChanged(True, False),)


def test_requirevoice_twice_changes_nothing(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    outcome = chat.say("~requirevoice", ORGANIZER)
    assert outcome.events == ()


def test_alloweveryone_opens_the_event(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    outcome = chat.say("~alloweveryone", ORGANIZER)
    assert outcome.reply == "OK, anyone can now change teams."
    assert outcome.events == (OpenToEveryoneChanged(False, True),)
    assert chat.reply("#nova now Quotas", BOB) == "OK, nova now discusses: Quotas"


def test_user_commands_stay_open_under_requirevoice(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    assert chat.reply("in #nova", BOB) == "OK, checked into #nova - thanks for the update!"
    assert chat.reply("~list", BOB) == "Available tracks: cinder first-contact nova relmgt"
    assert chat.state.presence["bob"] == Presence("bob", "#nova", MONDAY)


# -- role -----------------------------------------------------------------------------


def test_role_grant_chair_lets_the_nick_change_the_team(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    outcome = chat.say("~role grant Bob chair #CINDER", ORGANIZER)
    assert outcome.reply == "OK, Bob is now chair of cinder."
    assert outcome.events == (RoleGranted(Role("bob", RoleKind.CHAIR, "cinder")),)
    assert chat.reply("#cinder now Backups", BOB) == (
        "OK, cinder now discusses: Backups Note: cinder is not scheduled today."
    )


def test_role_grant_organizer(chat: Chat) -> None:
    assert chat.reply("~role GRANT bob organizer", ORGANIZER) == "OK, bob is now organizer."
    assert chat.reply("~add manila", BOB) == "OK, added manila"


def test_role_grant_existing_changes_nothing(chat: Chat) -> None:
    outcome = chat.say("~role grant NChair chair nova", ORGANIZER)
    assert (outcome.reply, outcome.events) == ("NChair is already chair of nova.", ())


def test_role_revoke(chat: Chat) -> None:
    outcome = chat.say("~role revoke nchair chair nova", ORGANIZER)
    assert outcome.reply == "OK, nchair is no longer chair of nova."
    assert outcome.events == (RoleRevoked(Role("nchair", RoleKind.CHAIR, "nova")),)


def test_role_revoke_missing_changes_nothing(chat: Chat) -> None:
    outcome = chat.say("~role revoke bob organizer", ORGANIZER)
    assert (outcome.reply, outcome.events) == ("bob is not organizer.", ())


@pytest.mark.parametrize(
    "args",
    ["", "grant", "grant bob", "give bob organizer", "grant bob organizer nova",
     "grant bob chair", "grant bob chair nova extra", "grant bob king"],
)  # fmt: skip
def test_role_with_wrong_arguments_is_refused(chat: Chat, args: str) -> None:
    error = chat.refuse(f"~role {args}", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "Wrong arguments: expected '~role grant|revoke NICK organizer' or "
        "'~role grant|revoke NICK chair TEAM'.",
    )


def test_role_chair_of_unknown_team_is_not_found(chat: Chat) -> None:
    error = chat.refuse("~role grant bob chair manila", ORGANIZER)
    assert (type(error), error.message) == (
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
    )
