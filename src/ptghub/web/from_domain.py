"""How the API's output models are read from the domain's frozen dataclasses.

An output model (``web/api_models.py``) names the fields it shows; pydantic's
``from_attributes`` reads each from the domain object's attribute of the same name, or
of the field's ``validation_alias``, rather than a builder copying them one by one. What
the object does not hold is given to ``read`` (what the state knows, such as a team's
etherpad); what it holds in another form, a field's validator turns into the field's form.

Times are ISO 8601 with an explicit offset (``+00:00`` rather than ``Z``): ``Moment``.
``LocalMoment`` is shown in the event's time zone, which ``read(obj, zone=...)`` passes
to the validators in the validation context; ``UtcMoment`` in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


# pydantic would write UTC as 'Z'; isoformat keeps one style for every zone.
Moment = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def event_zone(info: ValidationInfo) -> ZoneInfo:
    """The event's time zone, as ``FromDomain.read`` passed it to the validators."""
    assert info.context is not None, "local times need read(obj, zone=...)"
    zone: ZoneInfo = info.context["zone"]
    return zone


def _in_event_zone(moment: datetime, info: ValidationInfo) -> datetime:
    return moment.astimezone(event_zone(info))


def _in_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


LocalMoment = Annotated[Moment, AfterValidator(_in_event_zone)]
UtcMoment = Annotated[Moment, AfterValidator(_in_utc)]


class FromDomain(BaseModel):
    """An output model read from a domain object's attributes: ``Model.read(obj)``."""

    # validate_by_name: code that builds one directly names its fields, not their aliases.
    model_config = ConfigDict(from_attributes=True, validate_by_name=True)

    @classmethod
    def read(cls, obj: object, *, zone: str | None = None, **values: Any) -> Self:
        """The model of ``obj``, with ``values`` for the fields it does not hold;
        ``zone``: the event's time zone, for ``LocalMoment`` fields at any depth."""
        context = {"zone": ZoneInfo(zone)} if zone is not None else None
        return cls.model_validate(_Overlay(obj, values) if values else obj, context=context)


class FromPair(FromDomain):
    """An output model the domain holds as a tuple, such as (title, url): in field order."""

    @model_validator(mode="before")
    @classmethod
    def _from_tuple(cls, data: Any) -> Any:
        if isinstance(data, tuple):
            return dict(zip(cls.model_fields, data, strict=True))
        return data


class _Overlay:
    """An object's attributes, some of them given: what ``FromDomain.read`` reads."""

    __slots__ = ("_obj", "_values")

    def __init__(self, obj: object, values: dict[str, Any]) -> None:
        self._obj = obj
        self._values = values

    def __getattr__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return getattr(self._obj, name)
