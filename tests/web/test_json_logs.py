"""``PTGHUB_LOG_FORMAT=json``: every line ``ptghub serve`` writes on stderr is one JSON
object (ptghub's loggers and uvicorn's alike), and a change made through the API is
logged with its audit id, its event and its front end, not with the person's words."""

from __future__ import annotations

import json
import socket
from datetime import datetime

from ptghub.store.store import Store
from tests.web.api_client import token
from tests.web.server_process import serve_process


def test_serve_with_json_logs_writes_one_object_per_line_with_the_audit_id(
    store: Store, database_url: str
) -> None:
    headers = token(store, "alice")
    with serve_process(database_url, PTGHUB_LOG_FORMAT="json") as server:
        answer = server.command("#nova now Placement API for alice@example.org", headers)
        assert answer.status_code == 200, answer.text
        audit_id = answer.json()["audit_id"]
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")  # uvicorn logs it: its logger's line
            sock.recv(1024)
        stderr = server.stop()

    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert lines, "no log lines at all"
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line), line
        assert line["time"].endswith("Z")
        datetime.fromisoformat(line["time"])
    changes = [line for line in lines if line["message"] == "change applied"]
    assert len(changes) == 1, changes
    assert changes[0] | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "ptghub.store",
        "message": "change applied",
        "audit_id": audit_id,
        "event": "test-ptg",
        "frontend": "api",
        "kind": "run",
        "command": "track now",
    }
    assert "alice@example.org" not in stderr  # the topic's text is not logged
    assert any(line["logger"].startswith("uvicorn") for line in lines), lines


def test_serve_with_text_logs_writes_lines_for_people_with_the_audit_id(
    store: Store, database_url: str
) -> None:
    headers = token(store, "alice")
    with serve_process(database_url) as server:
        answer = server.command("#nova now Placement API", headers)
        assert answer.status_code == 200, answer.text
        stderr = server.stop()
    change = [line for line in stderr.splitlines() if "change applied" in line]
    assert len(change) == 1, stderr
    audit_id = answer.json()["audit_id"]
    assert change[0].split(" ", 2)[2] == (
        f'INFO change applied audit_id={audit_id} event="test-ptg" frontend="api" kind="run" '
        'command="track now"'
    )
