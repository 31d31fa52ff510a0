"""What the bot and the test clients asked of the session's Synapse was well formed.

The other test modules' requests are all in the log by now: pytest runs the modules of
this directory in the order of their names, and this one's comes last."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.matrix.synapse import Synapse

pytestmark = pytest.mark.matrix


def test_synapse_log_has_no_errors(synapse: Synapse) -> None:
    """Our requests were all well formed: Synapse logged no error while serving them."""
    log = Path(synapse.log_path).read_text(errors="replace")
    assert " - ERROR - " not in log, synapse.log_tail()
