"""What the JSON API reads from request bodies: pydantic models, strict, with the limits
the server enforces written where /openapi.json shows them.

Every body is read strictly: JSON ``true`` is not 1 hour, nor the string ``"16"`` 16
hours, and a field the model does not know is an error rather than silently ignored.
The limits are the server's own (core/validate.py, core/needs.py, the needs parser);
where the server checks a value itself with a message of its own (text that is only
spaces), the schema shows the rule and pydantic leaves it to the server.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.config import JsonDict

from ptghub.core.validate import MAX_TOPIC
from ptghub.eventfile.needs_values import MAX_HOURS

STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
# Text the server strips and checks itself (core.validate.check_text, with messages of
# its own): the schema says so, pydantic does not enforce it.
NOT_BLANK: JsonDict = {"pattern": r"\S"}
MAX_CELL = 200


def _integral(value: object) -> object:
    # JSON has one kind of number: 3.0 is the integer 3 (as JSON Schema says), while
    # 3.5, true and "3" stay what they are and the strict check refuses them.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The limits come before the validator in each type, or the schema would not show them.
Integral = BeforeValidator(_integral)
Weight = Annotated[int, Field(ge=1), Integral]
People = Annotated[int, Field(ge=1), Integral]


class CommandIn(BaseModel):
    model_config = STRICT

    text: str = Field(
        min_length=1,
        json_schema_extra=NOT_BLANK,
        description="One command of the chat language (docs/commands.md), as sent to the "
        "bot in private.",
        examples=["#nova now Placement API"],
    )


class TopicIn(BaseModel):
    model_config = STRICT

    topic: str = Field(
        min_length=1, max_length=MAX_TOPIC, json_schema_extra=NOT_BLANK, examples=["Placement API"]
    )


class BookingIn(BaseModel):
    model_config = STRICT

    cell: str = Field(
        min_length=1,
        max_length=MAX_CELL,
        json_schema_extra=NOT_BLANK,
        description="The cell to book: ROOM-SLOT.",
        examples=["Austin-Mon-A1"],
    )


# -- planner needs --------------------------------------------------------------------

Hours = Annotated[
    float,
    Field(
        gt=0,
        le=MAX_HOURS,
        description="Hours (a JSON number); fractions allowed, in whole minutes.",
    ),
]


class TeamNeedsIn(BaseModel):
    """What a team asks of the planner; replaces what it asked before. The fields and their
    checks are those of the needs file (docs/needs.md)."""

    model_config = STRICT

    hours: Hours = Field(examples=[12])
    max_hours_per_day: Hours | None = None
    days: list[str] = Field(
        default=[], description="Preferred days: dates or weekdays.", examples=[["Tue", "Wed"]]
    )
    windows: list[str] = Field(
        default=[], description="Preferred times of day, HH:MM-HH:MM.", examples=[["13:00-17:00"]]
    )
    avoid: list[str] = Field(default=[], description="Teams never to overlap with.")
    rather_not: dict[str, Weight] = Field(
        default={}, description="Teams it would rather not overlap with: team -> weight (1+)."
    )
    joint: dict[str, Hours] = Field(
        default={}, description="Joint sessions this team hosts: team -> hours."
    )
    room_size: People | None = Field(default=None, description="People the room must hold.")
    onboarding: bool = Field(default=False, description="Wants an onboarding session.")
    cross_project: bool = False


class PlanRulesIn(BaseModel):
    """The event's planning rules; replaces them all (absent: no cap, 1 h onboarding)."""

    model_config = STRICT

    max_hours_per_day: Hours | None = Field(default=None, examples=[4])
    max_hours: Hours | None = Field(default=None, examples=[16])
    cross_project_days: list[str] = Field(
        default=[], description="Days only for cross-project teams: dates or weekdays."
    )
    onboarding_hours: Hours = 1
    windows: list[str] = Field(
        default=[],
        description="The event's usual hours (HH:MM-HH:MM, the event's clock): a team that "
        "names no windows of its own prefers these.",
        examples=[["13:00-21:00"]],
    )
