"""Sub-commands whose modules are imported only when they run (or help lists them).

``ptghub cmd`` is typed by people waiting for the reply: importing the planner, the
needs file parser, the importers and the chat bots for every call cost more than the
command itself. The root group names these groups here and imports one on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from typer.core import TyperGroup

# Sub-command -> (the modules to import, in order; the Typer app's attribute in the last).
LAZY_GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "import": (("ptghub.cli.importer",), "import_app"),
    "bot": (("ptghub.cli.bot_irc", "ptghub.cli.bot_matrix", "ptghub.cli.bot"), "bot_app"),
    "needs": (("ptghub.cli.needs",), "needs_app"),
    "plan": (("ptghub.cli.plan",), "plan_app"),
    "mail": (("ptghub.cli.mail",), "mail_app"),
}


class LazyGroup(TyperGroup):
    """The root group: its own commands, then the lazy groups, loaded when asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY_GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY_GROUPS and cmd_name not in self.commands:
            from typer.main import get_group_from_info
            from typer.models import TyperInfo

            modules, attribute = LAZY_GROUPS[cmd_name]
            for module in modules:
                loaded = importlib.import_module(module)
            sub_app = getattr(loaded, attribute)
            # As add_typer would: the root's markup mode, no completion options of its own.
            group = get_group_from_info(
                TyperInfo(sub_app),
                pretty_exceptions_short=sub_app.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
                suggest_commands=sub_app.suggest_commands,
            )
            group.name = cmd_name
            self.commands[cmd_name] = group
        return super().get_command(ctx, cmd_name)
