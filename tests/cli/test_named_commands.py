"""Every ``ptghub ...`` command that a message, an error or a help text names must run.

People copy the command a reply suggests; one that fails ('ptghub token create NICK',
when the CLI wants ``--for NICK``) leaves them stuck. The commands are collected from the
string literals of every module under src/ptghub (f-strings included, their fields
standing for a value) wherever they are quoted ('ptghub ...' or `ptghub ...`), and each
is parsed by the real Typer application: its command path must exist and, when it gives
arguments or options, the command must accept them (a bare `ptghub cmd` in prose names
the command; 'ptghub token create NICK' in a reply tells people what to type).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
import typer.core
import typer.main
from typer.exceptions import TyperException

from ptghub.cli import app

SRC = Path(__file__).resolve().parents[2] / "src" / "ptghub"
QUOTED = re.compile(r"'(ptghub(?: [^'\n]*)?)'|`(ptghub(?: [^`\n]*)?)`")
FIELD = "1"  # what an f-string field or a placeholder (NICK, ID, SLUG) stands for
EXISTING_FILE = str(Path(__file__).resolve())  # FILE: commands that read one check it exists


def _names_a_file(value: ast.expr) -> bool:
    """A field ``{file}`` or ``{path}``: the file the user gave, which exists."""
    inner = value.value if isinstance(value, ast.FormattedValue) else value
    return isinstance(inner, ast.Name) and inner.id in {"file", "path"}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal of a module with its line; an f-string's fields become FIELD
    (a file's name, EXISTING_FILE)."""
    found: list[tuple[int, str]] = []
    inside_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstrings.add(id(value))
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(value.value)
                elif _names_a_file(value):
                    parts.append(EXISTING_FILE)
                else:
                    parts.append(FIELD)
            found.append((node.lineno, "".join(parts)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in inside_fstrings
        ):
            found.append((node.lineno, node.value))
    return found


def named_commands() -> list[tuple[str, str]]:
    """``(where, command)`` for every quoted ``ptghub ...`` in src/ptghub's Python files."""
    commands: list[tuple[str, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, text in _strings(tree):
            for match in QUOTED.finditer(text):
                command = match.group(1) or match.group(2)
                commands.append((f"{path.relative_to(SRC.parent)}:{line}", command))
    return commands


def _placeholder(word: str) -> str:
    """NICK, FILE, ID, SLUG... (a word in capitals) stands for a value."""
    if word == "FILE":
        return EXISTING_FILE
    return FIELD if re.fullmatch(r"[A-Z][A-Z_]*", word) else word


class NotRunnable(Exception):
    """A command path the CLI does not have."""


def parse_with_the_cli(command: str) -> None:
    """Raise unless the real CLI accepts ``command``: ``NotRunnable`` for an unknown
    command path, Click's usage error (a ``TyperException``) for its arguments."""
    words = [_placeholder(word) for word in command.split()[1:]]
    current = typer.main.get_command(app)
    path = ["ptghub"]
    while isinstance(current, typer.core.TyperGroup):
        if not words:
            return  # a group by itself ('ptghub bot'): it prints its commands
        name = words.pop(0)
        # get_command, not .commands: the root group loads some groups on first use.
        context = click.Context(current, info_name=" ".join(path))
        found = current.get_command(context, name)
        if found is None:
            raise NotRunnable(
                f"'{' '.join(path)}' has no command '{name}' "
                f"(it has: {', '.join(sorted(current.list_commands(context)))})"
            )
        current, path = found, [*path, name]
    if not words:
        return  # the command named by itself
    with current.make_context(" ".join(path), words, resilient_parsing=False):
        pass


def test_named_commands_are_found_in_replies_errors_and_help() -> None:
    commands = {command for _, command in named_commands()}

    assert "ptghub token create --for NICK" in commands  # the bot's unknown-token reply
    assert "ptghub token revoke ID" in commands
    assert "ptghub undo 1" in commands  # from an f-string


def test_parse_with_the_cli_refuses_a_command_that_does_not_run() -> None:
    with pytest.raises(TyperException) as refused:
        parse_with_the_cli("ptghub token create NICK")

    assert refused.value.format_message() == "Missing option '--for'."  # type: ignore[attr-defined]


def test_parse_with_the_cli_refuses_an_unknown_command_path() -> None:
    with pytest.raises(NotRunnable) as refused:
        parse_with_the_cli("ptghub token mint --for NICK")

    assert str(refused.value) == (
        "'ptghub token' has no command 'mint' (it has: create, list, revoke)"
    )


@pytest.mark.parametrize(("where", "command"), named_commands())
def test_named_command_parses_with_the_cli(where: str, command: str) -> None:
    try:
        parse_with_the_cli(command)
    except NotRunnable as error:
        pytest.fail(f"{where}: '{command}' does not run: {error}")
    except TyperException as error:
        message = error.format_message()  # type: ignore[attr-defined]
        pytest.fail(f"{where}: '{command}' does not run: {message}")
