"""The table of malformed and hostile commands that tests/commands/test_bad_input.py runs:
each case's text, who sends it, what is set up first, and the error and message expected."""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PtgError,
    Refused,
)
from ptghub.core.model import Actor
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER

TRACK_VERBS = (
    "book, clean, clear, color, etherpad, location, next, now, outcome, recording, unbook, url"
)
ADMIN_VERBS = "add, alloweveryone, clean, del, emptydb, list, motd, newday, requirevoice, role"
USER_VERBS = "help, in, out, seen, subscribe, unsubscribe"
NOT_A_SLOT = (
    "does not end with a known slot code: expected ROOM-SLOT, for example 'Austin-Mon-13h' "
    "(the board shows the code of every free cell)."
)
NOT_CSS = "is not a CSS colour; use a name (red), #rgb, #rrggbb or rgb(r, g, b)."
NOT_URL = "expected an http:// or https:// address."
NO_LOOKAROUND = "(backreferences and lookaround are not supported)."
ROLE_USAGE = (
    "Wrong arguments: expected '~role grant|revoke NICK organizer' or "
    "'~role grant|revoke NICK chair TEAM'."
)
BAD_SLUG = (
    "is not a valid team name: use 1 to 40 letters, digits, '.', '_' or '-', starting with a "
    "letter or digit (for example 'nova')."
)
TOO_LONG = "characters long; at most 2000 are allowed."

BOOKED = (("#cinder book Coiste Bainisti-Mon-P1", ALICE),)
TWO_MESSAGES = (("~motd add info One", ORGANIZER), ("~motd add warning Two", ORGANIZER))
CLOSED = (("~requirevoice", ORGANIZER),)
TEN_NEXT = tuple((f"#nova next topic {n}", ALICE) for n in range(10))


@dataclass(frozen=True)
class Case:
    text: str
    error: type[PtgError]
    message: str
    actor: Actor = ALICE
    setup: tuple[tuple[str, Actor], ...] = ()


