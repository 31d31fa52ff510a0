"""``#TEAM outcome N TEXT|none``, a chair's written outcome of a topic, and ``#TEAM recording
URL|none``, the team's recordings link: their replies, events and every refusal; ``~del``
and ``~emptydb`` take the outcomes with the team, and undo brings them back."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput, NotFound, PermissionDenied
from ptghub.core.events import OutcomeChanged, TeamChanged, TeamRemoved
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.commands.helpers import Chat
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, snapshot

AGREED = "We agreed to split the API, with a spec first."
FORM = "'#nova outcome N TEXT', such as '#nova outcome 3 We agreed to ...'"
NOT_A_NUMBER = (
    f"is not a topic number: expected {FORM}: N is the topic's number in the team's recap, "
    "1 to 999."
)
DENIED = "Only a chair of nova or an organizer can change it; alice is neither."

# -- outcome ----------------------------------------------------------------------------


def test_outcome_records_the_text_of_the_topic(chat: Chat) -> None:
    said = chat.say(f"#nova outcome 3 {AGREED}", NOVA_CHAIR)
    assert (said.reply, said.events) == (
        "Outcome of topic 3 recorded for nova.",
        (OutcomeChanged("nova", 3, None, AGREED),),
    )
    assert chat.state.outcomes == {("nova", 3): AGREED}


def test_outcome_keeps_the_text_as_written_without_outer_spaces(chat: Chat) -> None:
    chat.say("#NOVA outcome 007   Deferred  to   next cycle.  ", NOVA_CHAIR)
    assert chat.state.outcomes == {("nova", 7): "Deferred  to   next cycle."}


def test_outcome_replaces_an_earlier_text(chat: Chat) -> None:
    chat.say("#nova outcome 1 Deferred.", NOVA_CHAIR)
    said = chat.say(f"#nova outcome 1 {AGREED}", NOVA_CHAIR)
    assert said.events == (OutcomeChanged("nova", 1, "Deferred.", AGREED),)
    assert chat.state.outcomes_of("nova") == {1: AGREED}


def test_outcome_same_text_again_changes_nothing(chat: Chat) -> None:
    chat.say(f"#nova outcome 3 {AGREED}", NOVA_CHAIR)
    said = chat.say(f"#nova outcome 3  {AGREED} ", NOVA_CHAIR)
    assert (said.reply, said.events) == ("Outcome of topic 3 recorded for nova (unchanged).", ())


def test_outcomes_are_per_team_and_topic_in_number_order(chat: Chat) -> None:
    chat.say("#nova outcome 12 Twelve.", NOVA_CHAIR)
    chat.say("#nova outcome 2 Two.", NOVA_CHAIR)
    chat.say("#cinder outcome 2 Cinder's two.", ORGANIZER)
    assert list(chat.state.outcomes_of("nova").items()) == [(2, "Two."), (12, "Twelve.")]
    assert chat.state.outcomes_of("cinder") == {2: "Cinder's two."}


def test_outcome_none_removes_it(chat: Chat) -> None:
    chat.say(f"#nova outcome 3 {AGREED}", NOVA_CHAIR)
    said = chat.say("#nova outcome 3 NONE", NOVA_CHAIR)
    assert (said.reply, said.events) == (
        "Outcome of topic 3 removed for nova.",
        (OutcomeChanged("nova", 3, AGREED, None),),
    )
    assert chat.state.outcomes == {}


def test_outcome_none_without_an_outcome_changes_nothing(chat: Chat) -> None:
    said = chat.say("#nova outcome 3 none", NOVA_CHAIR)
    assert (said.reply, said.events) == ("nova has no outcome of topic 3 to remove.", ())


def test_outcome_of_500_characters_is_recorded(chat: Chat) -> None:
    chat.say("#nova outcome 999 " + "x" * 500, NOVA_CHAIR)
    assert chat.state.outcomes == {("nova", 999): "x" * 500}


def test_outcome_by_an_organizer_is_recorded_in_a_closed_event(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    assert chat.reply("#nova outcome 1 Done.", ORGANIZER) == "Outcome of topic 1 recorded for nova."


def test_outcome_without_anything_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova outcome", NOVA_CHAIR)
    assert (type(error), error.message) == (
        InvalidInput,
        f"Missing the topic's number and its outcome: expected {FORM}: N is the topic's "
        "number in the team's recap, 1 to 999 ('none' as TEXT removes it).",
    )


@pytest.mark.parametrize(
    ("number", "echo"),
    [
        ("0", "0"),
        ("1000", "1000"),
        ("-1", "-1"),
        ("2.5", "2.5"),
        ("three", "three"),
        ("\uff13", "\uff13"),  # a fullwidth 3: a digit to Python, not to people typing N
        ("12345678901", "123456789…"),
    ],
    ids=["zero", "1000", "negative", "decimal", "word", "fullwidth", "long"],
)
def test_outcome_with_a_bad_number_is_refused(chat: Chat, number: str, echo: str) -> None:
    error = chat.refuse(f"#nova outcome {number} Done.", NOVA_CHAIR)
    assert (type(error), error.message) == (InvalidInput, f"'{echo}' {NOT_A_NUMBER}")


def test_outcome_without_text_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova outcome 3", NOVA_CHAIR)
    assert (type(error), error.message) == (
        InvalidInput,
        "Missing the outcome of topic 3: expected '#nova outcome 3 TEXT', or "
        "'#nova outcome 3 none' to remove it.",
    )


def test_outcome_of_501_characters_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova outcome 3 " + "x" * 501, NOVA_CHAIR)
    assert (type(error), error.message) == (
        InvalidInput,
        "The outcome (#TEAM outcome N TEXT) is 501 characters long; at most 500 are allowed.",
    )


def test_outcome_of_two_lines_is_refused(chat: Chat) -> None:
    # The command's line is checked first: an outcome is one line, whatever sends it.
    error = chat.refuse("#nova outcome 3 Agreed.\u2028Second line", NOVA_CHAIR)
    assert (type(error), error.message) == (
        InvalidInput,
        "The command contains a non-printable character (U+2028) at position 24; use "
        "printable text only.",
    )


def test_outcome_of_an_unknown_team_is_refused(chat: Chat) -> None:
    error = chat.refuse("#manila outcome 1 Done.", ORGANIZER)
    assert (type(error), error.message) == (
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
    )


def test_outcome_by_someone_not_chairing_a_closed_event_is_refused(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    error = chat.refuse("#nova outcome 1 Done.", ALICE)
    assert (type(error), error.message) == (PermissionDenied, DENIED)


def test_help_outcome_reads_as_a_sentence(chat: Chat) -> None:
    assert chat.reply("help outcome") == (
        "#TEAM outcome N TEXT|none - Write the outcome of the team's topic number N (as its "
        "recap numbers them, from 1 in the order discussed), at most 500 characters; 'none' "
        "removes it. [chair of the team]"
    )


# -- recording --------------------------------------------------------------------------

VIDEOS = "https://videos.example.org/ptg/nova"


def test_recording_sets_the_teams_link(chat: Chat) -> None:
    nova = chat.state.teams["nova"]
    said = chat.say(f"#nova recording {VIDEOS}", NOVA_CHAIR)
    new = chat.state.teams["nova"]
    assert (said.reply, said.events, new.recording) == (
        f"OK, nova recordings are at {VIDEOS}",
        (TeamChanged(nova, new),),
        VIDEOS,
    )


def test_recording_same_link_again_changes_nothing(chat: Chat) -> None:
    chat.say(f"#nova recording {VIDEOS}", NOVA_CHAIR)
    said = chat.say(f"#nova recording {VIDEOS}", NOVA_CHAIR)
    assert (said.reply, said.events) == (f"OK, nova recordings are at {VIDEOS} (unchanged)", ())


def test_recording_none_removes_the_link(chat: Chat) -> None:
    chat.say(f"#nova recording {VIDEOS}", NOVA_CHAIR)
    assert chat.reply("#nova recording None", NOVA_CHAIR) == "OK, nova has no recordings link"
    assert chat.state.teams["nova"].recording is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#nova recording", "'#TEAM recording' takes a single URL parameter; got 0 words."),
        (
            f"#nova recording {VIDEOS} {VIDEOS}",
            "'#TEAM recording' takes a single URL parameter; got 2 words.",
        ),
        (
            "#nova recording ftp://videos.example.org/nova",
            "'ftp://videos.example.org/nova' is not a valid recordings URL; expected an "
            "http:// or https:// address.",
        ),
        (
            "#nova recording javascript:alert(1)",
            "'javascript:alert(1)' is not a valid recordings URL; expected an http:// or "
            "https:// address.",
        ),
        (
            "#nova recording https://good.example@evil.example/",
            "'https://good.example@evil.example/' has a user name or password before its host "
            "(the part up to '@'), which can disguise where the link leads; expected "
            "https://HOST/PATH with no '@' before the host.",
        ),
    ],
    ids=["missing", "two-words", "ftp", "javascript", "user-info"],
)
def test_recording_with_a_bad_link_is_refused(chat: Chat, text: str, message: str) -> None:
    error = chat.refuse(text, NOVA_CHAIR)
    assert (type(error), error.message) == (InvalidInput, message)


def test_recording_by_someone_not_chairing_a_closed_event_is_refused(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    error = chat.refuse(f"#nova recording {VIDEOS}", ALICE)
    assert (type(error), error.message) == (PermissionDenied, DENIED)


# -- a team's removal takes its outcomes ---------------------------------------------------


def test_del_removes_the_teams_outcomes_before_the_team(chat: Chat) -> None:
    chat.say("#cinder outcome 2 Two.", ORGANIZER)
    chat.say("#cinder outcome 1 One.", ORGANIZER)
    chat.say("#relmgt outcome 1 Kept.", ORGANIZER)
    said = chat.say("~del cinder", ORGANIZER)
    assert said.events[:2] == (
        OutcomeChanged("cinder", 1, "One.", None),
        OutcomeChanged("cinder", 2, "Two.", None),
    )
    assert isinstance(said.events[-1], TeamRemoved)
    assert chat.state.outcomes == {("relmgt", 1): "Kept."}


def test_emptydb_removes_every_outcome(chat: Chat) -> None:
    chat.say("#nova outcome 1 One.", ORGANIZER)
    chat.say("#relmgt outcome 4 Four.", ORGANIZER)
    chat.say("~emptydb", ORGANIZER)
    assert (chat.state.teams, chat.state.outcomes) == ({}, {})


def _write(store: Store, actor: Actor = ORGANIZER) -> None:
    for text in (
        f"#nova outcome 2 {AGREED}",
        "#nova outcome 1 Quotas: no change.",
        "#cinder outcome 1 Deferred.",
        f"#cinder recording {VIDEOS}",
    ):
        result = store.run(text, actor)
        assert result is not None and result.audit_id is not None


@pytest.mark.parametrize("text", ["~del cinder", "~emptydb"])
def test_store_removal_then_undo_restores_the_outcomes(store: Store, text: str) -> None:
    _write(store)
    before = snapshot(store.state())
    result = store.run(text, ORGANIZER)
    assert result is not None and result.audit_id is not None
    assert store.state().outcomes_of("cinder") == {}
    store.undo(result.audit_id, ORGANIZER)
    assert snapshot(store.state()) == before
    assert snapshot(store.replay()) == before


def test_store_outcomes_and_recording_survive_a_reopened_store_and_undo(store: Store) -> None:
    _write(store)
    url = store.engine.url.render_as_string(hide_password=False)
    reopened = Store.open(url)
    try:
        state = reopened.state("test-ptg")
        assert (state.outcomes, state.teams["cinder"].recording) == (
            {
                ("cinder", 1): "Deferred.",
                ("nova", 1): "Quotas: no change.",
                ("nova", 2): AGREED,
            },
            VIDEOS,
        )
        removal = reopened.run("#nova outcome 2 none", ORGANIZER, event="test-ptg")
        assert removal is not None and removal.audit_id is not None
        reopened.undo(removal.audit_id, ORGANIZER)
    finally:
        reopened.close()
    again = Store.open(url)
    try:
        assert again.state("test-ptg").outcomes_of("nova") == {
            1: "Quotas: no change.",
            2: AGREED,
        }
        assert snapshot(again.replay("test-ptg")) == snapshot(again.state("test-ptg"))
    finally:
        again.close()
