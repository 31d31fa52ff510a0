"""Organizers' announcements by mail: drafts, their audiences, sending, the archive.

An announcement is a draft (subject, Markdown, audience) until it is sent; then it is
``sent`` for good, with when and to how many, and the event's site shows it. Its
audience is one of ``AUDIENCES``:

- ``updates-list``: the confirmed addresses of the event's updates list;
- ``registrants``: everyone registered (``registrations.state`` 'registered');
- ``role``: the registrants who gave that role (``audience_value``);
- ``chairs``: the people behind the nicks holding a chair role of the event;
- ``followers``: the people following the team ``audience_value`` (its key).

A person is mailed at their first verified address (the one their account lists first).
Each address gets one mail per announcement, and none when it unsubscribed from the event
(an ``updates_subscribers`` row ``unsubscribed``: the opt-out holds whatever the
audience). ``send`` queues every mail and marks the announcement sent in one
transaction: all of them or none, and a second send is refused (the mark is an
``UPDATE ... WHERE state = 'draft'``, so of two racing sends exactly one queues mail).
Rendering the Markdown is the caller's (``web.announcement_mail``): the store takes the
text and HTML parts, and adds to each mail its unsubscribe link and the RFC 8058 headers.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, insert, select, update

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.core.validate import shorten
from ptghub.store import tables as t
from ptghub.store.accounts import address_key
from ptghub.store.audiences import recipients_of
from ptghub.store.engine import writing
from ptghub.store.outbox import Outbox
from ptghub.store.registration_reports import outdated_addresses
from ptghub.store.updates_list import UpdatesList, find_event_id

AUDIENCES = ("updates-list", "registrants", "role", "chairs", "followers")
NEEDS_VALUE = {"role": "a role, such as developer", "followers": "a team"}
DRAFT = "draft"
SENT = "sent"
MAX_SUBJECT = 200
MAX_BODY = 50_000
KIND = "announcement"
TEST_KIND = "announcement-test"


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    person_id: int | None
    subject: str
    body_markdown: str
    audience: str
    audience_value: str
    state: str
    created_at: datetime
    sent_at: datetime | None
    recipients: int


@dataclass(frozen=True, slots=True)
class Parts:
    """What one announcement says: its subject, the Markdown (the text part) and the
    sanitized HTML (the HTML part's content)."""

    subject: str
    text: str
    html: str


# The unsubscribe link of a token (the web knows the site's address).
LinkOf = Callable[[str], str]
# An announcement's mail parts (the web renders the Markdown).
Compose = Callable[[Announcement], Parts]


def check_draft(subject: str, body: str, audience: str, value: str) -> tuple[str, str, str, str]:
    """The fields of a draft as stored; InvalidInput saying what is wrong and expected."""
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    value = value.strip()
    if not subject:
        raise InvalidInput("An announcement needs a subject: the mail's subject line.")
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(f"The subject is too long: at most {MAX_SUBJECT} characters.")
    if not body:
        raise InvalidInput("An announcement needs a text (Markdown): it is the mail's body.")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"The text is too long: at most {MAX_BODY} characters.")
    if audience not in AUDIENCES:
        raise InvalidInput(
            f"'{shorten(audience, 40)}' is not an audience; use one of {', '.join(AUDIENCES)}."
        )
    if audience in NEEDS_VALUE:
        if not value:
            raise InvalidInput(f"The audience {audience} needs {NEEDS_VALUE[audience]}.")
        if len(value) > 20 and audience == "role":
            raise InvalidInput("A role has at most 20 characters, such as developer.")
    else:
        value = ""
    return subject, body, audience, value


def footer_text(event_name: str, link: str) -> str:
    return (
        f"\n\n-- \nYou get this mail about {event_name}. To get no more of its "
        f"announcements, unsubscribe: {link}\n"
    )


def footer_html(event_name: str, link: str) -> str:
    return (
        f'<hr><p style="font-size:small">You get this mail about {html.escape(event_name)}. '
        f'<a href="{html.escape(link)}">Unsubscribe</a> to get no more of its '
        "announcements.</p>"
    )


