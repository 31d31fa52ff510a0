"""The live stream of a page shown in another zone than the event's (``?tz=``): its
messages also carry the grids of that zone's days while it is open (every viewer's
messages do: a page ignores regions it does not show); an unknown zone is a JSON 400."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.stream import LiveConfig
from tests.support import NOVA_CHAIR
from tests.web.serving import Running, serving
from tests.web.test_stream import SLUG, STREAM, refusal, stream


@pytest.fixture
def server(store: Store) -> Iterator[Running]:
    app = create_app(store)
    app.state.live_config = LiveConfig(heartbeat=0.3, retry_ms=500, interval=0.2)
    with serving(app) as running:
        yield running


# Monday's 13:00-17:00 UTC is Tuesday 01:00-05:00 in Auckland: a day of Auckland's own.
AUCKLAND_TUESDAY = "grid@Pacific/Auckland@2022-04-05"


def _grid_keys(fragments: object) -> list[str]:
    assert isinstance(fragments, dict)
    return sorted(key for key in fragments if key.startswith("grid"))


def test_stream_in_another_zone_carries_that_zones_changed_grid(
    server: Running, store: Store
) -> None:
    with stream(server, f"{STREAM}?tz=Pacific/Auckland") as events:
        store.run("#nova book Austin-Mon-P2", NOVA_CHAIR, event=SLUG)
        _, first = events.change()
        store.run("#nova book Austin-Tue-P1", NOVA_CHAIR, event=SLUG)
        _, then = events.change()
    # Only the grids that changed travel, the zone's as the event's own.
    assert _grid_keys(first["fragments"]) == ["grid-2022-04-04", AUCKLAND_TUESDAY]
    assert _grid_keys(then["fragments"]) == ["grid-2022-04-05", "grid@Pacific/Auckland@2022-04-06"]
    assert isinstance(first["fragments"], dict)
    grid = lxml.html.fromstring(first["fragments"][AUCKLAND_TUESDAY])
    # The booked cell, under the column of 04:00 in Auckland.
    headers = [t.text_content() for t in grid.xpath("//thead//time")]
    cells = [" ".join(td.text_content().split()) for td in grid.xpath("//tbody/tr[1]/td")]
    assert (headers, cells[3]) == (["01:00", "02:00", "03:00", "04:00"], "nova booked")


def test_stream_in_an_unknown_zone_is_a_json_400(server: Running) -> None:
    response = refusal(server, f"{STREAM}?tz=Mars/Olympus")
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "Unknown time zone 'Mars/Olympus'; use an IANA name such as UTC, "
            "Europe/Paris or America/Los_Angeles."
        },
    )


def test_stream_in_a_zone_nobody_viewed_catches_up_with_that_zones_grids(
    server: Running, store: Store
) -> None:
    # A viewer in the event's zone has the watcher render the event without Auckland's
    # grids; a page in Auckland rendered before a change must still catch up on its own.
    version = store.version(SLUG)
    with stream(server) as events:
        store.run("#nova book Austin-Mon-P2", NOVA_CHAIR, event=SLUG)
        events.change()
        with stream(server, f"{STREAM}?tz=Pacific/Auckland&version={version}") as late:
            _, data = late.change()
    assert isinstance(data["fragments"], dict)
    assert AUCKLAND_TUESDAY in data["fragments"]
    grid = lxml.html.fromstring(data["fragments"][AUCKLAND_TUESDAY])
    assert " ".join(grid.xpath("//tbody/tr[1]/td[4]")[0].text_content().split()) == "nova booked"
