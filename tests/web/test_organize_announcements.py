"""The organizers' announcements: preview, a test to oneself, one send to an audience,
the archive; mail that waits in the outbox while the SMTP server is down and arrives
once each when it is back; Markdown that cannot carry a script anywhere."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.attendee_rows import EVENT, follower, registrant
from tests.mailserver import MailServer
from tests.support import Clock
from tests.web.mailed_links import main_text
from tests.web.organizing import organizer
from tests.web.signing_in import SignedInClient

ANNOUNCE = f"/events/{EVENT}/organize/announcements"
XSS = (
    "# News\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert('y')\">\n\n"
    "[click](javascript:alert('z')) <a href=\"javascript:alert('w')\">here</a> "
    '<b style="color:red" onclick="alert(\'v\')">bold</b>\n'
)
# A script element, an event handler or a style attribute, a javascript: link.
_DANGER = re.compile(
    r"<script|<[^>]*\s(?:on\w+|style)\s*=|href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE
)


def _draft(client: TestClient, me: SignedInClient, **fields: str) -> str:
    made = client.post(ANNOUNCE, data=me.form(**fields), follow_redirects=False)
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def _count(store: Store, table: t.Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_smtp_down_mail_waits_then_each_arrives_exactly_once(
    client: TestClient, store: Store, mail_server: MailServer, clock: Clock
) -> None:
    addresses = [f"dev{n:02}@example.org" for n in range(25)]
    for address in addresses:
        registrant(store, address)
    me = organizer(client, store)
    draft = _draft(client, me, subject="Rooms", text="Room *B* moved.", audience="registrants")
    page = client.get(draft)
    assert "Send to 25 addresses" in page.text
    mail_server.stop()
    assert client.post(f"{draft}/send", data=me.form()).status_code == 200
    assert mail_server.deliver(store) == []
    assert store.outbox.counts() == {"queued": 25}  # waiting, none lost
    mail_server.start()
    clock.advance(minutes=2)  # past the retry of the mail whose connection failed
    arrived = mail_server.deliver(store)
    assert sorted(a for m in arrived for a in m.rcpt_tos) == addresses
    assert set(mail_server.message_ids().values()) == {1}
    assert mail_server.deliver(store) == []
    assert store.outbox.counts() == {"sent": 25}
    again = client.post(f"{draft}/send", data=me.form(), headers={"Accept": "application/json"})
    assert again.status_code == 409
    assert again.json() == {
        "error": "The announcement 'Rooms' was sent already; it cannot be changed, deleted "
        "or sent again."
    }
    assert store.outbox.counts() == {"sent": 25}


def test_a_script_in_the_markdown_reaches_neither_the_mail_nor_the_archive(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    follower(store, "fan@example.org", "nova")
    me = organizer(client, store)
    draft = _draft(client, me, subject="News", text=XSS, audience="followers", team="nova")
    preview = client.get(draft).text
    assert client.post(f"{draft}/send", data=me.form()).status_code == 200
    [mail] = mail_server.deliver(store)
    html_part = mail.message.get_body(preferencelist=("html",))
    assert html_part is not None
    mail_html = str(html_part.get_content())  # type: ignore[attr-defined]
    number = draft.rsplit("/", 1)[1]
    archived = client.get(f"/events/{EVENT}/announcements/{number}")
    assert archived.status_code == 200
    shown = archived.text[
        archived.text.index('<div class="page">') : archived.text.index("</main>")
    ]
    previewed = preview[preview.index("data-preview>") : preview.index("</section>")]
    for html in (mail_html[: mail_html.index("<hr>")], shown, previewed):
        assert _DANGER.findall(html) == []
        assert html.count("<b>bold</b>") == 1
    assert "&lt;script&gt;" in preview  # the Markdown in the editor: text, not markup


def test_preview_then_a_test_to_oneself_leave_the_draft_unsent(
    client: TestClient, store: Store
) -> None:
    registrant(store, "dev@example.org")
    me = organizer(client, store)
    fields = me.form(subject="Hi", text="Hello *you*", audience="registrants")
    preview = client.post(f"{ANNOUNCE}/preview", data=fields)
    assert preview.status_code == 200
    assert "<em>you</em>" in preview.text and "Preview (not saved yet)" in main_text(preview)
    assert _count(store, t.announcements) == 0
    draft = _draft(client, me, subject="Hi", text="Hello *you*", audience="registrants")
    tested = client.post(f"{draft}/test", data=me.form())
    assert "OK, a test is on its way to olga@example.org." in main_text(tested)
    [entry] = store.outbox.entries()
    assert (entry.to_address, entry.subject, entry.kind) == (
        "olga@example.org",
        "[Test] Hi",
        "announcement-test",
    )
    assert entry.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert store.attendees.updates.announcements.get(EVENT, int(draft.rsplit("/", 1)[1])).state == (
        "draft"
    )
    # The archive shows only what was sent.
    assert client.get(f"{draft.replace('/organize', '')}").status_code == 404


def test_a_bad_draft_goes_back_saying_what_is_wrong(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    answer = client.post(ANNOUNCE, data=me.form(subject="Hi", text="x", audience="role", role=""))
    assert "The audience role needs a role, such as developer." in main_text(answer)
    assert _count(store, t.announcements) == 0


def test_the_organizers_nav_links_the_announcements(client: TestClient, store: Store) -> None:
    organizer(client, store)
    page = client.get(f"/events/{EVENT}/organize")
    assert f'href="{ANNOUNCE}"' in page.text
