"""Subscription patterns on RE2: case-insensitive, bounded, and never slow."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.core.patterns import MAX_PATTERN, PatternSet, compile_pattern, matches

NO_LOOKAROUND = "(backreferences and lookaround are not supported)."


def _error(pattern: str) -> str:
    with pytest.raises(InvalidInput) as error:
        compile_pattern(pattern)
    return error.value.message


MATCH_CASES = [
    ("nova", "#nova now Placement API", True),
    ("NOVA", "#nova now Placement API", True),
    ("placement api", "#nova now PLACEMENT API", True),
    ("^#nova now", "#nova now x", True),
    ("^#nova next", "#nova now x", False),
    ("^#(nova|cinder) ", "#cinder next Backups", True),
    ("api$", "#nova now Placement API", True),
    ("api$", "#nova now API design", False),
    ("été", "#nova now Réunion d'ÉTÉ", True),
    (r"\bquota\b", "#nova now quotas", False),
    ("cinder", "#nova now Placement", False),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), MATCH_CASES)
def test_matches_case_insensitively(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected


def test_compile_pattern_caches_compiled_patterns() -> None:
    assert compile_pattern("nova.*api") is compile_pattern("nova.*api")


def test_compile_pattern_at_max_length_is_accepted() -> None:
    assert matches("a" * MAX_PATTERN, "a" * MAX_PATTERN) is True


def test_compile_pattern_over_max_length_is_refused() -> None:
    assert _error("a" * 201) == "The pattern is 201 characters long; at most 200 are allowed."


def test_compile_pattern_10000_characters_is_refused_before_compiling() -> None:
    assert _error("(" * 10_000) == (
        "The pattern is 10000 characters long; at most 200 are allowed."
    )


@pytest.mark.parametrize("pattern", ["a\x00b", "a\x07", "\u202enova", "nova\n"])
def test_compile_pattern_non_printable_is_refused(pattern: str) -> None:
    assert _error(pattern) == "The pattern contains non-printable characters."


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("nova(", "missing ): nova("),
        ("[", "missing ]: ["),
        ("a**", "bad repetition operator: **"),
        ("(a+)+\\1", "invalid escape sequence: \\1"),
        ("nova(?=api)", "invalid perl operator: (?="),
        ("nova(?!api)", "invalid perl operator: (?!"),
        ("(?<=#)nova", "invalid perl operator: (?<="),
        ("(?P<x>a)(?P=x)", "invalid perl operator: (?P"),
        ("a{1001}", "invalid repetition size: {1001}"),
        ("((a{1,100}){1,100}){1,100}", "invalid repetition size: {1,100}"),
    ],
    ids=["unclosed-group", "unclosed-class", "double-star", "backreference", "lookahead",
         "negative-lookahead", "lookbehind", "named-backreference", "huge-repetition",
         "nested-repetition"],
)  # fmt: skip
def test_compile_pattern_refuses_what_re2_refuses(pattern: str, reason: str) -> None:
    assert _error(pattern) == f"Invalid regex: {reason} {NO_LOOKAROUND}"


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("(a+)+$", "a" * 299 + "!", False),
        ("(a+)+$", "a" * 300, True),
        ("(a|aa)+$", "a" * 299 + "b", False),
        ("(a|a)*b", "a" * 300, False),
        ("(x+x+)+y", "x" * 300, False),
        ("(.*z){20}", "z" * 19 + "y" * 281, False),
        ("(.*z){20}", "z" * 300, True),
    ],
    ids=["nested-plus-miss", "nested-plus-hit", "alternation-miss", "same-alternatives",
         "two-pluses", "exponential-dfa-miss", "exponential-dfa-hit"],
)  # fmt: skip
def test_catastrophic_backtracking_patterns_are_accepted_and_answer(
    pattern: str, text: str, expected: bool
) -> None:
    # RE2 matches in time linear in the text: these return at once, where a backtracking
    # engine would not return for years.
    assert matches(pattern, f"#nova now {text}") is expected


# -- PatternSet -----------------------------------------------------------------------

CASES = [(p, t) for p, t, _ in MATCH_CASES]
PATTERNS = [p for p, _ in CASES] + ["(a+)+$", "x{0,40}y", "#nova (now|next) .*(api|quota)"]
TEXTS = [t for _, t in CASES] + ["!" + "a" * 299, "#nova next Quota reviews", ""]


@pytest.mark.parametrize("text", TEXTS)
def test_pattern_set_finds_exactly_the_patterns_that_match_one_by_one(text: str) -> None:
    expected = [i for i, pattern in enumerate(PATTERNS) if matches(pattern, text)]
    compiled = PatternSet(PATTERNS)
    assert (compiled.compiled, compiled.matching(text)) == (True, expected)


@pytest.mark.parametrize("text", TEXTS)
def test_pattern_set_over_its_memory_cap_still_finds_every_match(text: str) -> None:
    """A set too big for its memory cap tests each pattern: slower, never wrong."""
    patterns = [*PATTERNS, *(f"a.{{0,40}}b{i}" for i in range(300))]
    expected = [i for i, pattern in enumerate(patterns) if matches(pattern, text)]
    capped = PatternSet(patterns, max_mem=1 << 16)
    assert (capped.compiled, capped.matching(text)) == (False, expected)


def test_pattern_set_of_nothing_matches_nothing() -> None:
    assert PatternSet([]).matching("#nova now x") == []
