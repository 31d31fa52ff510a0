"""The event's table of contents: its information pages, each at its own address.

The home shows it instead of every page's text in one long page; each information page
shows it too, marking itself (``info_pages`` serves them).
"""

from __future__ import annotations

from ptghub.core.model import EventInfo

# The event file's page names, in the order the site lists them, with their headings.
PAGE_HEADINGS = {
    "about": "About",
    "who_should_attend": "Who should attend",
    "who_should_not_attend": "Who should not attend",
    "faq": "Frequently asked questions",
    "code_of_conduct": "Code of conduct",
    "ptg_vs_forum": "The PTG and the Forum",
}


def address(name: str) -> str:
    """The address of a page of the event file under the event: ``code-of-conduct``."""
    return name.replace("_", "-")


def contents(info: EventInfo, event_path: str, here: str = "") -> list[tuple[str, str, bool]]:
    """(href, text, is this the page shown) for the event's information pages, its
    socials (when it has some), its rooms and its calendar feeds."""
    items = [
        (f"{event_path}/{address(name)}", heading, address(name) == here)
        for name, heading in PAGE_HEADINGS.items()
        if info.page(name).strip()
    ]
    if info.socials:
        items.append((f"{event_path}/socials", "Socials", here == "socials"))
    items.append((f"{event_path}/rooms", "Rooms", here == "rooms"))
    items.append((f"{event_path}/calendars", "Calendar feeds", here == "calendars"))
    return items
