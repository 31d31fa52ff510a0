"""A real Synapse homeserver for the Matrix tests, in a virtualenv of its own.

Synapse pins its own dependency versions (Twisted, pydantic, ...), so it lives apart from
ptghub's venv, in ``.cache/synapse-venv`` (git ignores ``.cache/``), created on first use
with ``python3 -m venv`` and ``pip install matrix-synapse``. The server gets a fresh
directory: SQLite, one client listener on 127.0.0.1, no federation, relaxed rate limits
(the tests send faster than people do) and a registration shared secret, through which
users are registered with the admin API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV = ROOT / ".cache" / "synapse-venv"
PYTHON = VENV / "bin" / "python"
SERVER_NAME = "localhost"
SHARED_SECRET = "ptghub-tests-shared-secret"
INSTALL_HINT = (
    f"python3 -m venv {VENV} && {VENV}/bin/pip install matrix-synapse "
    "(.ci/run does this before the tests)"
)


def ensure_venv() -> Path:
    """The Synapse interpreter, installing Synapse first if needed; skip when impossible."""
    if _importable():
        return PYTHON
    try:
        if not PYTHON.exists():
            subprocess.run(
                [sys.executable, "-m", "venv", str(VENV)],
                check=True,
                capture_output=True,
                timeout=300,
            )
        subprocess.run(
            [str(PYTHON), "-m", "pip", "install", "--quiet", "matrix-synapse"],
            check=True,
            capture_output=True,
            timeout=1200,
        )
    except (OSError, subprocess.SubprocessError) as error:
        output = getattr(error, "stderr", b"") or b""
        tail = output.decode(errors="replace").strip().splitlines()[-3:]
        pytest.skip(
            f"Synapse is not installed and installing it failed ({error}; {' / '.join(tail)}); "
            f"install it with: {INSTALL_HINT}"
        )
    if not _importable():
        pytest.skip(f"Synapse did not import after installing it; install it with: {INSTALL_HINT}")
    return PYTHON


def _importable() -> bool:
    if not PYTHON.exists():
        return False
    check = subprocess.run([str(PYTHON), "-c", "import synapse.app.homeserver"], check=False)
    return check.returncode == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _relaxed(per_second: float = 1000, burst: int = 1000) -> dict[str, float]:
    return {"per_second": per_second, "burst_count": burst}


def config(directory: Path, port: int) -> dict[str, Any]:
    """A homeserver.yaml for tests (JSON is YAML): local only, fast, forgiving of bursts."""
    relaxed = _relaxed()
    return {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "log_config": str(directory / "log.yaml"),
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "registration_shared_secret": SHARED_SECRET,
        "macaroon_secret_key": "ptghub-tests-macaroon-secret",
        "form_secret": "ptghub-tests-form-secret",
        "report_stats": False,
        "enable_metrics": False,
        "enable_registration": False,
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        # Federation off: no federation listener, no remote server trusted or contacted.
        "federation_domain_whitelist": [],
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "rc_message": relaxed,
        "rc_registration": relaxed,
        "rc_login": {"address": relaxed, "account": relaxed, "failed_attempts": relaxed},
        "rc_joins": {"local": relaxed, "remote": relaxed},
        "rc_joins_per_room": relaxed,
        "rc_invites": {"per_room": relaxed, "per_user": relaxed, "per_issuer": relaxed},
        "rc_room_creation": relaxed,
        "rc_admin_redaction": relaxed,
        "rc_3pid_validation": relaxed,
    }


LOG_CONFIG = """\
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
root:
  level: WARNING
  handlers: [console]
disable_existing_loggers: false
"""


@dataclass(frozen=True)
class User:
    user_id: str
    device_id: str
    access_token: str
    password: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


class Synapse:
    """One Synapse process on 127.0.0.1:``port`` with its data in ``directory``."""

    def __init__(self, directory: Path, python: Path) -> None:
        self.directory = directory
        self.python = python
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config_path = directory / "homeserver.yaml"
        self.log_path = directory / "homeserver.log"
        self._process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "log.yaml").write_text(LOG_CONFIG)
        self.config_path.write_text(json.dumps(config(directory, self.port), indent=2))
        self._synapse("--generate-keys")  # the signing key, kept across restarts

    def _synapse(self, *args: str) -> None:
        subprocess.run(
            [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config_path), *args],
            check=True,
            capture_output=True,
            timeout=120,
            cwd=self.directory,
            env=environment(),
        )

    def start(self, timeout: float = 90) -> None:
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                env=environment(),
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"Synapse exited at start:\n{self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Synapse did not answer /health within {timeout} s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # -- admin API --------------------------------------------------------------------

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            error.close()
            raise RuntimeError(f"{method} {path} failed: {error.code} {detail}") from None

    def register(self, localpart: str, password: str, *, admin: bool = False) -> User:
        """Register a user through the shared-secret admin API (no registration flows)."""
        nonce = self._request("GET", "/_synapse/admin/v1/register")["nonce"]
        parts = (nonce, localpart, password, "admin" if admin else "notadmin")
        digest = hmac.new(SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        digest.update(b"\x00".join(part.encode() for part in parts))
        reply = self._request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": digest.hexdigest(),
            },
        )
        return User(reply["user_id"], reply["device_id"], reply["access_token"], password)

    def api(self, user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One client-server API call as ``user`` (``path`` after ``/_matrix/client/v3``)."""
        return self._request(method, f"/_matrix/client/v3{path}", body, user.access_token)

    def set_display_name(self, user: User, name: str) -> None:
        self.api(user, "PUT", f"/profile/{quote(user.user_id)}/displayname", {"displayname": name})

    def create_room(self, owner: User, *members: User) -> str:
        """A new public room of ``owner``, joined by ``members``; its id."""
        room_id: str = self.api(owner, "POST", "/createRoom", {"preset": "public_chat"})["room_id"]
        for member in members:
            self.api(member, "POST", f"/join/{quote(room_id)}", {})
        return room_id


def environment() -> dict[str, str]:
    """The environment Synapse runs with: ours, minus variables that would confuse it."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env
