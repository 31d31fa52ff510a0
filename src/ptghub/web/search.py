"""Finding a team on the board and in the team list: ``?q=TEXT``.

A team matches when the text, in lower case, is part of its name, its slug, its
description (the team list) or one of its topics, now or next. The server renders every
team and marks those that do not match ``hidden``, so the page is filtered without
JavaScript; each item carries the text it is matched against (``data-filter``), so that
``static/filter.js`` filters as one types, and again after ``live.js`` swaps in a region
rendered for everyone (the live regions are the same for all viewers, whatever they
search for). Lower case on both sides, never ``casefold``: JavaScript has
``toLowerCase`` only, and both must agree.
"""

from __future__ import annotations

from ptghub.core.errors import InvalidInput

MAX_QUERY = 100


def query_of(raw: str | None) -> str:
    """The search text of ``?q=``, trimmed; '' for none. Too long: InvalidInput (400)."""
    text = " ".join((raw or "").split())
    if len(text) > MAX_QUERY:
        raise InvalidInput(
            f"The search text is {len(text)} characters long; at most {MAX_QUERY} are allowed."
        )
    return text


def search_text(*parts: str | None) -> str:
    """What an item is matched against: its texts in lower case, one a line (a search
    never spans two of them)."""
    return "\n".join(part.lower() for part in parts if part)


def matches(query: str, text: str) -> bool:
    return not query or query.lower() in text
