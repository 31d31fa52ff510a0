"""The settings of running ptghub as a service: several processes, the database pool,
logs and metrics, live updates on PostgreSQL. ``settings.Settings`` inherits them; they
live apart only to keep each module short. Described in docs/deploy.md's table.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OperationsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PTGHUB_", extra="forbid")

    # -- Run once: the leases of the mail sender and the bots (several processes) -------
    lease_ttl: float = Field(
        default=20.0,
        ge=1.0,
        le=3600.0,
        description="Seconds a process's lease on the mail sender or a bot lasts unless "
        "renewed (every quarter of it); when its holder dies, another process takes over "
        "at most this plus lease_retry later.",
    )
    lease_retry: float = Field(
        default=5.0,
        gt=0,
        le=3600.0,
        description="Seconds between two attempts of a standby process (one whose mail "
        "sender or bot waits for another's lease) to take the lease over.",
    )

    # -- PostgreSQL connection pool (one per process; SQLite has none) -----------------
    db_pool_size: int = Field(
        default=5,
        ge=1,
        description="PostgreSQL connections each ptghub process keeps open for reuse.",
    )
    db_pool_max_overflow: int = Field(
        default=10,
        ge=0,
        description="Connections a process may open beyond db_pool_size when all are busy; "
        "closed again when returned. A process never holds more than the two together.",
    )
    db_pool_timeout: float = Field(
        default=5.0,
        gt=0,
        description="Seconds a request waits for a free connection when the process holds "
        "its most; then it gets 503 with Retry-After.",
    )
    db_connect_timeout: int = Field(
        default=5,
        ge=2,
        description="Seconds to wait for PostgreSQL to accept a new connection (libpq's "
        "connect_timeout, which counts whole seconds, 2 at least); a connect_timeout in "
        "the database URL wins.",
    )

    # -- Operations: logs and metrics (docs/monitoring.md) --------------------------
    log_format: Literal["text", "json"] = Field(
        default="text", description="'text': lines for people; 'json': one JSON object a line."
    )
    metrics_token: str | None = Field(
        default=None, description="When set, /metrics wants 'Authorization: Bearer <token>'."
    )

    # -- Live updates: how a web server learns of changes on PostgreSQL ----------------
    live_notify: bool = Field(
        default=True,
        description="On PostgreSQL, wake the live updates with LISTEN/NOTIFY when a change "
        "commits, reading the database only then and every live_safety_poll seconds. Off: "
        "poll every viewed event's version 50 times a second, as on SQLite.",
    )
    live_safety_poll: float = Field(
        default=5.0,
        gt=0,
        description="Seconds between two reads of a viewed event while notifications wake "
        "the live updates: the longest a change whose notification was lost waits.",
    )
