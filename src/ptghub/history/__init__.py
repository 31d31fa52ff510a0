"""What happened at an event, read back from its audit log: pure, no I/O.

``timeline`` replays the audited changes up to a moment (the end of the event, by
default) into what people ask about afterwards: the sessions each team held, the topics
it discussed and for how long, who checked in, the bookings made while it ran. ``recap``
turns a timeline into one team's summary, ``report`` into the organizers' figures.
"""
