"""Loading an event definition file: YAML text to the domain events that create the event.

Loading runs in two passes, each reporting every problem it finds at once:

1. YAML syntax, then duplicate keys and the models of ``schema`` (types, unknown keys,
   each value on its own);
2. once the file is well-formed: duplicates, per-day slots, the slot codes named by
   rooms and the schedule, and the schedule's teams (a team in one room at a time).

Every problem names the file, the line and the field path (``teams[3].kind``); lines are
found by walking the YAML node tree along the path (``yamlnodes``), so they point at what
was written. The checks of the second pass and the building of the events are in ``build``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ptghub.core.errors import InvalidInput
from ptghub.core.events import DomainEvent
from ptghub.eventfile.build import Builder
from ptghub.eventfile.schema import EventSpec, error_message
from ptghub.eventfile.yamlnodes import Loc, duplicate_keys, format_path, line_of


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an event file; ``line`` is 1-based, ``path`` like ``teams[3].kind``."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class EventFileError(InvalidInput):
    """An event file cannot be loaded; the message lists every problem, one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda problem: problem.line or 0))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_event_file(path: Path) -> list[DomainEvent]:
    """The domain events that create the event defined in the YAML file at ``path``."""
    return load_event_text(read_event_file(path), str(path))


def read_event_file(path: Path) -> str:
    """The text of the event file at ``path``, or an EventFileError saying why not."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise EventFileError([Problem(source, line, "", "the file is not UTF-8 text")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise EventFileError([Problem(source, None, "", message)]) from None
    return text


def load_event_text(text: str, source: str) -> list[DomainEvent]:
    """The domain events that create the event defined by YAML ``text`` (from ``source``)."""
    root, data = parse_yaml(text, source)

    def line(loc: Loc) -> int:
        return line_of(root, loc)

    def problem(loc: Loc, message: str) -> Problem:
        return Problem(source, line(loc), format_path(loc), message)

    problems = [Problem(source, n, format_path(loc), m) for n, loc, m in duplicate_keys(root)]
    try:
        spec = EventSpec.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        bad_keys = {tuple(d["loc"])[:-1] for d in details if d["loc"][-1:] == ("[key]",)}
        details = [d for d in details if tuple(d["loc"]) not in bad_keys]  # just say the key
        problems += [problem(tuple(d["loc"]), error_message(d)) for d in details]
        raise EventFileError(problems) from None
    if problems:
        raise EventFileError(problems)
    builder = Builder(spec, line)
    events = builder.build()
    if builder.problems:
        raise EventFileError(problem(loc, message) for loc, message in builder.problems)
    return events


class _Loader(yaml.SafeLoader):
    """SafeLoader, except that an impossible date is reported with its line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({error})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def parse_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree and the data of the one YAML document in ``text`` (from ``source``),
    or an EventFileError with the line of the syntax error. The needs file reads its YAML
    with it too, so both files report problems alike."""
    try:
        loader = _Loader(text)  # reads the whole text: refuses control characters here
    except yaml.reader.ReaderError as error:
        at = text[: error.position].count("\n") + 1
        message = f"invalid YAML: unacceptable character #x{error.character:04x}: {error.reason}"
        raise EventFileError([Problem(source, at, "", message)]) from None
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "unknown problem"
        if error.context and error.problem and error.problem.startswith("but "):
            message = f"{error.context}, {error.problem}"  # "expected X, but found Y"
        elif error.context and error.problem:
            where = f" on line {error.context_mark.line + 1}" if error.context_mark else ""
            message += f" ({error.context}{where})"
        line = mark.line + 1 if mark else None
        raise EventFileError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as error:
        raise EventFileError([Problem(source, None, "", f"invalid YAML: {error}")]) from None
    except RecursionError:
        raise EventFileError([Problem(source, None, "", "the YAML is nested too deeply")]) from None
    finally:
        loader.dispose()
