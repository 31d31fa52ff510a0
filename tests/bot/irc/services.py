"""An IRC network with accounts for the identity tests: InspIRCd 3 + Atheme services.

ngircd and miniircd know nothing of accounts; Debian's ``inspircd`` and
``atheme-services`` do (SASL PLAIN, account-tag, account-notify, extended-join, WHOX),
as Libera and OFTC do. Both run in the foreground in a directory of their own, on free
ports of 127.0.0.1, linked to each other; the network is ready when Atheme has finished
its burst. People register their accounts with ``NickServ REGISTER`` like anyone would.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.bot.irc.client import IrcClient
from tests.bot.irc.ircd import free_port

INSPIRCD = "/usr/sbin/inspircd"
ATHEME = "/usr/bin/atheme-services"
LINK_PASSWORD = "ptghub-link"

INSPIRCD_CONF = """\
<config format="xml">
<server name="irc.ptghub.test" description="ptghub test" network="PtghubTest" id="1PT">
<admin name="tests" nick="tests" email="tests@ptghub.invalid">
<bind address="127.0.0.1" port="{port}" type="clients">
<bind address="127.0.0.1" port="{link_port}" type="servers">
<connect name="main" allow="*" timeout="60" pingfreq="120" sendq="1048576" recvq="65536"
         localmax="1000" globalmax="1000" useident="no" limit="5000" fakelag="no"
         commandrate="1000000" threshold="1000000" resolvehostnames="no">
<pid file="{directory}/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default"
     target="{directory}/inspircd.log">
<performance nouserdns="yes">
<module name="cap">
<module name="ircv3">
<module name="ircv3_accounttag">
<module name="ircv3_capnotify">
<module name="sasl">
<module name="services_account">
<module name="spanningtree">
<sasl target="services.ptghub.test" requiressl="no">
<link name="services.ptghub.test" ipaddr="127.0.0.1" port="{link_port}"
      allowmask="127.0.0.0/8" sendpass="{password}" recvpass="{password}">
<uline server="services.ptghub.test" silent="yes">
"""

ATHEME_CONF = """\
loadmodule "modules/protocol/inspircd";
loadmodule "modules/backend/opensex";
loadmodule "modules/crypto/pbkdf2v2";
loadmodule "modules/nickserv/main";
loadmodule "modules/nickserv/identify";
loadmodule "modules/nickserv/register";
loadmodule "modules/saslserv/main";
loadmodule "modules/saslserv/plain";
serverinfo {{
    name = "services.ptghub.test"; desc = "ptghub test services"; numeric = "00A";
    recontime = 1; netname = "PtghubTest"; hidehostsuffix = "users.test";
    adminname = "tests"; adminemail = "tests@ptghub.invalid";
    registeremail = "noreply@ptghub.invalid"; auth = none;
    loglevel = {{ admin; error; info; network; register; }};
    maxlogins = 5; maxusers = 0; maxnicks = 5; maxchans = 5; mdlimit = 30;
    casemapping = rfc1459;
}};
uplink "irc.ptghub.test" {{
    host = "127.0.0.1"; port = {link_port};
    send_password = "{password}"; receive_password = "{password}";
}};
nickserv {{ nick = "NickServ"; user = "NickServ"; host = "services.ptghub.test";
    real = "Nickname Services"; }};
saslserv {{ nick = "SaslServ"; user = "SaslServ"; host = "services.ptghub.test";
    real = "SASL Authentication Agent"; }};
general {{ chan = "#services"; flood_msgs = 0; flood_time = 10;
    ratelimit_uses = 1000; ratelimit_period = 1; commit_interval = 5; }};
database {{ name = "{directory}/services.db"; }};
"""


def require() -> None:
    missing = [p for p in (INSPIRCD, ATHEME) if not os.access(p, os.X_OK)]
    if missing:
        pytest.skip(
            "the account tests need an IRC network with services: "
            f"apt-get install inspircd atheme-services ({', '.join(missing)} missing)"
        )


class AccountNetwork:
    """InspIRCd with Atheme linked; ``host``/``port`` for clients."""

    def __init__(self, directory: Path) -> None:
        require()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.host = "127.0.0.1"
        self.port = free_port()
        self.link_port = free_port()
        self.processes: list[subprocess.Popen[bytes]] = []

    def _spawn(self, command: list[str], log: str) -> subprocess.Popen[bytes]:
        with (self.directory / log).open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start(self, timeout: float = 30.0) -> None:
        values = {"port": self.port, "link_port": self.link_port, "password": LINK_PASSWORD}
        values["directory"] = str(self.directory)
        (self.directory / "inspircd.conf").write_text(INSPIRCD_CONF.format(**values))
        (self.directory / "atheme.conf").write_text(ATHEME_CONF.format(**values))
        ircd = [INSPIRCD, "--nofork", f"--config={self.directory / 'inspircd.conf'}"]
        if os.geteuid() == 0:
            ircd.append("--runasroot")  # CI containers run as root; nothing else is at stake
        self._spawn(ircd, "inspircd.out")
        services_log = self.directory / "atheme.log"
        self._spawn(
            [ATHEME, "-n", "-c", str(self.directory / "atheme.conf"), "-D", str(self.directory),
             "-l", str(services_log), "-p", str(self.directory / "atheme.pid")],
            "atheme.out",
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise AssertionError(f"{process.args[0]} exited:\n{self.logs()}")
            if services_log.exists() and "finished synching" in services_log.read_text():
                return
            time.sleep(0.05)
        raise AssertionError(f"the network was not ready within {timeout} s:\n{self.logs()}")

    def register(self, nick: str, password: str) -> None:
        """Register the account ``nick`` with NickServ, as its owner would."""
        client = IrcClient(self.host, self.port, nick)
        try:
            client.connect()
            client.say("NickServ", f"REGISTER {password} {nick}@ptghub.invalid")
            # Atheme writes the nick in bold (\x02), so match the words after it.
            client.expect(rf"NOTICE {nick} :.*is now registered to ")
        finally:
            client.close()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.directory.glob("*.out")) + sorted(self.directory.glob("*.log"))
        )
