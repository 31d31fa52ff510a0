"""What every command shares: its store opened on first use, who acts, and how a domain
error becomes the exit status (0 done, 1 refused, 2 invalid) with its message."""

from __future__ import annotations

from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from ptghub.cli.context import State, acting_as, operator, reports_errors, state_of
from ptghub.core.errors import InvalidInput, NotFound, PermissionDenied, PtgError
from ptghub.settings import Settings


def one_command(error: PtgError | None) -> typer.Typer:
    """A Typer app with one command that raises ``error`` (or prints and succeeds)."""
    app = typer.Typer()

    @app.command()
    @reports_errors
    def greet(name: Annotated[str, typer.Option(help="Who to greet.")] = "you") -> None:
        """Say hello."""
        if error is not None:
            raise error
        typer.echo(f"Hello, {name}.")

    return app


def test_a_command_that_succeeds_exits_0() -> None:
    result = CliRunner().invoke(one_command(None), ["--name", "nova"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, nova.\n", "")


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PermissionDenied("'~add' needs an organizer; alice is not one."), 1),
        (NotFound("There is no change #9."), 1),
        (InvalidInput("'x' is not a time."), 2),
    ],
)
def test_a_domain_error_prints_its_message_on_stderr_and_exits_with_its_code(
    error: PtgError, code: int
) -> None:
    result = CliRunner().invoke(one_command(error), [])
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", error.message + "\n")


def test_the_decorated_command_keeps_its_options_and_help() -> None:
    result = CliRunner().invoke(one_command(None), ["--help"], terminal_width=80)
    assert "Say hello." in result.stdout
    assert "--name" in result.stdout and "Who to greet." in result.stdout


def test_without_as_the_operator_acts_and_with_as_the_nick_does() -> None:
    assert (operator().operator, operator().frontend) == (True, "cli")
    assert acting_as(None) == operator()
    bob = acting_as("bob")
    assert (bob.nick, bob.frontend, bob.operator) == ("bob", "cli", False)


def test_the_store_opens_on_first_use_once_and_closes_with_the_command(
    database_url: str,
) -> None:
    state = State()
    state.settings = Settings(database_url=database_url)
    state.close()  # nothing opened yet: nothing to close
    try:
        assert state.store() is state.store()
    finally:
        state.close()


def test_every_command_reads_the_state_of_the_root_context() -> None:
    app = typer.Typer()
    seen: list[State] = []

    @app.command()
    def look(ctx: typer.Context) -> None:
        seen.append(state_of(ctx))

    state = State()
    result = CliRunner().invoke(app, [], obj=state)
    assert (result.exit_code, seen) == (0, [state])
