"""JSON form of the domain's frozen dataclasses, driven by their type hints.

The audit log stores domain events as JSON and rebuilds them to replay or undo a change,
so encoding must be lossless: ``decode(T, encode(x)) == x`` for every domain value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any

JSON = Any


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def encode(value: object) -> JSON:
    # Plain values first: they are most of what the audit log encodes.
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: encode(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        items = [encode(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(tp: Any, data: JSON) -> Any:
    """The value of type ``tp`` that ``data`` (``encode``'s output, through JSON) encodes."""
    try:
        decoder = _decoder(tp)
    except TypeError:  # an unhashable type form: worked out for this call alone
        decoder = _decoder.__wrapped__(tp)
    return decoder(data)


Decoder = Callable[[JSON], Any]


def _same(data: JSON) -> Any:
    return data


# Decoding the audit log is most of what rebuilding a state or an event's history costs:
# each type's decoder is worked out once from its hints, not at every value.
@cache
def _decoder(tp: Any) -> Decoder:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        decode_inner = _decoder(inner)
        if type(None) not in args:
            return decode_inner
        return lambda data: None if data is None else decode_inner(data)
    if origin in (frozenset, set):
        decode_item = _decoder(args[0])
        return lambda data: origin(decode_item(v) for v in data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            decode_item = _decoder(args[0])
            return lambda data: tuple(decode_item(v) for v in data)
        items = tuple(_decoder(a) for a in args)
        return lambda data: tuple(d(v) for d, v in zip(items, data, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        members = {member.value: member for member in tp}
        return lambda data: members[data] if data in members else tp(data)
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is time:
        return time.fromisoformat
    return _same


def _dataclass_decoder(cls: type) -> Decoder:
    # The fields' decoders are worked out at the first value, not here (a dataclass may
    # name itself among its fields' types), and stored whole: threads may share it.
    resolved: list[tuple[tuple[str, Decoder], ...]] = []

    def decode_dataclass(data: JSON) -> Any:
        if not resolved:
            hints = typing.get_type_hints(cls)
            fields = dataclasses.fields(cls)
            resolved.append(tuple((f.name, _decoder(hints[f.name])) for f in fields))
        # A field added later is absent from older audit rows: it takes its default.
        return cls(**{name: d(data[name]) for name, d in resolved[0] if name in data})

    return decode_dataclass
