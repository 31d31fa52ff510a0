"""The OpenID Connect relying party: what ptghub says to the provider, and what it checks.

- Discovery: ``ISSUER/.well-known/openid-configuration``, kept for an hour; its
  ``issuer`` must be the configured one, character for character (OpenID Connect
  Discovery 1.0, section 4.3), so one provider cannot speak for another.
- The authorization request: the code flow, PKCE with S256, a fresh ``state`` and
  ``nonce`` each time (made and kept by ``web.oidc``).
- The token request: ``client_secret_basic`` unless the provider supports only
  ``client_secret_post``.
- The ID token (``verify_id_token``): its signature against the provider's published keys
  (JWKS, fetched again once when a token names a key not in it: the provider rotated its
  keys), with an asymmetric algorithm the provider announces; then ``iss``, ``aud`` (and
  ``azp`` when there are several audiences), ``exp`` and ``iat`` with a minute of leeway,
  ``nonce`` and ``sub``. JOSE is joserfc's; nothing here does cryptography by hand.
- Userinfo, when the ID token does not carry the address: its ``sub`` must be the ID
  token's (section 5.3.2), else the answer is someone else's.

Every refusal is an ``OidcRefused`` whose message says what went wrong; ``web.oidc`` shows
it as a page. The clock is real time (``time.time``), not the site's simulated clock:
tokens are stamped by the provider's real clock.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

METADATA_TTL = 3600.0  # seconds discovery is kept
LEEWAY = 60  # seconds of clock difference allowed on exp and iat
HTTP_TIMEOUT = 10.0
# Asymmetric signatures only: HS256 would make the client secret a signing key, and
# "none" signs nothing.
ALGORITHMS = frozenset(
    ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
) | {"Ed25519"}


class OidcRefused(Exception):
    """A sign-in that cannot go on: shown as a page with ``status``, ``title``, ``message``."""

    def __init__(self, message: str, *, status: int = 400, title: str = "Sign-in refused") -> None:
        super().__init__(message)
        self.message, self.status, self.title = message, status, title


def _unreachable(what: str, error: Exception) -> OidcRefused:
    return OidcRefused(
        f"The sign-in provider could not be reached for its {what} ({type(error).__name__}); "
        "try again in a moment.",
        status=502,
        title="Sign-in provider unavailable",
    )


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """The parts of the provider's discovery document ptghub uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    token_auth_methods: tuple[str, ...]
    algorithms: tuple[str, ...]
    iss_parameter: bool  # RFC 9207: the authorization response names its issuer


@dataclass(frozen=True, slots=True)
class Tokens:
    id_token: str
    access_token: str | None


