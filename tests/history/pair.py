"""The comparison's test pair in one store: the Denver 2018 import and the April 2022 demo.

Denver is imported as ``ptghub import ptgbot ... --start-date 2018-09-10`` does, at the
clock's moment; the demo is loaded as ``ptghub demo`` does, its sample commands run at the
moment its simulated clock starts (Tue 5 April 2022, 15:10 UTC).
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

from ptghub import demo
from ptghub.core.model import Actor
from ptghub.eventfile import load_event_file
from ptghub.importers.ptgbot import import_ptgbot
from ptghub.store.store import Store
from tests.support import Clock

DENVER, DEMO = "den-ptg", demo.SLUG
LOADER = Actor("loader", operator=True)


def load_pair(store: Store, clock: Clock, shared_data: Path) -> None:
    database = json.loads((shared_data / "ptgbot-denver-2018.json").read_text(encoding="utf-8"))
    imported = import_ptgbot(database, date(2018, 9, 10))
    store.create_event(imported.events, LOADER, "import ptgbot ptgbot-denver-2018.json")
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        events = load_event_file(path)
    clock.now = demo.clock_start(date(2022, 4, 4), "UTC")
    store.create_event(events, LOADER, "ptghub demo")
    for nick, text in demo.SAMPLE_COMMANDS:
        store.run(text, Actor(nick, frontend="demo"), event=DEMO)
