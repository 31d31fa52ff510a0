"""A real OpenID Connect provider for the tests: ``oidc-provider`` from the npm registry (a
certified implementation) run by Node.js with ``provider.mjs`` beside this file.

``running_provider(redirect_uri)`` starts it on a free loopback port with one
confidential client (PKCE required), the users below and a signing key made by the test
(``RunningProvider.key``, so that a test can also sign tokens as the provider would), and
stops it when the block ends. Node is taken from PATH and the module from
``.cache/npm/node_modules`` of the checkout (``.ci/run`` installs it there); without either
the test skips, saying which.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.serving import Running, bound_socket, serving

SCRIPT = Path(__file__).with_name("provider.mjs")
MODULE = Path("node_modules") / "oidc-provider"
CLIENT_ID = "ptghub-tests"
# Characters that RFC 6749's form-encoding of client_secret_basic changes.
CLIENT_SECRET = "s3cret+with/odd=chars:and%"


@dataclass(frozen=True, slots=True)
class User:
    sub: str
    login: str
    password: str
    email: str
    email_verified: bool
    name: str


ALICE = User("alice-0001", "alice", "alice's password", "alice@example.org", True, "Alice Liddell")
BOB = User("bob-0002", "bob", "bob's password", "Bob@Example.net", True, "Bob Builder")
CAROL = User("carol-0003", "carol", "carol's password", "carol@example.com", False, "Carol")
USERS = (ALICE, BOB, CAROL)


@dataclass(frozen=True, slots=True)
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str
    key: RSAKey  # the provider's signing key (private)


def new_key() -> RSAKey:
    return RSAKey.generate_key(2048, {"use": "sig", "alg": "RS256"}, private=True, auto_kid=True)


def provider_module() -> Path:
    """The installed oidc-provider package; skips the test when it is not installed."""
    roots = [Path(__file__).resolve().parents[2], Path.cwd()]
    for root in roots:
        if (root / ".cache" / "npm" / MODULE / "package.json").is_file():
            return root / ".cache" / "npm" / MODULE
    pytest.skip(
        "OpenID Connect tests need the npm package oidc-provider in .cache/npm "
        "(npm install --prefix .cache/npm oidc-provider@9; .ci/run does it)"
    )


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("OpenID Connect tests need Node.js (node on PATH) to run oidc-provider")
    return found


@contextmanager
def running_provider(
    redirect_uri: str, users: tuple[User, ...] = USERS, *, port: int = 0, key: RSAKey | None = None
) -> Iterator[RunningProvider]:
    """oidc-provider serving ``users``, with ``redirect_uri`` registered for the client,
    signing with ``key`` (a new one by default), on ``port`` (a free one by default)."""
    program, module = node(), provider_module()
    key = key or new_key()
    with tempfile.TemporaryDirectory(prefix="ptghub-oidc-") as directory:
        config = Path(directory) / "config.json"
        config.write_text(
            json.dumps(
                {
                    "module": str(module),
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [redirect_uri],
                    "jwk": key.as_dict(private=True),
                    "users": [asdict(user) for user in users],
                    "port": port,
                }
            )
        )
        errors = (Path(directory) / "stderr").open("w+")
        process = subprocess.Popen(
            [program, str(SCRIPT), str(config)], stdout=subprocess.PIPE, stderr=errors, text=True
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # printed once it listens
            if not line:
                process.wait(10)
                errors.seek(0)
                pytest.fail(f"oidc-provider did not start:\n{errors.read()[-3000:]}")
            issuer = json.loads(line)["issuer"]
            yield RunningProvider(issuer, CLIENT_ID, CLIENT_SECRET, key)
        finally:
            process.terminate()
            process.wait(10)
            assert process.stdout is not None
            process.stdout.close()
            errors.close()


@contextmanager
def served_with_provider(
    store: Store, **settings: Any
) -> Iterator[tuple[Running, RunningProvider]]:
    """ptghub around ``store``, served on a free port with the test provider as its OpenID
    Connect provider (button "Test ID"); ``settings`` adds others (mail, say)."""
    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with running_provider(f"{url}/signin/oidc/callback") as provider:
            configured = Settings(
                **settings,
                oidc_issuer=provider.issuer,
                oidc_client_id=provider.client_id,
                oidc_client_secret=provider.client_secret,
                oidc_name="Test ID",
            )
            with serving(create_app(store, configured), sock=sock) as running:
                yield running, provider
    finally:
        sock.close()
