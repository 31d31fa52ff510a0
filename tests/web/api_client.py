"""How the API tests call the API: the test event's base path, and writes with a person's
bearer token."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ptghub.store.store import Store

API = "/api/v1/events/test-ptg"


def token(store: Store, nick: str) -> dict[str, str]:
    """Authorization headers with a new token of ``nick``."""
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


def write(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, headers: Any
) -> Any:
    return client.request(method, path, json=body, headers=headers)
