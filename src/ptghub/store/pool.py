"""The PostgreSQL connection pool of one ptghub process: its limits, and why it is
SQLAlchemy's own.

Each process (each web worker, each ``ptghub`` command) has one engine, and the engine one
``QueuePool``: ``size`` connections kept open, up to ``max_overflow`` more while all are
busy, a caller waiting at most ``timeout`` seconds for one (then
``sqlalchemy.exc.TimeoutError``, which the web app answers with 503), and a new
connection given up after ``connect_timeout`` seconds. Every checkout is pinged first
(``pool_pre_ping``): a connection that died with a database restart is dropped and
replaced there, and the error of one dead connection invalidates every connection opened
before it, so a restarted server costs one failed ping, not one per pooled connection.

Why not psycopg's pool (``psycopg_pool.ConnectionPool``) under SQLAlchemy: SQLAlchemy
hands out and takes back the DBAPI connections of its engine itself. Under SQLAlchemy's
``QueuePool`` a second pool doubles every limit and hides dead connections from
SQLAlchemy's pre-ping; under ``NullPool`` (``creator=pool.getconn``) SQLAlchemy closes
each connection on return (handing it back only with ``close_returns``), runs the
dialect's set-up of a new connection on every checkout, and its pre-ping and disconnect
invalidation no longer apply: psycopg's pool would then have to find the dead ones
itself. One pool, SQLAlchemy's, does all of it with no extra thread and no dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import URL

if TYPE_CHECKING:
    from ptghub.settings import Settings


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """The pool's limits (defaults as in ``Settings``); see the module's docstring."""

    size: int = 5
    max_overflow: int = 10
    timeout: float = 5.0
    connect_timeout: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> PoolLimits:
        return cls(
            size=settings.db_pool_size,
            max_overflow=settings.db_pool_max_overflow,
            timeout=settings.db_pool_timeout,
            connect_timeout=settings.db_connect_timeout,
        )


def postgres_engine_options(url: URL, limits: PoolLimits) -> dict[str, Any]:
    """``create_engine`` arguments for a PostgreSQL ``url`` pooled within ``limits``."""
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_size": limits.size,
        "max_overflow": limits.max_overflow,
        "pool_timeout": limits.timeout,
    }
    if "connect_timeout" not in url.query:  # the operator's URL says otherwise
        options["connect_args"] = {"connect_timeout": limits.connect_timeout}
    return options
