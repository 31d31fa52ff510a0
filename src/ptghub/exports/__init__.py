"""Exports of an event: pure functions from its state to the formats other tools read.

- ``ics``: iCalendar feeds (whole event, per team, per room), with ``revisions`` giving
  SEQUENCE numbers from the audit log;
- ``frab``: the frab/Pentabarf ``schedule.xml``; ``c3voc_v1`` and ``c3voc_v2``: the c3voc
  JSON schedule, versions 1 and 2; all three from ``conference``;
- ``ptgjson``: ``ptg.json`` in the old PTG bot's database format.

``sessions`` merges a team's consecutive cells into sessions with stable ids, which all
the schedule formats share. Nothing here does I/O; the web layer serves the results.
"""
