"""The ``ptghub`` command line.

The root command and what it registers: ``cli/app.py``; what every command shares:
``cli/context.py``. ``import``, ``bot``, ``needs`` and ``plan`` are loaded on first use
(``cli/lazy.py``).
"""

from __future__ import annotations

from ptghub.cli.app import app


def main() -> None:
    app(prog_name="ptghub")


__all__ = ["app", "main"]
