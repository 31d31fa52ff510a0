"""ptghub's checks of an ID token (``Provider.verify_id_token``), against the real test
provider's discovery document and published keys (tests/oidc/): tokens signed with the
provider's own key pass only when every claim holds; tokens signed by any other key, with
no signature, or with the client secret as an HMAC key, are refused."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from ptghub.web.oidc_protocol import OidcRefused, Provider, pkce_challenge
from tests.oidc.provider import ALICE, BOB, RunningProvider, new_key, running_provider

NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    with running_provider("http://127.0.0.1:9/signin/oidc/callback") as running:
        yield running


@pytest.fixture
def client(provider: RunningProvider) -> Provider:
    """ptghub's view of the provider, as the web app makes it."""
    return Provider(provider.issuer, provider.client_id, provider.client_secret)


def claims(provider: RunningProvider, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": provider.issuer,
        "sub": ALICE.sub,
        "aud": provider.client_id,
        "iat": now,
        "exp": now + 600,
        "nonce": NONCE,
    }
    return {k: v for k, v in (base | changes).items() if v is not None}


def signed(key: RSAKey | OctKey, payload: dict[str, Any], alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": key.kid}, payload, key, algorithms=[alg])


def refused(client: Provider, token: str, nonce: str = NONCE) -> str:
    with pytest.raises(OidcRefused) as caught:
        client.verify_id_token(token, nonce=nonce)
    assert caught.value.status == 400
    return caught.value.message


def test_an_id_token_signed_by_the_provider_with_every_claim_right_is_accepted(
    provider: RunningProvider, client: Provider
) -> None:
    expected = claims(provider)
    assert client.verify_id_token(signed(provider.key, expected), nonce=NONCE) == expected


def test_an_id_token_with_another_nonce_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    token = signed(provider.key, claims(provider, nonce="the nonce of another sign-in"))
    assert refused(client, token) == (
        "The ID token's nonce is not the one this sign-in sent: it answers another sign-in, "
        "or was replayed. Start again."
    )
    no_nonce = signed(provider.key, claims(provider, nonce=None))
    assert refused(client, no_nonce).startswith("The ID token's nonce is not the one")


def test_an_id_token_signed_by_another_key_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    other = RSAKey.generate_key(2048, {"use": "sig"}, private=True, auto_kid=True)
    assert refused(client, signed(other, claims(provider))) == (
        "The ID token is signed by a key the provider does not publish; it did not come "
        "from the provider."
    )


def test_after_the_provider_rotates_its_key_its_new_tokens_are_accepted() -> None:
    redirect = "http://127.0.0.1:9/signin/oidc/callback"
    with running_provider(redirect) as before:
        client = Provider(before.issuer, before.client_id, before.client_secret)
        assert [key.kid for key in client.key_set()] == [before.key.kid]
    port = urlsplit(before.issuer).port
    assert port is not None
    with running_provider(redirect, port=port, key=new_key()) as after:
        assert after.issuer == before.issuer
        token = signed(after.key, claims(after))
        assert client.verify_id_token(token, nonce=NONCE)["sub"] == ALICE.sub  # keys refetched
        assert [key.kid for key in client.key_set()] == [after.key.kid]


def test_an_id_token_signed_by_another_key_under_the_providers_key_id_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    other = RSAKey.generate_key(2048, {"use": "sig", "kid": provider.key.kid}, private=True)
    assert other.kid == provider.key.kid
    assert refused(client, signed(other, claims(provider))) == (
        "The ID token's signature is wrong: it was not signed by the provider."
    )


def test_an_id_token_with_a_changed_claim_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    header, _, signature = signed(provider.key, claims(provider)).split(".")
    forged = claims(provider, sub=BOB.sub)
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    assert refused(client, f"{header}.{payload}.{signature}") == (
        "The ID token's signature is wrong: it was not signed by the provider."
    )


def test_an_unsigned_or_hmac_signed_id_token_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = f"{part({'alg': 'none'})}.{part(claims(provider))}."
    assert refused(client, unsigned) == (
        "The ID token is signed with 'none', not one of the algorithms the provider "
        "announces and ptghub accepts (RS256)."
    )
    secret = OctKey.import_key(provider.client_secret.encode(), {"kid": provider.key.kid})
    hmac_signed = signed(secret, claims(provider), alg="HS256")
    assert refused(client, hmac_signed).startswith("The ID token is signed with 'HS256'")
    assert refused(client, "not a token") == "The ID token is not a signed JWT."


def test_an_expired_id_token_is_refused(provider: RunningProvider, client: Provider) -> None:
    now = int(time.time())
    token = signed(provider.key, claims(provider, iat=now - 3600, exp=now - 600))
    assert refused(client, token) == "The ID token has expired; start the sign-in again."


def test_an_id_token_a_few_seconds_past_its_expiry_is_accepted(
    provider: RunningProvider, client: Provider
) -> None:
    now = int(time.time())
    token = signed(provider.key, claims(provider, iat=now - 300, exp=now - 5))
    assert client.verify_id_token(token, nonce=NONCE)["sub"] == ALICE.sub


def test_an_id_token_issued_in_the_future_is_refused(
    provider: RunningProvider, client: Provider
) -> None:
    now = int(time.time())
    token = signed(provider.key, claims(provider, iat=now + 3600, exp=now + 4000))
    assert refused(client, token) == (
        "The ID token says it was issued in the future; the provider's clock or this "
        "server's is wrong."
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"iss": "https://other.example"},
            "The ID token was issued by 'https://other.example', not by the configured provider.",
        ),
        ({"aud": "another-client"}, "The ID token was issued to another client, not to ptghub."),
        (
            {"aud": ["another-client", "ptghub-tests"], "azp": "another-client"},
            "The ID token was issued to several clients, ptghub not first.",
        ),
        ({"exp": None}, "The ID token lacks its expiry (exp) or issue time (iat)."),
        ({"sub": ""}, "The ID token names no subject (sub)."),
    ],
)
def test_an_id_token_with_a_wrong_claim_is_refused(
    provider: RunningProvider, client: Provider, changes: dict[str, Any], message: str
) -> None:
    assert refused(client, signed(provider.key, claims(provider, **changes))) == message


def test_discovery_must_name_the_configured_issuer(provider: RunningProvider) -> None:
    misnamed = Provider(provider.issuer + "/", provider.client_id, provider.client_secret)
    with pytest.raises(OidcRefused) as caught:
        misnamed.info()
    assert (caught.value.status, caught.value.message) == (
        502,
        f"The provider's discovery document names issuer {provider.issuer!r}, not the "
        f"configured {provider.issuer + '/'!r}; sign-in is refused until they agree.",
    )


def test_the_pkce_challenge_is_rfc_7636s_example() -> None:
    # RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
