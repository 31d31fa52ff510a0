"""The HTTP status of each kind of refusal of the domain (``core.errors``): the same for
the JSON API, the pages' forms and their JavaScript."""

from __future__ import annotations

from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, PtgError

_STATUS = {InvalidInput: 400, PermissionDenied: 403, NotFound: 404, Conflict: 409}


def status_for(error: PtgError) -> int:
    for kind, status in _STATUS.items():
        if isinstance(error, kind):
            return status
    return 409  # any other refusal: the state does not allow it
