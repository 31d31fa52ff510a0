"""What docs/deploy.md tells an operator to install works as written: its systemd units
pass ``systemd-analyze verify``, its environment file, read by the shell, makes valid
settings, and every ``ptghub`` command it names is one the command line accepts. (Its
nginx file runs in tests/web/test_nginx.py.)"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_named_commands import QUOTED, parse_with_the_cli

DEPLOY = Path(__file__).resolve().parents[1] / "docs" / "deploy.md"
INSTALLED = "/opt/ptghub/venv/bin/ptghub"  # where the doc installs the program
UNIT = re.compile(
    r"`/etc/systemd/system/(?P<name>[\w.-]+)`[^`\n]*:\n\n```ini\n(?P<body>.*?)```", re.DOTALL
)
ENV_FILE = re.compile(r"A minimal `/etc/ptghub/ptghub.env`:\n\n```sh\n(?P<body>.*?)```", re.DOTALL)
WRAPPER = re.compile(r"cat > /usr/local/sbin/ptghub <<'EOF'\n(?P<script>.*?)^EOF$", re.S | re.M)
CODE = re.compile(r"^```(?:sh|ini)\n(?P<body>.*?)^```", re.DOTALL | re.MULTILINE)
# The installed program's arguments (not the wrapper's "$@"), or a shell block's line.
RUN = re.compile(
    rf"{re.escape(INSTALLED)}((?: [a-z-][^'\n]*)?)|^ptghub((?: [^#\n]*)?)$", re.MULTILINE
)


def _doc() -> str:
    return DEPLOY.read_text(encoding="utf-8")


def documented_units() -> dict[str, str]:
    return {match["name"]: match["body"] for match in UNIT.finditer(_doc())}


def documented_commands() -> list[str]:
    """``ptghub ...`` quoted in the text, run by the code blocks' installed program, and
    typed in them (through the doc's wrapper)."""
    doc = _doc()
    quoted = [match[1] or match[2] for match in QUOTED.finditer(CODE.sub("", doc))]
    run = [
        f"ptghub{(match[1] or match[2] or '').rstrip()}"
        for code in CODE.finditer(doc)
        for match in RUN.finditer(code["body"])
    ]
    return quoted + run


def _run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, **options
    )


def test_the_doc_gives_the_server_the_irc_bot_and_the_backup_units() -> None:
    assert sorted(documented_units()) == [
        "ptghub-backup.service",
        "ptghub-backup.timer",
        "ptghub-irc.service",
        "ptghub.service",
    ]


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd; .ci/run does)")
    program = Path(sys.executable).with_name("ptghub")
    assert program.is_file(), f"ptghub is not installed beside {sys.executable}"
    units = []
    for name, body in documented_units().items():
        (tmp_path / name).write_text(body.replace(INSTALLED, str(program)), encoding="utf-8")
        units.append(name)
    done = _run([analyze, "verify", *units], cwd=tmp_path)
    # Unknown keys and bad values are only warned about: any line on stderr fails.
    assert (done.returncode, done.stderr) == (0, "")


def test_the_units_run_the_installed_ptghub_as_its_own_user_with_the_env_file() -> None:
    for name, body in documented_units().items():
        if name.endswith(".timer"):
            assert "OnCalendar=" in body
            continue
        assert f"ExecStart={INSTALLED} " in body, name
        assert "User=ptghub\n" in body and "EnvironmentFile=/etc/ptghub/ptghub.env\n" in body
        assert "ProtectSystem=strict\n" in body and "NoNewPrivileges=yes\n" in body
        assert "ReadWritePaths=/var/lib/ptghub" in body, name


def test_the_environment_file_read_by_the_shell_makes_valid_settings(tmp_path: Path) -> None:
    found = ENV_FILE.findall(_doc())
    assert len(found) == 1
    env_file = tmp_path / "ptghub.env"
    env_file.write_text(found[0], encoding="utf-8")
    show = (
        "import json; from ptghub.settings import Settings; s = Settings(); "
        "print(json.dumps([str(s.data_dir), s.public_url, s.web_trusted_proxies, s.smtp_from]))"
    )
    # As the doc's commands read it: sourced with every variable exported.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    source = 'set -a; . "$1"; exec "$2" -c "$3"'
    done = _run(["sh", "-c", source, "sh", str(env_file), sys.executable, show], env=env)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == [
        "/var/lib/ptghub",
        "https://ptg.example.org",
        "127.0.0.1",
        "OpenInfra PTG <ptg@example.org>",
    ]


def test_the_doc_names_the_commands_an_operator_needs() -> None:
    commands = documented_commands()
    for command in ("ptghub init", "ptghub bot irc", "ptghub mail worker", "ptghub restore FILE"):
        assert command in commands
    assert "ptghub serve --host 127.0.0.1 --port 8000" in commands  # the server's unit
    assert any(c.startswith("ptghub backup --force /var/backups/ptghub/") for c in commands)


@pytest.mark.parametrize("command", sorted(set(documented_commands())))
def test_every_ptghub_command_in_the_doc_runs(command: str) -> None:
    parse_with_the_cli(command)


def test_the_wrapper_runs_ptghub_with_the_env_file_and_every_argument_whole(
    tmp_path: Path,
) -> None:
    found = WRAPPER.findall(_doc())
    assert len(found) == 1
    env_file = tmp_path / "ptghub.env"
    env_file.write_text(ENV_FILE.findall(_doc())[0], encoding="utf-8")
    # The test runs as whoever it runs as, with the test's files: that alone differs.
    wrapper = tmp_path / "ptghub"
    script = _replace(found[0], "sudo -u ptghub ", "")
    script = _replace(script, "/etc/ptghub/ptghub.env", str(env_file))
    script = _replace(script, INSTALLED, str(Path(sys.executable).with_name("ptghub")))
    wrapper.write_text(script, encoding="utf-8")
    wrapper.chmod(0o755)
    database = tmp_path / "a database.sqlite3"  # a space: the argument must stay one
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env["COLUMNS"] = "500"  # the path on one line
    done = _run([str(wrapper), "--database-url", f"sqlite:///{database}", "init"], env=env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Database ready: sqlite:///{database}\n"
    assert database.is_file()


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"the documented wrapper should have {old!r}"
    return text.replace(old, new)
