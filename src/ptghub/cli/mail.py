"""``ptghub mail``: the outbox's sender worker, and what organizers check and clear.

``worker`` runs the sender (``ptghub.mail``) on its own, for a deployment that keeps it
apart from the web server (``ptghub serve`` runs one too when SMTP is configured; of all
of them, the one holding the "mail" lease sends, and no mail is sent twice). ``list``
shows the outbox, ``paused`` the addresses mail is no longer sent to, ``unpause`` opens
one again, ``test`` queues a mail to check the settings end to end. docs/mail.md
describes all of it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ptghub.cli.context import err, out, reports_errors, state_of
from ptghub.core.errors import InvalidInput
from ptghub.logs import configure as configure_logs
from ptghub.settings import Settings
from ptghub.store.outbox import STATES, OutboxEntry

if TYPE_CHECKING:
    from ptghub.mail.sender import MailWorker
    from ptghub.store.store import Store

mail_app = typer.Typer(
    help="Mail: the outbox, its sender worker, paused addresses (docs/mail.md).",
    no_args_is_help=True,
)

MAIL_LEASE = "mail"  # the lease of the one process that sends (store.leases)
NO_SMTP = (
    "Mail: not sent, PTGHUB_SMTP_HOST is unset; mail waits in the outbox ('ptghub mail list')."
)


def mail_worker_for(store: Store, settings: Settings) -> tuple[MailWorker | None, str]:
    """The sender for ``settings`` (None when SMTP is not configured) and the line that
    says whether mail is sent; a configuration that cannot work is refused (InvalidInput)."""
    from ptghub.mail.config import SmtpConfig

    config = SmtpConfig.from_settings(settings)
    if config is None:
        return None, NO_SMTP
    from ptghub.mail.sender import MailWorker

    # Follow notices link to the site: its public address, else where 'serve' listens.
    site = settings.public_url or "http://localhost:8000"
    return MailWorker(store, config, site=site), f"Mail: sent through {config.describe()}"


def _at(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}"


def describe(entry: OutboxEntry) -> str:
    """One line of ``mail list``."""
    when = {
        "sent": f"sent {_at(entry.sent_at)}",
        "queued": f"next attempt {_at(entry.next_attempt_at)}",
        "sending": f"sending since {_at(entry.claimed_at)}",
    }.get(entry.state, f"queued {_at(entry.created_at)}")
    error = f"  last error: {entry.last_error}" if entry.last_error else ""
    return (
        f"#{entry.id}  {entry.state}  {entry.to_address}  {entry.kind}  "
        f'"{entry.subject}"  {entry.attempts} attempt(s)  {when}{error}'
    )


@mail_app.command("worker")
@reports_errors
def mail_worker(
    ctx: typer.Context,
    poll: Annotated[
        float,
        typer.Option(min=0.1, help="Seconds between two looks at the outbox when idle."),
    ] = 2.0,
) -> None:
    """Send the outbox's mail over SMTP until Ctrl-C or SIGTERM.

    Settings PTGHUB_SMTP_HOST, _PORT, _SECURITY (none, starttls, tls), _USERNAME,
    _PASSWORD, _FROM, _TIMEOUT, _CA_FILE (docs/mail.md). Any number of workers (and
    'ptghub serve') may run on one database: one sends, the others wait to take over
    (settings PTGHUB_LEASE_TTL, PTGHUB_LEASE_RETRY).
    """
    from ptghub.cli.leased import leased, run_until_signal

    state = state_of(ctx)
    store = state.store()
    worker, line = mail_worker_for(store, state.settings)
    if worker is None:
        raise InvalidInput("PTGHUB_SMTP_HOST is unset: there is no SMTP server to send through.")
    worker.poll = poll
    configure_logs(state.settings.log_format)
    out.print(Text(f"{line} (Ctrl-C stops it)"))
    # The mail being sent is finished and recorded before the lease is given up.
    run_until_signal(leased(store, state.settings, MAIL_LEASE, "Mail sender", lambda: worker))
    err.print(Text("ptghub mail worker stopped."))


@mail_app.command("list")
@reports_errors
def mail_list(
    ctx: typer.Context,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help=f"Only mail in this state ({', '.join(STATES)}); repeat for several.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """The outbox, newest first: each mail's state, address, kind, subject, attempts."""
    outbox = state_of(ctx).store().outbox
    entries = outbox.entries(state or (), limit=limit)
    if as_json:
        fields = ("id", "message_id", "to_address", "kind", "subject", "state", "attempts")
        rows = [
            {
                **{name: getattr(e, name) for name in fields},
                "created_at": e.created_at.isoformat(),
                "next_attempt_at": e.next_attempt_at.isoformat(),
                "sent_at": e.sent_at and e.sent_at.isoformat(),
                "last_error": e.last_error,
            }
            for e in entries
        ]
        out.print(Text(json.dumps(rows, indent=2)))
        return
    counts = outbox.counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in STATES if s in counts) or "empty"
    out.print(Text(f"Outbox: {summary}."))
    for entry in entries:
        out.print(Text(describe(entry)))


@mail_app.command("paused")
@reports_errors
def mail_paused(ctx: typer.Context) -> None:
    """The addresses no mail is sent to since they refused it for good, and why."""
    paused = state_of(ctx).store().outbox.suppressions()
    if not paused:
        out.print(Text("No address is paused."))
    for item in paused:
        out.print(Text(f"{item.address}  since {_at(item.at)}  {item.reason}"))


@mail_app.command("unpause")
@reports_errors
def mail_unpause(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="The paused address, as 'mail paused' shows it.")],
    send_held: Annotated[
        bool,
        typer.Option(
            "--send-held",
            help="Also send the mail held for it while it was paused (default: it stays unsent).",
        ),
    ] = False,
) -> None:
    """Send mail to a paused address again (after its owner fixed their mailbox)."""
    released = state_of(ctx).store().outbox.unpause(address, send_held=send_held)
    held = f" {released} held mail(s) queued again." if send_held else ""
    out.print(Text(f"{address.strip()} is no longer paused.{held}"))


@mail_app.command("test")
@reports_errors
def mail_test(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="Where to send it, e.g. your own address.")],
) -> None:
    """Queue a short test mail to ADDRESS, to check the SMTP settings end to end."""
    state = state_of(ctx)
    message_id = state.store().outbox.enqueue(
        to=address,
        subject="ptghub test mail",
        text="This is a test mail from ptghub: its SMTP settings work.",
        kind="test",
    )
    out.print(
        Text(
            f"Queued {message_id} to {address.strip()}; 'ptghub serve' or 'ptghub mail "
            "worker' sends it, 'ptghub mail list' shows how it went."
        )
    )
