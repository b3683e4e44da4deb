"""The viewer's phone number: text a code to it, and send the code back to verify it."""

from __future__ import annotations

import strawberry

from backend.accounts import phone
from schema.access import SIGNED_IN
from schema.accounts.viewer import Viewer, viewer_from
from schema.context import Context
from schema.engine.mutations import Mutations
from schema.errors import ConflictError, NotAllowedError, NotFoundError, RateLimitedError, ValidationError

ERRORS = (ValidationError, NotAllowedError, NotFoundError, ConflictError, RateLimitedError)

mutations = Mutations()


@strawberry.input(description="The code texted to the viewer's phone number.")
class ViewerPhoneVerifyInput:
    code: str = strawberry.field(
        description="The 6-digit code from the text. It works for 10 minutes and 5 tries, and only for the number "
        "it was sent to."
    )


@mutations.add("viewerPhoneCodeSend", roles=SIGNED_IN, payload=Viewer, result="ViewerPhoneResult", errors=ERRORS)
def send_code(context: Context) -> Viewer:
    """Text a code to the viewer's phone number.

    Texts go to a number only once it is verified; a few codes an hour per person and per number.
    """
    phone.request_phone_code(context.actor)
    return viewer_from(context)


@mutations.add("viewerPhoneVerify", roles=SIGNED_IN, payload=Viewer, result="ViewerPhoneResult", errors=ERRORS)
def verify(context: Context, data: ViewerPhoneVerifyInput) -> Viewer:
    """Verify the viewer's phone number with the code texted to it."""
    return viewer_from(context, phone.verify_phone(context.actor, data.code))
