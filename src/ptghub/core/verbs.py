"""The verbs of the user commands (``#in #nova``, ``+seen alice``, ``help``).

A vocabulary shared by two layers: the command grammar reads ``#VERB`` as a user
command rather than a team, and so an event may have no team named like one (the event
file and the importers refuse such a name).
"""

from __future__ import annotations

USER_VERBS = frozenset({"in", "out", "seen", "subscribe", "unsubscribe", "help"})
