"""The editor of the event's pages: Markdown in a textarea, a preview, saved as one
EventInfoChanged audited as the person; what is shown is sanitized exactly as the public
page shows it (no raw HTML, no script or javascript: link gets through)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from tests.web.organizing import EVENT, ORGANIZE, audit_count, organizer, post, post_json

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](java\tscript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[vb](vbscript:msgbox(1))",
    "<iframe src=https://evil.example></iframe>",
]


def test_a_page_is_previewed_then_saved_and_shown(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    editor = client.get(f"{ORGANIZE}/pages/faq")
    assert editor.status_code == 200
    assert '<textarea id="page-text" name="text"' in editor.text

    text = "# Questions\r\n\r\nSee [the wiki](https://wiki.example.org).\r\n"
    before = audit_count(store)
    preview = post(client, f"{ORGANIZE}/pages/faq/preview", **me.form(text=text))
    assert preview.status_code == 200
    assert "<h3>Questions</h3>" in preview.text
    assert '<a href="https://wiki.example.org">the wiki</a>' in preview.text
    assert "Preview (not saved yet)" in preview.text
    assert audit_count(store) == before  # a preview changes nothing

    answer = post_json(client, f"{ORGANIZE}/pages/faq", **me.form(text=text))
    entry = store.audit(EVENT)[-1]
    assert answer.json() == {
        "reply": "OK, the page 'Frequently asked questions' is saved.",
        "changed": True,
        "audit_id": entry.id,
    }
    assert (entry.actor, entry.frontend, entry.text) == ("olga@web", "web", "page edit faq")
    info = store.state(EVENT).info
    assert info is not None
    assert info.page("faq") == "# Questions\n\nSee [the wiki](https://wiki.example.org)."
    public = client.get(f"/events/{EVENT}/faq")
    assert public.status_code == 200
    assert '<a href="https://wiki.example.org">the wiki</a>' in public.text

    # Saved again: nothing to change; emptied: the page is gone.
    again = post_json(client, f"{ORGANIZE}/pages/faq", **me.form(text=text))
    assert again.json()["reply"] == (
        "Nothing to change: the page 'Frequently asked questions' already says that."
    )
    gone = post_json(client, f"{ORGANIZE}/pages/faq", **me.form(text="  "))
    assert gone.json()["reply"] == (
        "OK, the page 'Frequently asked questions' is removed (it was empty)."
    )
    assert client.get(f"/events/{EVENT}/faq").status_code == 404


def test_without_javascript_saving_returns_to_the_editor(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    answer = post(client, f"{ORGANIZE}/pages/code-of-conduct", **me.form(text="Be kind."))
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"{ORGANIZE}/pages/code-of-conduct",
    )
    page = client.get(answer.headers["location"]).text
    assert "OK, the page &#39;Code of conduct&#39; is saved." in page
    assert ">Be kind.</textarea>" in page


def test_an_unknown_page_is_refused(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    assert client.get(f"{ORGANIZE}/pages/agenda").status_code == 404
    before = audit_count(store)
    answer = post_json(client, f"{ORGANIZE}/pages/agenda", **me.form(text="Hi"))
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("Unknown page 'agenda': expected one of about,")
    assert audit_count(store) == before


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_script_raw_html_or_javascript_link_gets_through(
    client: TestClient, store: Store, hostile: str
) -> None:
    me = organizer(client, store)
    text = f"# About\n\n{hostile}\n\n[fine](https://example.org)"
    preview = post_json(client, f"{ORGANIZE}/pages/about/preview", **me.form(text=text)).json()
    post_json(client, f"{ORGANIZE}/pages/about", **me.form(text=text))
    public = client.get(f"/events/{EVENT}/about").text
    editor = client.get(f"{ORGANIZE}/pages/about").text
    shown = public[public.index('<div class="page">') :]
    shown = shown[: shown.index("</div>")]
    for html in (preview["html"], shown, editor[editor.index("data-preview>") :]):
        lowered = html.lower()
        assert "<script" not in lowered
        assert "<img src=x" not in lowered
        assert "<iframe" not in lowered
        assert '<a href="javascript' not in lowered
        assert 'href="java' not in lowered and 'src="java' not in lowered
        assert 'href="data:' not in lowered and 'href="vbscript:' not in lowered
        assert '<a href="https://example.org">fine</a>' in html
