"""The one error hierarchy of ptghub.

::

    PtgError                 anything ptghub refuses; the message is for the user
    ├── InvalidInput         the text or value is malformed: fix the input (CLI exit 2)
    └── Refused              well-formed, but not allowed now (CLI exit 1)
        ├── PermissionDenied the speaker lacks the role the command needs
        ├── NotFound         a named team, room, slot, nick or audit entry does not exist
        ├── Conflict         the state forbids it: cell taken, team busy, change since undone
        └── RateLimited      too many requests from one speaker or address: wait and retry

Every message says what was wrong and what is expected; front ends show it verbatim.
"""

from __future__ import annotations


class PtgError(Exception):
    """Base of every error that ptghub reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PtgError):
    """The input is malformed; nothing was changed."""

    exit_code = 2


class Refused(PtgError):
    """The input is valid but the command cannot be applied; nothing was changed."""


class PermissionDenied(Refused):
    """The speaker does not hold the role that the command needs."""


class NotFound(Refused):
    """Something named in the command does not exist."""


class Conflict(Refused):
    """The current state forbids the change (for example a cell already booked)."""


class RateLimited(Refused):
    """The speaker or address went over a rate limit; ``retry_after`` says when to retry."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
