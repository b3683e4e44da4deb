"""The viewer's phone number: text a code to it, and send the code back to verify it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.accounts import phone
from backend.errors import DomainError
from schema.accounts.viewer import Viewer, viewer_from
from schema.context import Context
from schema.error_texts import SIGN_IN_REQUIRED
from schema.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
    read_only_refusal,
    to_error,
)

PhoneResult = Annotated[
    Viewer | ValidationError | NotAllowedError | NotFoundError | ConflictError | RateLimitedError,
    strawberry.union("ViewerPhoneResult"),
]


@strawberry.input
class ViewerPhoneVerifyInput:
    code: str


def _refusal(context: Context) -> NotAllowedError | None:
    if (refusal := read_only_refusal(context)) is not None:
        return refusal
    if context.actor.user_id is None:
        return NotAllowedError(message=context.gettext(SIGN_IN_REQUIRED))
    return None


@strawberry.type
class PhoneMutation:
    @strawberry.mutation(
        description="Text a code to the viewer's phone number. Texts go to a number only once it is verified; "
        "a few codes an hour per person and per number."
    )
    def viewer_phone_code_send(self, info: Info[Context, None]) -> PhoneResult:
        context = info.context
        if (refusal := _refusal(context)) is not None:
            return refusal
        try:
            phone.request_phone_code(context.actor)
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return viewer_from(context)

    @strawberry.mutation(description="Verify the viewer's phone number with the code texted to it.")
    def viewer_phone_verify(self, info: Info[Context, None], input: ViewerPhoneVerifyInput) -> PhoneResult:  # noqa: A002
        context = info.context
        if (refusal := _refusal(context)) is not None:
            return refusal
        try:
            user = phone.verify_phone(context.actor, input.code)
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return viewer_from(context, user)