CASES: dict[str, Case] = {
    # -- not a command at all
    "empty": Case("", InvalidInput, "Empty command. Send 'help' for the list of commands."),
    "whitespace-only": Case(
        "  \t \n ", InvalidInput, "Empty command. Send 'help' for the list of commands."
    ),
    "hash-alone": Case(
        "#", InvalidInput, "Missing team name after '#': expected '#TEAM COMMAND ...'."
    ),
    "tilde-alone": Case("~", InvalidInput, "Missing command name in '~'.", ORGANIZER),
    "plus-alone": Case("+", InvalidInput, "Missing command name in '+'."),
    "team-alone": Case(
        "#nova",
        InvalidInput,
        "Missing command after '#nova': expected "
        "'#nova now|next|clean|etherpad|url|color|location|book|unbook ...'.",
    ),
    "2001-characters": Case(
        "#nova now " + "x" * 1991, InvalidInput, f"The command is 2001 {TOO_LONG}"
    ),
    # -- unknown names
    "unknown-team": Case(
        "#manila now Shares", NotFound, "Unknown team '#manila'. Send '~list' to see the teams."
    ),
    "unknown-verb": Case(
        "#nova frobnicate",
        InvalidInput,
        f"Unknown command '#nova frobnicate'. Expected one of: {TRACK_VERBS}.",
    ),
    "unknown-admin-command": Case(
        "~frobnicate",
        InvalidInput,
        f"Unknown command '~frobnicate'. Expected one of: {ADMIN_VERBS}.",
        ORGANIZER,
    ),
    "unknown-user-command": Case(
        "frobnicate", InvalidInput, f"Unknown command 'frobnicate'. Expected one of: {USER_VERBS}."
    ),
    "unknown-slot": Case(
        "#cinder book Austin-Wed-A1", InvalidInput, f"'Austin-Wed-A1' {NOT_A_SLOT}"
    ),
    "unknown-room": Case(
        "#cinder book Nowhere-Mon-P1", NotFound, "Unknown room 'Nowhere' in 'Nowhere-Mon-P1'."
    ),
    "in-unknown-team": Case(
        "in #manila", NotFound, "Unknown team '#manila'. Send '~list' to see the teams."
    ),
    "role-chair-unknown-team": Case(
        "~role grant bob chair manila",
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
        ORGANIZER,
    ),
    # -- wrong number of arguments
    "etherpad-two-urls": Case(
        "#nova etherpad https://a.example.org https://b.example.org",
        InvalidInput,
        "'#TEAM etherpad' takes a single URL parameter; got 2 words.",
    ),
    "url-missing": Case(
        "#nova url", InvalidInput, "'#TEAM url' takes a single URL parameter; got 0 words."
    ),
    "clean-with-argument": Case(
        "#nova clean now", InvalidInput, "'#TEAM clean' does not take any parameter."
    ),
    "now-without-topic": Case("#nova now", InvalidInput, "Missing topic (#TEAM now TOPIC)."),
    "book-without-cell": Case(
        "#cinder book",
        InvalidInput,
        "Missing cell: expected ROOM-SLOT, for example 'Austin-Mon-13h'.",
    ),
    "seen-two-nicks": Case(
        "seen alice bob", InvalidInput, "The 'seen' command needs a single nick."
    ),
    "out-with-arguments": Case(
        "out of here", InvalidInput, "The 'out' command does not take any parameter."
    ),
    "unsubscribe-with-arguments": Case(
        "unsubscribe all", InvalidInput, "The 'unsubscribe' command does not take any parameter."
    ),
    "motd-alone": Case(
        "~motd",
        InvalidInput,
        "Missing subcommand: expected '~motd add|del|clean|reorder ...'.",
        ORGANIZER,
    ),
    "motd-add-without-text": Case(
        "~motd add info",
        InvalidInput,
        "Missing parameters: expected '~motd add LEVEL TEXT'.",
        ORGANIZER,
    ),
    "motd-del-two-numbers": Case(
        "~motd del 1 2",
        InvalidInput,
        "Expected '~motd del N' with one message number.",
        ORGANIZER,
        TWO_MESSAGES,
    ),
    "add-without-names": Case(
        "~add", InvalidInput, "'~add' takes one or more team names.", ORGANIZER
    ),
    "role-too-few": Case("~role grant bob", InvalidInput, ROLE_USAGE, ORGANIZER),
    "role-bad-action": Case("~role give bob organizer", InvalidInput, ROLE_USAGE, ORGANIZER),
    "role-chair-without-team": Case("~role grant bob chair", InvalidInput, ROLE_USAGE, ORGANIZER),
    # -- schedule rules
    "book-already-booked": Case(
        "#relmgt book Coiste Bainisti-Mon-P1",
        Conflict,
        "Coiste Bainisti-Mon-P1 is already booked for cinder.",
        setup=BOOKED,
    ),
    "book-planned-cell": Case(
        "#cinder book Austin-Mon-A1", Conflict, "Austin-Mon-A1 is already planned for nova."
    ),
    "book-unavailable-cell": Case(
        "#cinder book Austin-Tue-P2", Conflict, "Austin-Tue-P2 is not available for booking."
    ),
    "book-not-bookable-room": Case(
        "#cinder book Bexar-Mon-P1", Conflict, "Bexar is not open for booking; ask an organizer."
    ),
    "book-second-room-same-slot": Case(
        "#nova book Coiste Bainisti-Mon-A1",
        Conflict,
        "nova is already in Austin at Mon-A1; a team is in one room at a time.",
    ),
    "unbook-other-teams-cell": Case(
        "#relmgt unbook Coiste Bainisti-Mon-P1",
        Conflict,
        "Coiste Bainisti-Mon-P1 is not booked for relmgt.",
        setup=BOOKED,
    ),
    "unbook-planned-cell": Case(
        "#nova unbook Austin-Mon-A1",
        PermissionDenied,
        "Austin-Mon-A1 was planned for nova by the organizers; ask one of them to free it.",
    ),
    "next-beyond-ten": Case(
        "#nova next topic 10",
        Refused,
        "nova already has 10 next topics; set a new 'now' or '#nova clean' first.",
        setup=TEN_NEXT,
    ),
    "out-when-not-in": Case("out", Refused, "You weren't checked in anywhere yet!"),
    "del-team-holding-cells": Case(
        "~del nova",
        Conflict,
        "nova holds 2 cell(s) in the schedule (Austin-Mon-A1, Austin-Mon-A2); free them first "
        "('#nova unbook ROOM-SLOT') before deleting the team.",
        ORGANIZER,
    ),
    # -- regular expressions
    "regex-invalid": Case(
        "subscribe nova(", InvalidInput, f"Invalid regex: missing ): nova( {NO_LOOKAROUND}"
    ),
    "regex-10000-characters": Case(
        "subscribe " + "a" * 10_000, InvalidInput, f"The command is 10010 {TOO_LONG}"
    ),
    "regex-201-characters": Case(
        "subscribe " + "a" * 201,
        InvalidInput,
        "The pattern is 201 characters long; at most 200 are allowed.",
    ),
    "regex-backreference": Case(
        "subscribe (a+)+\\1",
        InvalidInput,
        f"Invalid regex: invalid escape sequence: \\1 {NO_LOOKAROUND}",
    ),
    "regex-lookahead": Case(
        "subscribe nova(?=api)",
        InvalidInput,
        f"Invalid regex: invalid perl operator: (?= {NO_LOOKAROUND}",
    ),
    "regex-lookbehind": Case(
        "subscribe (?<=#)nova",
        InvalidInput,
        f"Invalid regex: invalid perl operator: (?<= {NO_LOOKAROUND}",
    ),
    "regex-huge-repetition": Case(
        "subscribe a{1001}",
        InvalidInput,
        f"Invalid regex: invalid repetition size: {{1001}} {NO_LOOKAROUND}",
    ),
    # -- control characters, invisible and oversized text
    "bell-character": Case(
        "#nova now ring\x07",
        InvalidInput,
        "The command contains a non-printable character (U+0007) at position 15; use printable "
        "text only.",
    ),
    "escape-sequence": Case(
        "#nova now \x1b[31mred",
        InvalidInput,
        "The command contains a non-printable character (U+001B) at position 11; use printable "
        "text only.",
    ),
    "right-to-left-override": Case(
        "#nova now evil\u202etxt.exe",
        InvalidInput,
        "The command contains a non-printable character (U+202E) at position 15; use printable "
        "text only.",
    ),
    "nul-character": Case(
        "#nova now a\x00b",
        InvalidInput,
        "The command contains a non-printable character (U+0000) at position 12; use printable "
        "text only.",
    ),
    "topic-10-kb": Case(
        "#nova now " + "x" * 10_240, InvalidInput, f"The command is 10250 {TOO_LONG}"
    ),
    "topic-301-characters": Case(
        "#nova now " + "x" * 301,
        InvalidInput,
        "The topic (#TEAM now TOPIC) is 301 characters long; at most 300 are allowed.",
    ),
    "nick-65-characters": Case(
        "seen " + "n" * 65,
        InvalidInput,
        f"'{'n' * 39}…' is not a valid nick; use 1 to 64 printable characters without spaces.",
    ),
    # -- injection attempts
    "sql-in-team-name": Case(
        "#nova'; DROP TABLE teams;-- now x",
        InvalidInput,
        f"Unknown command '#nova'; drop'. Expected one of: {TRACK_VERBS}.",
    ),
    "sql-in-team-name-known-verb": Case(
        "#x';DROP/**/TABLE/**/teams;-- now x",
        NotFound,
        "Unknown team '#x';DROP/**/TABLE/**/teams;--'. Send '~list' to see the teams.",
    ),
    "sql-as-room": Case(
        "#cinder book x'; DROP TABLE rooms;--Mon-P1",
        NotFound,
        "Unknown room 'x'; DROP TABLE rooms;-' in 'x'; DROP TABLE rooms;--Mon-P1'.",
    ),
    "javascript-url": Case(
        "#nova url javascript:alert(1)",
        InvalidInput,
        f"'javascript:alert(1)' is not a valid video URL; {NOT_URL}",
    ),
    "data-url": Case(
        "#nova etherpad data:text/html;base64,PHNjcmlwdD4=",
        InvalidInput,
        f"'data:text/html;base64,PHNjcmlwdD4=' is not a valid etherpad URL; {NOT_URL}",
    ),
    "ftp-url": Case(
        "#nova url ftp://files.example.org/nova",
        InvalidInput,
        f"'ftp://files.example.org/nova' is not a valid video URL; {NOT_URL}",
    ),
    "url-without-host": Case(
        "#nova url https://", InvalidInput, f"'https://' is not a valid video URL; {NOT_URL}"
    ),
    "url-backslash-before-host": Case(
        "#nova url https://evil.example\\@good.example/",
        InvalidInput,
        "'https://evil.example\\@good.example/' has a backslash before its path, which "
        "browsers read as '/', so the link could lead to another host than it shows; expected "
        "https://HOST/PATH without a backslash there.",
    ),
    "etherpad-user-info": Case(
        "#nova etherpad https://etherpad.opendev.org@evil.example/p/nova",
        InvalidInput,
        "'https://etherpad.opendev.org@evil.examp…' has a user name or password before its "
        "host (the part up to '@'), which can disguise where the link leads; expected "
        "https://HOST/PATH with no '@' before the host.",
    ),
    "url-port-out-of-range": Case(
        "#nova url https://meet.example.org:70000/nova",
        InvalidInput,
        "'https://meet.example.org:70000/nova' has the port '70000'; expected a number from 1 "
        "to 65535 after the host's ':'.",
    ),
    "colour-css-injection": Case(
        "#nova color red; background:url(x)", InvalidInput, f"'red; background:url(x)' {NOT_CSS}"
    ),
    "colour-expression": Case(
        "#nova color expression(alert(1))", InvalidInput, f"'expression(alert(1))' {NOT_CSS}"
    ),
    # -- messages of the day
    "motd-bad-level": Case(
        "~motd add loud Hello",
        InvalidInput,
        "Unknown level 'loud': expected one of info, success, warning, danger.",
        ORGANIZER,
    ),
    "motd-del-0": Case(
        "~motd del 0",
        InvalidInput,
        "Incorrect message number '0': expected 1 to 2.",
        ORGANIZER,
        TWO_MESSAGES,
    ),
    "motd-del-99": Case(
        "~motd del 99",
        InvalidInput,
        "Incorrect message number '99': expected 1 to 2.",
        ORGANIZER,
        TWO_MESSAGES,
    ),
    "motd-del-without-messages": Case(
        "~motd del 1", InvalidInput, "There are no messages of the day.", ORGANIZER
    ),
    "motd-reorder-duplicate": Case(
        "~motd reorder 1 1",
        InvalidInput,
        "Message 1 is listed twice; list each message at most once.",
        ORGANIZER,
        TWO_MESSAGES,
    ),
    # -- team names
    "add-user-command-as-team": Case(
        "~add in", InvalidInput, "'in' is a user command and cannot be a team name.", ORGANIZER
    ),
    "add-invalid-slug": Case("~add -nova", InvalidInput, f"'-nova' {BAD_SLUG}", ORGANIZER),
    "add-slug-with-slash": Case("~add ../etc", InvalidInput, f"'../etc' {BAD_SLUG}", ORGANIZER),
    "add-existing-team": Case("~add nova", Conflict, "Team 'nova' already exists.", ORGANIZER),
    "add-existing-team-other-case": Case(
        "~add NoVa", Conflict, "Team 'NoVa' already exists.", ORGANIZER
    ),
    # -- permissions
    "admin-by-anyone": Case(
        "~add manila", PermissionDenied, "'~add' needs an organizer; alice is not one."
    ),
    "admin-by-chair": Case(
        "~emptydb",
        PermissionDenied,
        "'~emptydb' needs an organizer; nchair is not one.",
        NOVA_CHAIR,
    ),
    "requirevoice-non-chair": Case(
        "#nova now Quotas",
        PermissionDenied,
        "Only a chair of nova or an organizer can change it; alice is neither.",
        setup=CLOSED,
    ),
    "requirevoice-chair-of-other-team": Case(
        "#cinder now Backups",
        PermissionDenied,
        "Only a chair of cinder or an organizer can change it; nchair is neither.",
        NOVA_CHAIR,
        CLOSED,
    ),
}
