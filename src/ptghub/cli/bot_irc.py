"""ptghub bot irc: filled in by its adapter."""

from __future__ import annotations

from ptghub.cli.bot import bot_app

__all__ = ["bot_app"]
