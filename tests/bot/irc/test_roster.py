"""The IRC roster: who is in the channel, with which account and modes."""

from __future__ import annotations

from ptghub.bot.irc.roster import Roster, parse_modes
from ptghub.core.model import RoleKind

NGIRCD_PREFIX = {"~": "q", "&": "a", "@": "o", "%": "h", "+": "v"}


def test_names_with_multi_prefix_give_every_mode() -> None:
    roster = Roster(prefixes=NGIRCD_PREFIX)
    roster.names(["@+olivia", "+nchair", "%helper", "~founder", "alice"])

    assert roster.trust("olivia") == {RoleKind.ORGANIZER, RoleKind.CHAIR}
    assert roster.trust("nchair") == {RoleKind.CHAIR}
    assert roster.trust("helper") == frozenset()  # half-op: trusted as nothing
    assert roster.trust("founder") == {RoleKind.ORGANIZER}
    assert roster.trust("alice") == frozenset()


def test_leaving_forgets_account_and_modes_so_the_next_holder_gets_none() -> None:
    roster = Roster()
    roster.joined("nchair", "nc@chair.example", "nchair")
    roster.names(["@nchair"])
    roster.left("NChair")
    roster.joined("nchair", "x@evil.example", "*")

    assert (roster.account("nchair"), roster.trust("nchair")) == (None, frozenset())


def test_rename_keeps_account_and_modes() -> None:
    roster = Roster()
    roster.joined("nchair", "nc@chair.example", "nchair")
    roster.mode("nchair", "v", True)
    roster.renamed("nchair", "nchair_lunch")

    assert roster.account("nchair_lunch") == "nchair"
    assert roster.trust("nchair_lunch") == {RoleKind.CHAIR}
    assert "nchair" not in roster


def test_account_changes_and_unknown_nicks_are_ignored() -> None:
    roster = Roster()
    roster.joined("dora", "d@dora.example")
    roster.set_account("dora", "dora")
    roster.set_account("stranger", "x")
    roster.seen("stranger", account="x")

    assert roster.account("dora") == "dora"
    assert roster.get("stranger") is None
    roster.set_account("dora", "*")
    assert roster.account("dora") is None


def test_parse_modes_takes_arguments_as_isupport_says() -> None:
    changes = parse_modes(["+ovlk-v+b", "olivia", "bob", "10", "key", "bob", "*!*@evil"],
                          "qaohv", ["beI", "k", "l", "imnt"])  # fmt: skip

    assert changes == [
        (True, "o", "olivia"),
        (True, "v", "bob"),
        (True, "l", "10"),
        (True, "k", "key"),
        (False, "v", "bob"),
        (True, "b", "*!*@evil"),
    ]
    assert parse_modes(["-l+m"], "ov", ["b", "k", "l", "m"]) == [
        (False, "l", None),
        (True, "m", None),
    ]
    assert parse_modes([], "ov", []) == []
