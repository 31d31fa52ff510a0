"""Fixtures for command tests (the database-backed ``store`` comes from tests/conftest.py)."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("tests.commands.helpers")

from tests.commands.helpers import Chat  # noqa: E402  (after the rewrite hook)


@pytest.fixture
def chat() -> Chat:
    """The small test event in memory, on Monday 2022-04-04 at 13:30 UTC."""
    return Chat()
