"""The YAML event definition file: loading it into the domain events that create an event.

The format is described in docs/event-file.md.
"""

from ptghub.eventfile.loader import (
    EventFileError,
    Problem,
    load_event_file,
    load_event_text,
    read_event_file,
)

__all__ = ["EventFileError", "Problem", "load_event_file", "load_event_text", "read_event_file"]
