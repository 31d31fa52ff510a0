"""``ptghub bot``: run a chat bot (IRC or Matrix) against the store.

The adapters register their commands on ``bot_app`` from ``cli/bot_irc.py`` and
``cli/bot_matrix.py``, imported by ``cli/__init__.py``.
"""

from __future__ import annotations

import typer

bot_app = typer.Typer(
    help="Run a chat bot that takes the command language (IRC, Matrix).", no_args_is_help=True
)


@bot_app.callback()
def bot_callback() -> None:
    """Run a chat bot that takes the command language (IRC, Matrix)."""