def pkce_challenge(verifier: str) -> str:
    """RFC 7636's S256 code challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _strings(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return default


class Provider:
    """One OpenID Connect provider, as ptghub's client ``client_id`` sees it. Thread-safe:
    the web server's worker threads share it; discovery and keys are cached."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.issuer, self.client_id, self.client_secret = issuer, client_id, client_secret
        self.now = now
        self._lock = threading.Lock()
        self._info: tuple[float, ProviderInfo] | None = None
        self._keys: KeySet | None = None

    # -- discovery and keys -------------------------------------------------------------

    def info(self) -> ProviderInfo:
        with self._lock:
            if self._info is not None and self.now() - self._info[0] < METADATA_TTL:
                return self._info[1]
        info = self._discover()
        with self._lock:
            self._info = (self.now(), info)
        return info

    def _get_json(self, url: str, what: str, **kwargs: Any) -> dict[str, Any]:
        try:
            with _client() as http:
                answer = http.get(url, **kwargs)
        except httpx.HTTPError as error:
            raise _unreachable(what, error) from None
        if answer.status_code != 200:
            raise OidcRefused(
                f"The sign-in provider answered {answer.status_code} for its {what}.",
                status=502,
                title="Sign-in provider unavailable",
            )
        try:
            found = answer.json()
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise OidcRefused(
                f"The sign-in provider's {what} is not a JSON object.",
                status=502,
                title="Sign-in provider unavailable",
            )
        return found

    def _discover(self) -> ProviderInfo:
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        doc = self._get_json(url, "discovery document")
        if doc.get("issuer") != self.issuer:
            raise OidcRefused(
                f"The provider's discovery document names issuer {str(doc.get('issuer'))[:100]!r}, "
                f"not the configured {self.issuer!r}; sign-in is refused until they agree.",
                status=502,
                title="Sign-in provider misconfigured",
            )
        needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        missing = [name for name in needed if not isinstance(doc.get(name), str)]
        if missing:
            raise OidcRefused(
                f"The provider's discovery document lacks {', '.join(missing)}.",
                status=502,
                title="Sign-in provider misconfigured",
            )
        userinfo = doc.get("userinfo_endpoint")
        return ProviderInfo(
            issuer=self.issuer,
            authorization_endpoint=doc["authorization_endpoint"],
            token_endpoint=doc["token_endpoint"],
            jwks_uri=doc["jwks_uri"],
            userinfo_endpoint=userinfo if isinstance(userinfo, str) else None,
            token_auth_methods=_strings(
                doc.get("token_endpoint_auth_methods_supported"), ("client_secret_basic",)
            ),
            algorithms=_strings(doc.get("id_token_signing_alg_values_supported"), ("RS256",)),
            iss_parameter=doc.get("authorization_response_iss_parameter_supported") is True,
        )

    def key_set(self, *, refresh: bool = False) -> KeySet:
        """The provider's published signing keys (fetched once, again when ``refresh``)."""
        with self._lock:
            if self._keys is not None and not refresh:
                return self._keys
        doc = self._get_json(self.info().jwks_uri, "signing keys")
        try:
            keys = KeySet.import_key_set(doc)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError):
            raise OidcRefused(
                "The provider's signing keys (JWKS) could not be read.",
                status=502,
                title="Sign-in provider misconfigured",
            ) from None
        with self._lock:
            self._keys = keys
        return keys

    # -- the code flow ------------------------------------------------------------------

    def authorization_url(
        self, *, redirect_uri: str, scopes: str, state: str, nonce: str, verifier: str
    ) -> str:
        endpoint = self.info().authorization_endpoint
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    def exchange_code(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        """The provider's tokens for an authorization ``code`` (the token request)."""
        info = self.info()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {"Accept": "application/json"}
        if "client_secret_basic" in info.token_auth_methods or (
            "client_secret_post" not in info.token_auth_methods
        ):
            # RFC 6749, 2.3.1: id and secret are form-encoded before they are joined.
            pair = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form |= {"client_id": self.client_id, "client_secret": self.client_secret}
        try:
            with _client() as http:
                answer = http.post(info.token_endpoint, data=form, headers=headers)
        except httpx.HTTPError as error:
            raise _unreachable("token endpoint", error) from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        if answer.status_code != 200:
            code = str(body.get("error", answer.status_code))[:100]
            detail = str(body.get("error_description", ""))[:300]
            raise OidcRefused(
                f"The provider refused to exchange the sign-in code ({code}"
                f"{': ' + detail if detail else ''}). Start again.",
            )
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("The provider's token answer holds no ID token.", status=502)
        access = body.get("access_token")
        return Tokens(id_token, access if isinstance(access, str) else None)

    # -- the ID token -------------------------------------------------------------------

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The claims of ``id_token`` once its signature and claims hold (see the module's
        docstring); ``OidcRefused`` saying which check failed otherwise."""
        try:
            header = jws.extract_compact(id_token.encode("ascii")).protected
        except (JoseError, ValueError, UnicodeError):
            raise OidcRefused("The ID token is not a signed JWT.") from None
        allowed = [a for a in self.info().algorithms if a in ALGORITHMS]
        if header.get("alg") not in allowed:
            raise OidcRefused(
                f"The ID token is signed with {str(header.get('alg'))[:20]!r}, not one of the "
                f"algorithms the provider announces and ptghub accepts ({', '.join(allowed)})."
            )
        kid = header.get("kid")
        keys = self.key_set()
        if kid is not None and not _has_kid(keys, kid):
            keys = self.key_set(refresh=True)  # the provider may have rotated its keys
            if not _has_kid(keys, kid):
                raise OidcRefused(
                    "The ID token is signed by a key the provider does not publish; it did "
                    "not come from the provider."
                )
        try:
            claims = jwt.decode(id_token, keys, algorithms=allowed).claims
        except JoseError:
            raise OidcRefused(
                "The ID token's signature is wrong: it was not signed by the provider."
            ) from None
        self._check_claims(claims, nonce)
        return claims

    def _check_claims(self, claims: dict[str, Any], nonce: str) -> None:
        if claims.get("iss") != self.issuer:
            raise OidcRefused(
                f"The ID token was issued by {str(claims.get('iss'))[:100]!r}, not by the "
                "configured provider."
            )
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.client_id not in audiences:
            raise OidcRefused("The ID token was issued to another client, not to ptghub.")
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise OidcRefused("The ID token was issued to several clients, ptghub not first.")
        now = self.now()
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int | float) or not isinstance(iat, int | float):
            raise OidcRefused("The ID token lacks its expiry (exp) or issue time (iat).")
        if exp + LEEWAY < now:
            raise OidcRefused("The ID token has expired; start the sign-in again.")
        if iat - LEEWAY > now:
            raise OidcRefused(
                "The ID token says it was issued in the future; the provider's clock or "
                "this server's is wrong."
            )
        if not isinstance(claims.get("nonce"), str) or claims["nonce"] != nonce:
            raise OidcRefused(
                "The ID token's nonce is not the one this sign-in sent: it answers another "
                "sign-in, or was replayed. Start again."
            )
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise OidcRefused("The ID token names no subject (sub).")

    def userinfo(self, access_token: str, *, subject: str) -> dict[str, Any]:
        """The provider's userinfo for ``subject`` ({} when it has no userinfo endpoint)."""
        endpoint = self.info().userinfo_endpoint
        if endpoint is None:
            return {}
        found = self._get_json(
            endpoint, "user information", headers={"Authorization": f"Bearer {access_token}"}
        )
        if found.get("sub") != subject:
            raise OidcRefused("The provider's user information is about someone else.")
        return found


def _client() -> httpx.Client:
    # A client per exchange: a sign-in makes a few requests, and nothing is left open
    # between them (discovery and keys are cached, not connections). No redirects: every
    # address here comes from the provider's own discovery document.
    return httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=False)


def _has_kid(keys: KeySet, kid: object) -> bool:
    return any(key.kid == kid for key in keys)
