"""Where the log lines of a long-running ``ptghub`` process go, and in what form.

``configure(format)`` is the one place: ``ptghub serve``/``demo``, the bots and the mail
worker call it before they start. ``PTGHUB_LOG_FORMAT=text`` (the default) keeps the
lines people read in a terminal; ``json`` writes every line of the process (ptghub's
loggers, uvicorn's, Python's warnings) as one JSON object on stderr, for a log shipper:

    {"time": "2026-12-03T17:10:25.123Z", "level": "INFO", "logger": "ptghub.store",
     "message": "change applied", "event": "ptg-2026", "audit_id": 42, ...}

The fields a line's ``extra`` gives (``audit_id``, ``event``, ``frontend`` ...) become
fields of the object. Under ``json``, uvicorn is started with ``log_config=None``
(``uvicorn_log_config``) so that its loggers reach the same handler instead of its own.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

LogFormat = Literal["text", "json"]
TEXT = "%(asctime)s %(levelname)s %(message)s"  # what the bots and the mail worker wrote

# What every LogRecord has: anything else on a record came from ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The fields a record's ``extra`` gave it."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _STANDARD and not key.startswith("_")
    }


class TextFormatter(logging.Formatter):
    """``TEXT``, then the record's fields as ``key=value`` (``audit_id=42 event=ptg``)."""

    def __init__(self) -> None:
        super().__init__(TEXT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(
            f"{key}={json.dumps(v, default=str)}" for key, v in extras(record).items()
        )
        return f"{line} {fields}" if fields else line


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines inside strings are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "time": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(extras(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _Ours(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
    """The handler ``configure`` installs (and replaces when called again). Without a
    stream of its own it writes to ``sys.stderr`` as it is at each line: a test runner
    that swaps stderr for one command must not leave it writing to a closed file."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self._own = stream

    @property
    def stream(self) -> TextIO:
        return self._own if self._own is not None else sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # StreamHandler's __init__ sets it; the property decides


def configure(
    log_format: LogFormat = "text", *, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Send every log record of the process at ``level`` or above to ``stream`` (stderr)
    in ``log_format``; called again, it replaces what it installed before. Like
    ``logging.basicConfig``, it leaves alone a process whose logging someone else set up
    (a handler of the root logger that is not its own: a test runner's, an embedding
    server's)."""
    root = logging.getLogger()
    if any(not isinstance(h, _Ours) for h in root.handlers):
        return
    for handler in [h for h in root.handlers if isinstance(h, _Ours)]:
        root.removeHandler(handler)
    handler = _Ours(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(log_format == "json")
    if log_format == "json":
        # uvicorn's loggers keep their own handlers when it configured them before:
        # theirs go, so that each line is written once, as JSON.
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.propagate = True


def uvicorn_log_config(log_format: LogFormat) -> dict[str, Any]:
    """uvicorn's ``log_config`` option for ``log_format``: its own (today's lines) for
    text, None (its loggers then go through ``configure``'s handler) for json."""
    if log_format == "json":
        return {"log_config": None}
    return {}
