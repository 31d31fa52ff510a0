"""docs/deploy.md follows the code: its settings table is the settings class's, and its
nginx file agrees with the settings it names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ptghub.settings import Settings
from ptghub.settings_table import BEGIN, END, SECRET_ENDINGS, markdown, table_in

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "docs" / "deploy.md"


def test_docs_deploy_md_settings_table_is_the_one_the_settings_class_generates() -> None:
    """Regenerate with: python -m ptghub.settings_table docs/deploy.md"""
    assert table_in(DEPLOY.read_text(encoding="utf-8")) == markdown()


def _rows() -> dict[str, list[str]]:
    """The table's rows by variable: their cells, the variable's included."""
    rows = [line for line in markdown().splitlines() if line.startswith("| `PTGHUB_")]
    found = {row.split("`")[1]: [cell.strip() for cell in row.split(" | ")] for row in rows}
    assert len(found) == len(rows), "a variable has two rows"
    return found


def test_every_setting_has_one_row_with_its_description() -> None:
    rows = _rows()
    assert sorted(rows) == sorted(f"PTGHUB_{name.upper()}" for name in Settings.model_fields)
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"
        words = " ".join(field.description.split())
        assert rows[f"PTGHUB_{name.upper()}"][3].replace("\\", "").startswith(words[:40])


def test_secrets_are_marked_and_nothing_else_is() -> None:
    marked = {variable for variable, cells in _rows().items() if "**Secret**" in cells[1]}
    assert marked == {
        "PTGHUB_OIDC_CLIENT_SECRET",
        "PTGHUB_IRC_PASSWORD",
        "PTGHUB_MATRIX_ACCESS_TOKEN",
        "PTGHUB_MATRIX_PASSWORD",
        "PTGHUB_SMTP_PASSWORD",
    } | {f"PTGHUB_{n.upper()}" for n in Settings.model_fields if n.endswith(SECRET_ENDINGS)}


def test_defaults_read_as_an_operator_writes_them() -> None:
    rows = _rows()
    assert rows["PTGHUB_DATA_DIR"][2] == "`$XDG_DATA_HOME/ptghub`, else `~/.local/share/ptghub`"
    assert rows["PTGHUB_DATABASE_URL"][2] == "unset"
    assert rows["PTGHUB_IRC_TLS"][1:3] == ["boolean", "`false`"]
    assert rows["PTGHUB_WEB_MAX_BODY"][1:3] == ["integer", "`1048576`"]
    assert rows["PTGHUB_SMTP_SECURITY"][1:3] == ["one of `none`, `starttls`, `tls`", "`starttls`"]
    # Angle brackets are text, not HTML or an autolink that would swallow them.
    assert "\\<ptg@example.org\\>" in rows["PTGHUB_SMTP_FROM"][3]


def _regenerate(doc: Path) -> subprocess.CompletedProcess[str]:
    """The regeneration command, run as the doc's maintainer runs it, on ``doc``."""
    command = [sys.executable, "-m", "ptghub.settings_table", str(doc)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_the_regeneration_command_rewrites_only_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "deploy.md"
    doc.write_text(f"# Before\n\n{BEGIN}\n| old | table |\n{END}\n\nAfter.\n", encoding="utf-8")
    done = _regenerate(doc)
    assert (done.returncode, done.stderr) == (0, "")
    assert doc.read_text(encoding="utf-8") == f"# Before\n\n{markdown()}\nAfter.\n"


def test_the_regeneration_command_refuses_a_file_without_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "deploy.md"
    doc.write_text("# No table here\n", encoding="utf-8")
    done = _regenerate(doc)
    assert done.returncode == 1
    assert done.stderr == f"{doc}: no settings table between the lines {BEGIN!r} and {END!r}\n"
    assert doc.read_text(encoding="utf-8") == "# No table here\n"


def test_nginx_body_limit_is_web_max_body() -> None:
    site = DEPLOY.read_text(encoding="utf-8")
    sizes = re.findall(r"^\s*client_max_body_size (\d+)m;", site, flags=re.MULTILINE)
    max_body = Settings.model_fields["web_max_body"].default
    assert [int(size) * 1024 * 1024 for size in sizes] == [max_body]
