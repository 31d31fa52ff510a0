"""Debian's nginx running docs/deploy.md's site file in front of a real ``ptghub serve``.

The site file is taken from the doc between its markers and changed only where a test
must differ from a server: the ports it listens on (loopback), the upstream's port, the
certificate (made for 127.0.0.1 by a test CA) and no IPv6 listener. Every proxy
directive runs as documented. nginx gets an nginx.conf of its own around it (pid, logs
and temporary files in the test's directory), as Debian's includes sites-enabled/*.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.mailserver import free_port, make_certificates

NGINX = Path("/usr/sbin/nginx")
DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
SITE = re.compile(
    r"<!-- BEGIN nginx site[^\n]*-->\n```nginx\n(?P<site>.*?)```\n<!-- END nginx site -->",
    re.DOTALL,
)
# Generous: a loaded machine is slow, not wrong.
START_TIMEOUT = 60.0


def documented_site() -> str:
    """The nginx site file of docs/deploy.md, exactly as written there."""
    found = SITE.findall(DEPLOY.read_text(encoding="utf-8"))
    assert len(found) == 1, "docs/deploy.md must hold one nginx site between its markers"
    return str(found[0])


def _replace(text: str, old: str, new: str, count: int) -> str:
    assert text.count(old) == count, f"the documented site file should have {old!r} {count}x"
    return text.replace(old, new)


def site_for_test(site: str, *, http: int, https: int, upstream: int, cert: Path, key: Path) -> str:
    """The documented site with only what a test must change changed."""
    site = _replace(site, "    listen [::]:80;\n", "", 1)
    site = _replace(site, "    listen [::]:443 ssl http2;\n", "", 1)
    site = _replace(site, "listen 80;", f"listen 127.0.0.1:{http};", 1)
    site = _replace(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;", 1)
    site = _replace(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};", 1)
    site = re.sub(r"ssl_certificate \S+;", f"ssl_certificate {cert};", site)
    return re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", site)


def nginx_conf(directory: Path, site_file: Path) -> str:
    """A whole nginx.conf that includes ``site_file``, with every file it writes in
    ``directory``. As root, nginx's workers would become ``nobody``, who cannot write
    there: they run as the user running the test instead (the directive is refused when
    nginx is not root, so it is only written then)."""
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};\n"
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} info;
events {{
    worker_connections 512;
}}
http {{
    access_log {directory / "access.log"};
{temp}
    default_type application/octet-stream;
    sendfile on;
    gzip on;  # as in Debian's /etc/nginx/nginx.conf
    include {site_file};
}}
"""


@dataclass(frozen=True)
class Proxy:
    """nginx listening on ``https`` and ``http`` (loopback), with the test CA's file."""

    https: int
    http: int
    ca_file: Path
    directory: Path

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.https}{path}"

    def client(self, source: str = "127.0.0.1", read: float = 30.0) -> httpx.Client:
        """A client that connects from ``source`` (any of 127/8: Linux routes them all to
        lo) and trusts the test CA, as a browser trusts a real certificate."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        transport = httpx.HTTPTransport(local_address=source, verify=context)
        return httpx.Client(transport=transport, timeout=httpx.Timeout(30.0, read=read))


def _wait_for_port(port: int, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited {process.returncode}: {process.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{what} is not listening on {port} after {START_TIMEOUT} s")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        return process.communicate(timeout=30)[0] or ""
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0] or ""


@contextmanager
def ptghub_serving(database_url: str, port: int, **settings: str) -> Iterator[None]:
    """``ptghub serve`` on ``port`` in a process of its own, with ``settings`` as its
    ``PTGHUB_*`` environment (and no other from the test's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env.update({f"PTGHUB_{name.upper()}": value for name, value in settings.items()})
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_port(port, process, "ptghub serve")
        yield
    finally:
        output = _stop(process)
    assert "Traceback" not in output, output


@contextmanager
def nginx_in_front(directory: Path, upstream: int) -> Iterator[Proxy]:
    """nginx with the documented site file, passing to ``upstream``; skipped, saying why,
    when Debian's nginx is not installed (``.ci/run`` installs it, so CI never skips)."""
    if not NGINX.is_file():
        pytest.skip(f"nginx is not installed at {NGINX} (apt-get install nginx; .ci/run does)")
    ca_file, cert, key = make_certificates(directory)
    https, http = free_port(), free_port()
    site = site_for_test(
        documented_site(), http=http, https=https, upstream=upstream, cert=cert, key=key
    )
    (directory / "ptghub.site").write_text(site, encoding="utf-8")
    conf = directory / "nginx.conf"
    conf.write_text(nginx_conf(directory, directory / "ptghub.site"), encoding="utf-8")
    log = directory / "error.log"
    command = [str(NGINX), "-p", str(directory), "-e", str(log), "-c", str(conf)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    proxy = Proxy(https=https, http=http, ca_file=ca_file, directory=directory)
    try:
        _wait_for_port(https, process, "nginx")
        yield proxy
    finally:
        _stop(process)
