"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, on a free port of its own.

    server = MailServer()                    # or the `mail_server` fixture (tests/conftest.py)
    server.start()
    settings = Settings(**server.settings())  # PTGHUB_SMTP_* pointing at it (env(): for a process)
    ...
    received = server.wait_for(1)             # blocks until one message arrived (or fails)
    received[0].message["Message-ID"], received[0].message.get_content()
    [mail] = server.deliver(store)            # or: send store's due outbox here now, in this thread
    server.stop(); server.start()             # down and up again, on the same port

- ``messages``: what arrived, in order, each a ``Received`` (the envelope, the parsed
  ``EmailMessage``, whether it came over TLS, the login used). ``message_ids()`` counts
  them by Message-ID.
- ``answer(address, "550 5.1.1 No such user")`` makes RCPT TO for that address get that
  reply (4xx or 5xx); ``answer(address, None)`` accepts it again. ``answer_data(...)``
  does the same for the end of DATA, for every message.
- ``MailServer(security="starttls" | "tls", login=("user", "password"), cert_dir=path)``:
  STARTTLS offered and required (or TLS from the first byte) with a certificate for
  127.0.0.1 signed by a test CA (``ca_file``, made with ``cryptography``); with ``login``,
  AUTH PLAIN/LOGIN is required before MAIL FROM.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

if TYPE_CHECKING:
    from ptghub.store.store import Store

SENDER = "PTG Test <ptg@example.org>"


@dataclass(frozen=True, slots=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    tls: bool  # it came over TLS (STARTTLS or from the start)
    login: str | None  # the user it logged in as

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for 127.0.0.1 and localhost signed by it, as PEM files:
    (CA certificate, server certificate, server key). Made once per directory."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_file, cert_file, key_file = (directory / n for n in ("ca.pem", "cert.pem", "key.pem"))
    if ca_file.exists():
        return ca_file, cert_file, key_file
    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ptghub test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file.write_bytes(ca.public_bytes(pem))
    cert_file.write_bytes(leaf.public_bytes(pem))
    key_file.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_file, cert_file, key_file


class _Handler:
    """aiosmtpd's handler: answers RCPT and DATA as told, records what is accepted."""

    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, smtp: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.server._rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Session, envelope: Envelope) -> str:
        if self.server._data_reply is not None:
            return self.server._data_reply
        # Lines end in CRLF on the wire; a mail client shows them as the lines they are.
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if session.authenticated else None
        self.server._record(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=tuple(envelope.rcpt_tos),
                message=message,
                tls=smtp.transport.get_extra_info("ssl_object") is not None,
                login=login,
            )
        )
        return "250 Message accepted for delivery"


class MailServer:
    """An SMTP server on 127.0.0.1 (see the module's docstring for its use)."""

    def __init__(
        self,
        *,
        security: str = "none",
        login: tuple[str, str] | None = None,
        cert_dir: Path | None = None,
    ) -> None:
        assert security in ("none", "starttls", "tls"), security
        assert security == "none" or cert_dir is not None, "TLS needs a cert_dir"
        self.host = "127.0.0.1"
        self.port = free_port()
        self.security = security
        self.login = login
        self.ca_file: Path | None = None
        self._context: ssl.SSLContext | None = None
        if cert_dir is not None and security != "none":
            self.ca_file, cert, key = make_certificates(cert_dir)
            self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._context.load_cert_chain(cert, key)
        self.messages: list[Received] = []
        self._rcpt_replies: dict[str, str] = {}
        self._data_reply: str | None = None
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    # -- what the test tells it ------------------------------------------------------

    def answer(self, address: str, reply: str | None) -> None:
        """RCPT TO ``address`` gets ``reply`` (e.g. '550 5.1.1 No such user'); None: accepted."""
        if reply is None:
            self._rcpt_replies.pop(address.lower(), None)
        else:
            self._rcpt_replies[address.lower()] = reply

    def answer_data(self, reply: str | None) -> None:
        """The end of DATA gets ``reply`` for every message; None: accepted."""
        self._data_reply = reply

    def settings(self, **more: Any) -> dict[str, Any]:
        """Settings keyword arguments (smtp_*) that send mail here, plus ``more``."""
        values: dict[str, Any] = {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_security": self.security,
            "smtp_from": SENDER,
            "smtp_timeout": 10.0,
        }
        if self.login is not None:
            values["smtp_username"], values["smtp_password"] = self.login
        if self.ca_file is not None:
            values["smtp_ca_file"] = self.ca_file
        return values | more

    def env(self) -> dict[str, str]:
        """The same as ``PTGHUB_SMTP_*`` variables, for a ptghub in another process."""
        return {f"PTGHUB_{k.upper()}": str(v) for k, v in self.settings().items()}

    # -- what arrived ------------------------------------------------------------------

    def _record(self, received: Received) -> None:
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()

    def message_ids(self) -> Counter[str]:
        """How often each Message-ID arrived."""
        with self._arrived:
            return Counter(r.message_id for r in self.messages)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """The messages once at least ``count`` arrived; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(self.messages)} message(s) arrived within {timeout} s, "
                        f"not {count}: {[r.message['Subject'] for r in self.messages]}"
                    )
                self._arrived.wait(left)
            return list(self.messages)

    def deliver(self, store: Store) -> list[Received]:
        """Send what is due in ``store``'s outbox to this server now (one pass of ptghub's
        real sender, in the calling thread); the messages that arrived meanwhile."""
        import asyncio

        from ptghub.mail.config import SmtpConfig
        from ptghub.mail.sender import MailWorker
        from ptghub.settings import Settings

        config = SmtpConfig.from_settings(Settings(**self.settings()))
        assert config is not None
        before = len(self.messages)
        asyncio.run(MailWorker(store, config).deliver_due())
        with self._arrived:
            return self.messages[before:]

    # -- up and down -------------------------------------------------------------------

    def start(self) -> None:
        """Listen (again) on this server's port."""
        assert self._controller is None, "already started"
        kwargs: dict[str, Any] = {}
        if self.security == "starttls":
            kwargs |= {"tls_context": self._context, "require_starttls": True}
        elif self.security == "tls":
            kwargs["ssl_context"] = self._context
        if self.login is not None:
            kwargs |= {"auth_required": True, "authenticator": self._authenticate}
        controller = Controller(
            _Handler(self), self.host, self.port, server_hostname="mail.test", **kwargs
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening; connections are refused until ``start()``."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def _authenticate(
        self, smtp: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert self.login is not None
        user, password = self.login
        good = isinstance(data, LoginPassword) and (data.login, data.password) == (
            user.encode(),
            password.encode(),
        )
        return AuthResult(success=good, handled=False, auth_data=data if good else None)
