"""A real IRC server for the IRC tests: Debian's ngircd, else miniircd from the venv.

Each server gets a free port on 127.0.0.1 and a directory of its own. ngircd runs in the
foreground (``-n``) with a generated configuration: no PAM, no DNS or ident lookups (a
lookup would stall every connection for seconds). Its flood control (about three
commands a second per client) cannot be switched off, which is fine: the bot must live
with it on real networks too. ``restart()`` stops the process and starts a new one on
the same port, as an IRC network's restart looks to a client.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

NGIRCD = "/usr/sbin/ngircd"
NGIRCD_CONF = """\
[Global]
Name = irc.ptghub.test
Info = ptghub test server
AdminInfo1 = ptghub tests
AdminInfo2 = 127.0.0.1
AdminEMail = tests@ptghub.invalid
Listen = 127.0.0.1
Ports = {port}
MotdPhrase = "ptghub test server"

[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
PingTimeout = 120
PongTimeout = 60

[Options]
DNS = no
Ident = no
PAM = no
RequireAuthPing = no
"""
NGIRCD_TLS = """
[SSL]
CertFile = {directory}/cert.pem
KeyFile = {directory}/key.pem
Ports = {tls_port}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _miniircd() -> str | None:
    found = Path(sys.executable).with_name("miniircd")
    return str(found) if found.exists() else shutil.which("miniircd")


def available() -> str:
    """'ngircd' or 'miniircd', whichever is installed (ngircd first); skip when neither.

    PTGHUB_TEST_IRCD=miniircd runs the tests on miniircd even where ngircd exists.
    """
    wanted = os.environ.get("PTGHUB_TEST_IRCD")
    if wanted == "miniircd" and _miniircd() is not None:
        return "miniircd"
    if wanted not in (None, "", "ngircd", "miniircd"):
        raise ValueError(f"PTGHUB_TEST_IRCD must be ngircd or miniircd, not {wanted!r}")
    if os.access(NGIRCD, os.X_OK):
        return "ngircd"
    if _miniircd() is not None:
        return "miniircd"
    pytest.skip(
        f"no IRC server for the IRC tests: install Debian's ngircd ({NGIRCD}) or "
        "'pip install miniircd' into the venv (.ci/run does)"
    )


class IrcServer:
    """One IRC server process on ``127.0.0.1:port``; ``kind`` is ngircd or miniircd."""

    def __init__(self, directory: Path, kind: str | None = None, *, tls: bool = False) -> None:
        self.kind = kind or available()
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.host = "127.0.0.1"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.tls_port: int | None = None
        if tls:
            self._make_certificate()
            self.tls_port = free_port()

    @property
    def certificate(self) -> Path:
        """The server's self-signed certificate (for 127.0.0.1): trust it to connect."""
        return self.directory / "cert.pem"

    def _make_certificate(self) -> None:
        if self.kind != "ngircd":
            pytest.skip("the TLS test needs ngircd (miniircd's TLS needs a PEM bundle too)")
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("the TLS test needs the openssl command to make a certificate")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(self.directory / "key.pem"), "-out", str(self.certificate),
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip

    def _command(self) -> list[str]:
        if self.kind == "ngircd":
            conf = self.directory / "ngircd.conf"
            text = NGIRCD_CONF.format(port=self.port)
            if self.tls_port is not None:
                text += NGIRCD_TLS.format(directory=self.directory, tls_port=self.tls_port)
            conf.write_text(text, encoding="utf-8")
            conf.chmod(0o644)
            return [NGIRCD, "-n", "-f", str(conf)]
        program = _miniircd()
        assert program is not None
        command = [program, "--listen", "127.0.0.1", "--ports", str(self.port)]
        if os.geteuid() == 0:  # miniircd refuses to keep root (CI containers run as root)
            command += ["--setuid", "nobody"]
        return command

    def start(self, timeout: float = 15.0) -> None:
        log = (self.directory / f"server-{self.starts}.log").open("wb")
        with log:
            self.process = subprocess.Popen(
                self._command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.directory
            )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.kind} exited at start:\n{self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"{self.kind} did not listen on {self.port} within {timeout} s")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Stop, then start again on the same port (clients see the link drop)."""
        self.stop()
        self.start()

    def log(self) -> str:
        logs = sorted(self.directory.glob("server-*.log"))
        return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
