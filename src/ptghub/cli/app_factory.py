"""The web app of one server process, built from the settings alone.

``ptghub serve --workers N`` builds each worker's app here (``worker_app``), and so can an
external process manager: ``app_from_environment`` reads the ``PTGHUB_*`` settings of the
environment (and ``PTGHUB_CONFIG``) the way every command does, e.g.

    uvicorn --factory ptghub.cli.app_factory:app_from_environment --workers 4

Each process gets its own Store (its own engine and connection pool), the limits of the
settings, and the companions that ``serve`` runs beside the server: the mail sender when
``PTGHUB_SMTP_HOST`` is set, the IRC bot when asked for. It lives under ``cli`` because
the mail sender and the bot are started by the command line only (the import contracts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import Companion


def open_store(settings: Settings, clock: Callable[[], datetime] | None = None) -> Store:
    """The store of ``settings`` on ``clock`` (default: the settings' own clock)."""
    url, clock = settings.effective_database_url, clock or settings.make_clock()
    store = Store.open(url) if clock is None else Store.open(url, clock=clock)
    store.outbox.domain = settings.mail_domain  # in every Message-ID
    return store


def companions_for(store: Store, settings: Settings, *, irc: bool = False) -> list[Companion]:
    """What runs beside the web server in this process: the mail sender when SMTP is
    configured, the IRC bot with ``irc`` (settings ``PTGHUB_IRC_*``)."""
    from ptghub.cli.mail import mail_worker_for

    companions: list[Companion] = []
    mailer, _ = mail_worker_for(store, settings)
    if mailer is not None:
        companions.append(mailer)
    if irc:
        from ptghub.bot.irc.adapter import IrcBot
        from ptghub.bot.irc.config import IrcConfig

        companions.append(IrcBot(store, IrcConfig.from_settings(settings)))
    return companions


def worker_app(
    settings: Settings,
    clock: Callable[[], datetime] | None = None,
    *,
    irc: bool = False,
    companions: Sequence[Companion] = (),
) -> FastAPI:
    """The app of one worker: its own store on ``clock``, its companions, its limits."""
    from ptghub.web.app import create_app
    from ptghub.web.limits import WebLimits

    store = open_store(settings, clock)
    app = create_app(
        store,
        settings,
        limits=WebLimits.from_settings(settings),
        companions=[*companions, *companions_for(store, settings, irc=irc)],
    )
    serving = app.router.lifespan_context

    @asynccontextmanager
    async def closing_the_store(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with serving(app):
                yield
        finally:  # after the live feed and the companions, which read it to the end
            store.close()

    app.router.lifespan_context = closing_the_store
    return app


def app_from_environment() -> FastAPI:
    """The app for an external process manager (uvicorn ``--factory``, gunicorn's uvicorn
    worker): one per worker process, from the ``PTGHUB_*`` settings of its environment."""
    return worker_app(Settings())
