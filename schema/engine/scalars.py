"""The ``DateTime`` scalar of every schema: an instant with an explicit offset in, UTC with ``Z`` out.

Stored moments are naive UTC (``backend.timeutil.utcnow``). A date-time without an offset names no
instant: ``2026-07-07T23:30:00`` is 22:30 UTC in London in July but 23:30 UTC to a tool that assumes UTC,
and the working day a complaint arrived on (so every statutory deadline) turns on that difference. So input
must carry ``Z`` or ``±hh:mm``; it is converted to naive UTC before anything sees it. Variables, inline
literals and filter values all go through :func:`parse_datetime`, so they cannot disagree.

Date, JSON and Upload keep strawberry's parsing, with descriptions that say what a client sends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from graphql import StringValueNode, ValueNode
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

from schema.error_texts import DATE_TIME_PROBLEMS

#: Date, time (seconds and fraction optional), then the offset, which is required.
_PATTERN = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?P<offset>Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)
#: The same without an offset: told apart so the answer can say what is missing.
_NO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?", re.ASCII)


class DateTimeInputError(ValueError):
    """A value sent as a DateTime that is not one. ``code`` says what is wrong; ``value`` is what was sent.

    ``extensions`` travels onto the GraphQL error that graphql-core builds around this one, so the
    client gets ``extensions.code``; the HTTP edge translates the message (see ``message_key``).
    """

    def __init__(self, code: str, value: object):
        self.code = code
        self.value = value
        self.message_key = DATE_TIME_PROBLEMS[code]
        self.extensions = {"code": "BAD_USER_INPUT", "reason": code}
        super().__init__(self.message_key % {"value": shown(value)})


def shown(value: object) -> str:
    """What was sent, cut short enough to quote in a message."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def parse_datetime(value: object) -> dt.datetime:
    """Return ``value`` (ISO 8601 text with ``Z`` or ``±hh:mm``) as a naive UTC datetime.

    Raises :class:`DateTimeInputError`: ``offset_required`` for a date or date-time with no offset,
    ``not_a_date_time`` for anything else.
    """
    if not isinstance(value, str):
        raise DateTimeInputError("not_a_date_time", value)
    if _PATTERN.fullmatch(value) is None:
        code = "offset_required" if _NO_OFFSET.fullmatch(value) else "not_a_date_time"
        raise DateTimeInputError(code, value)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DateTimeInputError("not_a_date_time", value) from None
    offset = moment.utcoffset()
    if offset is None or abs(offset) >= dt.timedelta(hours=24):
        raise DateTimeInputError("not_a_date_time", value)
    try:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC moment a datetime can hold
        raise DateTimeInputError("not_a_date_time", value) from None


def serialize_datetime(value: dt.datetime) -> str:
    """Write a stored moment (naive means UTC) as ISO 8601 in UTC with ``Z``."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _parse_literal(node: ValueNode, _variables: Any = None) -> dt.datetime:
    if not isinstance(node, StringValueNode):
        raise DateTimeInputError("not_a_date_time", getattr(node, "value", node.kind))
    return parse_datetime(node.value)


DATE_TIME = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant in ISO 8601. Input needs an offset, `Z` or `±hh:mm` (2026-07-07T23:30:00+01:00); "
        "a value without one is refused. Output is always UTC, ending in `Z` (2026-07-07T22:30:00Z)."
    ),
    specified_by_url=None,
    serialize=serialize_datetime,
    parse_value=parse_datetime,
    parse_literal=_parse_literal,
    origin=dt.datetime,
)


def described(scalar: object, description: str) -> ScalarDefinition:
    """Strawberry's own scalar with a description of our own; it parses and writes values as before."""
    definition = DEFAULT_SCALAR_REGISTRY[scalar]
    return dataclasses.replace(definition, description=description, implementation=None)


#: The scalars every schema uses in place of strawberry's own (``StrawberryConfig.scalar_map``).
SCALAR_MAP: dict[object, ScalarDefinition] = {
    dt.datetime: DATE_TIME,
    dt.date: described(dt.date, "A calendar date in ISO 8601, without a time: 2026-07-07."),
    JSON: described(JSON, "Any JSON value: an object, a list, text, a number, true, false or null."),
    Upload: described(
        Upload,
        "A file sent with the operation in a multipart/form-data request, "
        "in the GraphQL multipart request format (operations, map, then the files).",
    ),
}
