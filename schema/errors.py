"""Typed errors that mutations return in a union, with their texts in the viewer's language."""

from __future__ import annotations

import strawberry

from backend.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound, Throttled
from schema.context import Context
from schema.error_texts import message_for


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.type(description="A value was rejected. `field` names the input field.")
class ValidationError:
    field: str
    code: str
    message: str


@strawberry.type(description="The viewer may not do this.")
class NotAllowedError:
    message: str


@strawberry.type(description="Nothing with that id is visible to the viewer.")
class NotFoundError:
    message: str


@strawberry.type(description="The change clashes with the current state.")
class ConflictError:
    code: str
    message: str


@strawberry.type(description="Too many attempts; retry after the given number of seconds.")
class RateLimitedError:
    retry_after: int
    message: str


ErrorType = ValidationError | NotAllowedError | NotFoundError | ConflictError | RateLimitedError


def to_error(error: DomainError, context: Context) -> ErrorType:
    """Turn a backend exception into its typed error, translated for the viewer."""
    message = message_for(error, context.gettext, context.ngettext)
    if isinstance(error, Invalid):
        return ValidationError(field=_camel(error.field), code=error.code, message=message)
    if isinstance(error, NotAllowed):
        return NotAllowedError(message=message)
    if isinstance(error, NotFound):
        return NotFoundError(message=message)
    if isinstance(error, Conflict):
        return ConflictError(code=error.code, message=message)
    if isinstance(error, Throttled):
        return RateLimitedError(retry_after=error.retry_after, message=message)
    return ValidationError(field="", code="invalid", message=message)


def read_only_refusal(context: Context) -> NotAllowedError | None:
    """Refuse a mutation made with a read-scoped token."""
    if not context.actor.can_write:
        return NotAllowedError(message=message_for(NotAllowed("write"), context.gettext))
    return None
