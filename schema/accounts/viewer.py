"""The viewer: who is making the request, and the changes they make to their own profile."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from backend.accounts import phone as phone_verification
from backend.accounts import services
from backend.accounts.models import PreferredChannel, TokenScope, User
from backend.context import Role
from schema.access import SIGNED_IN
from schema.context import Context
from schema.engine.mutations import Mutations
from schema.errors import NotAllowedError, NotFoundError, ValidationError

mutations = Mutations()


@strawberry.type(description="Who is making the request.")
class Viewer:
    id: strawberry.ID | None = strawberry.field(description="The viewer's Person id; null when nobody is signed in.")
    is_authenticated: bool = strawberry.field(
        description="Whether someone is signed in, in a browser or with an API token."
    )
    email: str | None = strawberry.field(description="The address they sign in with; null when nobody is signed in.")
    display_name: str | None = strawberry.field(
        description="The name to use when writing to them; null when nobody is signed in."
    )
    roles: list[Role] = strawberry.field(description="The roles they hold; empty when nobody is signed in.")
    locale: str = strawberry.field(description="The language used for the viewer: a locale code such as en or cy.")
    contact_channel: PreferredChannel | None = strawberry.field(
        description="How they asked to be contacted; null when nobody is signed in."
    )
    phone: str | None = strawberry.field(description="Their phone number as written; null if they gave none.")
    phone_verified: bool = strawberry.field(
        description="Whether their phone number is verified, so texts may go to it; false when there is none."
    )
    accessibility_needs: str | None = strawberry.field(
        description="Support they need to communicate, in their own words; empty if none, null when nobody is "
        "signed in."
    )
    reasonable_adjustments: str | None = strawberry.field(
        description="Adjustments they asked the landlord to make, in their own words; empty if none, null when "
        "nobody is signed in."
    )
    email_verified: bool = strawberry.field(description="Whether they have confirmed their email address.")
    via_token: bool = strawberry.field(description="Whether the request came with an API token rather than a browser.")
    token_scope: TokenScope | None = strawberry.field(
        description="What the request's API token may do; null when the request has no token."
    )

    @strawberry.field(
        description="Whether a code texted to the viewer's unverified phone number can still be typed in "
        "(false before one is sent, and once it runs out or is tried too often)."
    )
    def phone_code_pending(self) -> bool:
        return self.id is not None and phone_verification.phone_code_pending(int(self.id))


def viewer_from(context: Context, user: User | None = None) -> Viewer:
    actor = context.actor
    if user is None and actor.user_id is not None:
        user = User.get_or_none(User.id == actor.user_id)
    if user is None:
        return Viewer(
            id=None,
            is_authenticated=False,
            email=None,
            display_name=None,
            roles=[],
            locale=context.locale,
            contact_channel=None,
            phone=None,
            phone_verified=False,
            accessibility_needs=None,
            reasonable_adjustments=None,
            email_verified=False,
            via_token=False,
            token_scope=None,
        )
    return Viewer(
        id=strawberry.ID(str(user.id)),
        is_authenticated=True,
        email=user.email,
        display_name=user.display_name,
        roles=[Role.of(role) for role in sorted(user.role_names())],
        locale=context.locale,
        contact_channel=PreferredChannel.of(user.contact_channel),
        phone=user.phone,
        phone_verified=user.phone_verified_at is not None,
        accessibility_needs=user.accessibility_needs,
        reasonable_adjustments=user.reasonable_adjustments,
        email_verified=user.email_verified_at is not None,
        via_token=actor.token_id is not None,
        token_scope=TokenScope.of(actor.scope) if actor.scope else None,
    )


@strawberry.input(description="Changes to the viewer's own profile: only the fields given change.")
class ViewerProfileInput:
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The name to use when writing to them: one line, up to 120 characters."
    )
    locale: str | None = strawberry.field(
        default=strawberry.UNSET, description="A locale code such as en or cy (a string: languages are added)."
    )
    contact_channel: PreferredChannel | None = strawberry.field(
        default=strawberry.UNSET, description="How they want to be contacted; sms needs a phone number."
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Digits, spaces and + ( ) -, up to 30 characters; null or empty removes the number. A new number "
        "gets texts only once verified with viewerPhoneCodeSend and viewerPhoneVerify.",
    )
    accessibility_needs: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Support they need to communicate (for example large print or an interpreter), up to 2000 "
        "characters; null or empty clears it.",
    )
    reasonable_adjustments: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Adjustments they ask the landlord to make (for example call before visiting), up to 2000 "
        "characters; null or empty clears it.",
    )


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Who is signed in, with their roles and language.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return viewer_from(info.context)


QUERIES = [AccountsQuery]


@mutations.add(
    "viewerProfileUpdate",
    roles=SIGNED_IN,
    payload=Viewer,
    result="ViewerProfileResult",
    errors=(ValidationError, NotAllowedError, NotFoundError),
)
def update_profile(context: Context, data: ViewerProfileInput) -> Viewer:
    """Change the viewer's name, language, contact channel or needs."""
    values = {key: value for key, value in vars(data).items() if value is not strawberry.UNSET}
    # Never 0: the mutation refuses anyone not signed in before it runs.
    return viewer_from(context, services.update_profile(context.actor, context.actor.user_id or 0, **values))
