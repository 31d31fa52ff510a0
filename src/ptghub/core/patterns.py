"""Subscription patterns: regular expressions that can never hang.

Patterns come from anyone in the channel, so they run on RE2, whose matching time is
linear in the text whatever the pattern: ``(a+)+$`` is as cheap as ``a``. RE2 has no
backreferences or lookaround; a pattern that uses them is refused with RE2's reason.
The text matched is ``#team now topic`` or ``#team next topic``, case-insensitively,
as the old PTG bot did.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from ptghub.core.errors import InvalidInput

MAX_PATTERN = 200
# RE2 compiles into a bounded automaton; this caps its memory per pattern.
_MAX_MEM = 1 << 20


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = _MAX_MEM
    return options


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Any:
    """Compile a subscription pattern or raise InvalidInput saying why it is refused."""
    if len(pattern) > MAX_PATTERN:
        raise InvalidInput(
            f"The pattern is {len(pattern)} characters long; at most {MAX_PATTERN} are allowed."
        )
    if not pattern.isprintable():
        raise InvalidInput("The pattern contains non-printable characters.")
    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        reason = error.args[0]
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidInput(
            f"Invalid regex: {reason} (backreferences and lookaround are not supported)."
        ) from None


def matches(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).search(text) is not None
