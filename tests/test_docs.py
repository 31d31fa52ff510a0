"""Documentation that must follow the code."""

from __future__ import annotations

from pathlib import Path

from ptghub.commands.reference import markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_commands_md_matches_the_registry() -> None:
    """Regenerate with: python -m ptghub.commands.reference > docs/commands.md"""
    assert (ROOT / "docs" / "commands.md").read_text(encoding="utf-8") == markdown()


def test_readme_starts_with_the_two_command_quick_start() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()]
    assert [c for c in commands if c.startswith("make ")] == ["make demo", "make test"]
