"""What one client may take from the web server: body sizes, rates, connections, streams.

One frozen value, built from the settings by ``ptghub serve`` (``WebLimits.from_settings``)
or left at its defaults by ``create_app(store)``. The ASGI side (``web.guard``) applies
the body sizes, the rates and the streams per client; the connection side
(``web.server``) the connection counts and the header timeout.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.core.ratelimit import Rate
from ptghub.settings import Settings

KB = 1024
AUTH_FAILURES = Rate(20, 60.0)
WRITES = Rate(300, 60.0, 60)


@dataclass(frozen=True, slots=True)
class WebLimits:
    """``max_body``: bytes of any request body; ``max_command_body``: of a command sent to
    ``POST /api/v1/events/SLUG/commands`` (a line of text needs far less than a megabyte);
    ``auth_failures``: failed authentications per client address; ``writes``: writes per
    token; ``max_connections``: open connections in all; ``max_connections_per_client``:
    from one address other than ``trusted_proxies``; ``max_streams_per_client``: live
    streams from one client address; ``header_timeout``: seconds to send the headers."""

    max_body: int = 1024 * KB
    max_command_body: int = 16 * KB
    auth_failures: Rate = AUTH_FAILURES
    writes: Rate = WRITES
    max_connections: int = 1000
    max_connections_per_client: int = 200
    max_streams_per_client: int = 50
    header_timeout: float = 10.0
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)

    def __post_init__(self) -> None:
        counts = {
            "max_body": self.max_body,
            "max_command_body": self.max_command_body,
            "max_connections": self.max_connections,
            "max_connections_per_client": self.max_connections_per_client,
            "max_streams_per_client": self.max_streams_per_client,
        }
        for name, value in counts.items():
            if value < 1:
                raise ValueError(f"the web limit {name} must be at least 1, not {value}")
        if self.header_timeout <= 0:
            raise ValueError(f"the header timeout must be positive, not {self.header_timeout}")

    @classmethod
    def from_settings(cls, settings: Settings) -> WebLimits:
        proxies = tuple(p.strip() for p in settings.web_trusted_proxies.split(",") if p.strip())
        return cls(
            max_body=settings.web_max_body,
            max_command_body=settings.web_max_command_body,
            auth_failures=Rate.parse(settings.web_auth_failures),
            writes=Rate.parse(settings.web_writes_per_token),
            max_connections=settings.web_max_connections,
            max_connections_per_client=settings.web_max_connections_per_client,
            max_streams_per_client=settings.web_max_streams_per_client,
            header_timeout=settings.web_header_timeout,
            trusted_proxies=proxies,
        )
