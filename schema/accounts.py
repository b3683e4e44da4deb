"""The viewer, their profile and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.accounts import services, tokens
from backend.accounts.models import ApiToken as ApiTokenModel
from backend.accounts.models import User
from backend.errors import DomainError
from schema.context import Context
from schema.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    ValidationError,
    read_only_refusal,
    to_error,
)
from schema.messages import NOT_FOUND, SIGN_IN_REQUIRED


@strawberry.type(description="Who is making the request.")
class Viewer:
    id: strawberry.ID | None
    is_authenticated: bool
    email: str | None
    display_name: str | None
    roles: list[str]
    locale: str
    contact_channel: str | None
    phone: str | None
    accessibility_needs: str | None
    reasonable_adjustments: str | None
    email_verified: bool
    via_token: bool
    token_scope: str | None


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
        roles=sorted(user.role_names()),
        locale=context.locale,
        contact_channel=user.contact_channel,
        phone=user.phone,
        accessibility_needs=user.accessibility_needs,
        reasonable_adjustments=user.reasonable_adjustments,
        email_verified=user.email_verified_at is not None,
        via_token=actor.token_id is not None,
        token_scope=actor.scope,
    )


@strawberry.type(description="A credential for a third-party tool. The secret is shown only once.")
class ApiToken:
    id: strawberry.ID
    name: str
    scope: str
    prefix: str
    owner_email: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def from_model(cls, token: ApiTokenModel) -> ApiToken:
        return cls(
            id=strawberry.ID(str(token.id)),
            name=token.name,
            scope=token.scope,
            prefix=token.prefix,
            owner_email=token.user.email,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


@strawberry.type(description="A new token with its secret, which is never shown again.")
class ApiTokenCreated:
    token: ApiToken
    secret: str


@strawberry.input
class ViewerProfileInput:
    display_name: str | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    contact_channel: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    accessibility_needs: str | None = strawberry.UNSET
    reasonable_adjustments: str | None = strawberry.UNSET


@strawberry.input
class ApiTokenCreateInput:
    owner_email: str
    scope: str
    name: str = ""


ViewerProfileResult = Annotated[
    Viewer | ValidationError | NotAllowedError | NotFoundError, strawberry.union("ViewerProfileResult")
]
ApiTokenCreateResult = Annotated[
    ApiTokenCreated | ValidationError | NotAllowedError | NotFoundError, strawberry.union("ApiTokenCreateResult")
]
ApiTokenRevokeResult = Annotated[
    ApiToken | NotAllowedError | NotFoundError | ConflictError, strawberry.union("ApiTokenRevokeResult")
]


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Who is signed in, with their roles and language.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return viewer_from(info.context)

    @strawberry.field(description="API tokens: all of them for an admin, otherwise the viewer's own.")
    def api_tokens(self, info: Info[Context, None]) -> list[ApiToken]:
        actor = info.context.actor
        if actor.is_anonymous:
            return []
        return [ApiToken.from_model(t) for t in tokens.list_tokens(actor)]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Change the viewer's name, language, contact channel or needs.")
    def viewer_profile_update(self, info: Info[Context, None], input: ViewerProfileInput) -> ViewerProfileResult:
        context = info.context
        if (refusal := read_only_refusal(context)) is not None:
            return refusal
        if context.actor.user_id is None:
            return NotAllowedError(message=context.gettext(SIGN_IN_REQUIRED))
        values = {key: value for key, value in vars(input).items() if value is not strawberry.UNSET}
        try:
            user = services.update_profile(context.actor, context.actor.user_id, **values)
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return viewer_from(context, user)

    @strawberry.mutation(description="Create an API token. Admins may create one for anyone.")
    def api_token_create(self, info: Info[Context, None], input: ApiTokenCreateInput) -> ApiTokenCreateResult:
        context = info.context
        if (refusal := read_only_refusal(context)) is not None:
            return refusal
        try:
            token, secret = tokens.create_token(context.actor, input.owner_email, input.scope, input.name)
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return ApiTokenCreated(token=ApiToken.from_model(token), secret=secret)

    @strawberry.mutation(description="Revoke an API token. Revoking twice is harmless.")
    def api_token_revoke(self, info: Info[Context, None], id: strawberry.ID) -> ApiTokenRevokeResult:
        context = info.context
        if (refusal := read_only_refusal(context)) is not None:
            return refusal
        try:
            token = tokens.revoke_token(context.actor, int(id))
        except ValueError:
            return NotFoundError(message=context.gettext(NOT_FOUND))
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return ApiToken.from_model(token)