class Announcements:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], outbox: Outbox, updates: UpdatesList
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.outbox = outbox
        self.updates = updates

    # -- drafts ----------------------------------------------------------------------

    def create(
        self, event: str, person_id: int | None, subject: str, body: str, audience: str, value: str
    ) -> int:
        subject, body, audience, value = check_draft(subject, body, audience, value)
        with writing(self.engine) as conn:
            event_id = find_event_id(conn, event)
            self._check_team(conn, event_id, audience, value)
            result = conn.execute(
                insert(t.announcements).values(
                    event_id=event_id,
                    person_id=person_id,
                    subject=subject,
                    body_markdown=body,
                    audience=audience,
                    audience_value=value,
                    state=DRAFT,
                    created_at=self.clock(),
                )
            )
            assert result.inserted_primary_key is not None
            return int(result.inserted_primary_key[0])

    def update(
        self, event: str, number: int, subject: str, body: str, audience: str, value: str
    ) -> bool:
        """Change a draft; whether anything changed. Conflict when it was sent."""
        subject, body, audience, value = check_draft(subject, body, audience, value)
        with writing(self.engine) as conn:
            event_id = find_event_id(conn, event)
            found = self._draft(conn, event_id, number)
            self._check_team(conn, event_id, audience, value)
            fields = {
                "subject": subject,
                "body_markdown": body,
                "audience": audience,
                "audience_value": value,
            }
            if all(getattr(found, k) == v for k, v in fields.items()):
                return False
            conn.execute(
                update(t.announcements).where(t.announcements.c.id == number).values(fields)
            )
            return True

    def delete(self, event: str, number: int) -> None:
        """Delete a draft; Conflict when it was sent (the archive keeps it)."""
        with writing(self.engine) as conn:
            event_id = find_event_id(conn, event)
            self._draft(conn, event_id, number)
            conn.execute(delete(t.announcements).where(t.announcements.c.id == number))

    def get(self, event: str, number: int) -> Announcement:
        with self.engine.connect() as conn:
            return self._get(conn, find_event_id(conn, event), number)

    def all(self, event: str, *, sent_only: bool = False) -> list[Announcement]:
        """The event's announcements, newest first (only those sent: the archive)."""
        a = t.announcements.c
        with self.engine.connect() as conn:
            query = _SELECT.where(a.event_id == find_event_id(conn, event))
            if sent_only:
                query = query.where(a.state == SENT)
            query = query.order_by(a.sent_at.desc().nulls_first(), a.id.desc())
            return [Announcement(*row) for row in conn.execute(query)]

    def _get(self, conn: Connection, event_id: int, number: int) -> Announcement:
        a = t.announcements.c
        row = conn.execute(_SELECT.where(a.event_id == event_id, a.id == number)).first()
        if row is None:
            raise NotFound(f"The event has no announcement {number}.")
        return Announcement(*row)

    def _draft(self, conn: Connection, event_id: int, number: int) -> Announcement:
        found = self._get(conn, event_id, number)
        if found.state != DRAFT:
            raise Conflict(
                f"The announcement '{shorten(found.subject, 60)}' was sent already; it "
                "cannot be changed, deleted or sent again."
            )
        return found

    def _check_team(self, conn: Connection, event_id: int, audience: str, value: str) -> None:
        if audience != "followers":
            return
        teams = t.teams.c
        known = conn.execute(
            select(teams.key).where(teams.event_id == event_id, teams.key == value)
        ).first()
        if known is None:
            raise InvalidInput(f"The event has no team '{shorten(value, 40)}' to send to.")

    # -- audiences ---------------------------------------------------------------------

    def recipients(self, event: str, audience: str, value: str = "") -> list[str]:
        """The addresses ``audience`` reaches now: once each, without opt-outs."""
        with self.engine.connect() as conn:
            return recipients_of(conn, find_event_id(conn, event), audience, value)

    def roles(self, event: str) -> list[str]:
        """The roles registrants gave, for the audience menu."""
        r = t.registrations.c
        with self.engine.connect() as conn:
            query = (
                select(r.role)
                .where(r.event_id == find_event_id(conn, event))
                .distinct()
                .order_by(r.role)
            )
            return [str(role) for role in conn.execute(query).scalars()]

    # -- sending -----------------------------------------------------------------------

    def send(
        self,
        event: str,
        number: int,
        compose: Compose,
        link: LinkOf,
        event_name: str,
        coc_link: str | None = None,
    ) -> int:
        """Queue the announcement to its audience and mark it sent, in one transaction;
        how many mails were queued; Conflict when it was sent already. The mail asks those
        who accepted an older code of conduct to accept it again at ``coc_link``."""
        event_id = self.updates.event_id(event)
        token = self.updates.unsubscribe_tokens(event_id)  # the secret, outside the lock
        with writing(self.engine) as conn:
            found = self._draft(conn, event_id, number)
            parts = compose(found)  # the text as it is now, in this transaction
            addresses = recipients_of(conn, event_id, found.audience, found.audience_value)
            a = t.announcements.c
            marked = conn.execute(
                update(t.announcements)
                .where(a.id == number, a.state == DRAFT)
                .values(state=SENT, sent_at=self.clock(), recipients=len(addresses))
            )
            if marked.rowcount != 1:  # sent by another request meanwhile
                raise Conflict("This announcement was sent already; it is not sent again.")
            outdated = {address_key(a) for a in outdated_addresses(conn, event_id)}
            for address in addresses:
                ask = coc_link if address_key(address) in outdated else None
                mail = _asking_to_accept(parts, event_name, ask) if ask else parts
                self._enqueue(conn, address, mail, link(token(address)), event_name, KIND)
        self._wake()
        return len(addresses)

    def send_test(
        self, event: str, number: int, to: str, compose: Compose, link: LinkOf, event_name: str
    ) -> None:
        """Queue the announcement to ``to`` alone (the organizer's own address), marked
        as a test in its subject; the announcement stays a draft."""
        event_id = self.updates.event_id(event)
        token = self.updates.unsubscribe_tokens(event_id)
        with self.engine.connect() as conn:
            parts = compose(self._get(conn, event_id, number))
        test = Parts(f"[Test] {parts.subject}", parts.text, parts.html)
        self._enqueue(None, to, test, link(token(to)), event_name, TEST_KIND)

    def _enqueue(
        self,
        conn: Connection | None,
        address: str,
        parts: Parts,
        link: str,
        event_name: str,
        kind: str,
    ) -> None:
        self.outbox.enqueue(
            to=address,
            subject=parts.subject,
            text=parts.text + footer_text(event_name, link),
            html=_document(parts.html + footer_html(event_name, link)),
            kind=kind,
            # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the link.
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            conn=conn,
        )

    def _wake(self) -> None:
        for listener in list(self.outbox.listeners):
            listener()


def _asking_to_accept(parts: Parts, event_name: str, coc_link: str) -> Parts:
    """The mail with, first, the request to accept the changed code of conduct."""
    text = f"The code of conduct of {event_name} has changed: please read and accept it: "
    return Parts(
        parts.subject,
        f"{text}{coc_link}\n\n{parts.text}",
        f'<p><strong>{html.escape(text)}<a href="{html.escape(coc_link)}">'
        f"{html.escape(coc_link)}</a></strong></p>{parts.html}",
    )


def _document(body: str) -> str:
    head = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
    return f"{head}{body}\n</body></html>\n"


_A = t.announcements.c
_SELECT: Select[Any] = select(
    _A.id,
    _A.person_id,
    _A.subject,
    _A.body_markdown,
    _A.audience,
    _A.audience_value,
    _A.state,
    _A.created_at,
    _A.sent_at,
    _A.recipients,
)
