"""Residents' suggestions of new themes in the API (``ResidentThemeSuggestion``; not the lessons' ``themeSuggestions``,
which suggests themes for a lesson to staff). A resident suggests themes and reads their own suggestions with the
outcome and the reason; staff read every suggestion and accept, link or decline them, each with a reason, and read
the history of what moderators did (``residentThemeSuggestionModerations``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from peewee import Case

from backend.cocreation import public_themes, suggestions
from backend.cocreation.models import ThemeSuggestion
from backend.lessons.models import Theme
from schema.access import STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


def _public_theme_id(alias: object) -> object:
    """SQL: the theme it was accepted as or linked to, when that theme is public; otherwise null."""
    public = Theme.select(Theme.id).where(Theme.id == alias.theme, *public_themes.public_filter())  # type: ignore[attr-defined]
    return Case(None, [(alias.theme.in_(public), alias.theme)], None)  # type: ignore[attr-defined]


RESIDENT_FIELDS = (
    "id",
    "title",
    "description",
    "locale",
    "status",
    "reason",
    "createdAt",
    "moderatedAt",
    "updatedAt",
    "publicThemeId",
    "authorId",
)

RESIDENT_THEME_SUGGESTION = Resource(
    name="ResidentThemeSuggestion",
    plural="residentThemeSuggestions",
    model=ThemeSuggestion,
    description="A theme a resident suggested, and what staff did with it: accepted as a new theme, linked to one, "
    "or declined, with the reason. A resident reads their own; staff read all.",
    members=[
        Column("title", "What the theme would be called (up to 100 characters)."),
        Column("description", "Why it matters (up to 2,000 characters)."),
        Column("locale", "The language it was written in."),
        Column("status", "Pending, accepted, linked or declined."),
        Column("reason", "The moderator's reason, told to the resident; blank while pending."),
        Column("created_at", "When it was suggested."),
        Column("moderated_at", "When it was moderated. Null: pending."),
        Column("updated_at", "When it last changed."),
        Computed("author_id", "The resident who suggested it.", kind="id", sql=lambda alias: alias.author),
        Computed(
            "public_theme_id",
            "The theme it was accepted as or linked to, once that theme is published; null otherwise.",
            kind="id",
            sql=_public_theme_id,
        ),
        ToOne("author", "The resident who suggested it. Staff only.", target="Person"),
        ToOne("theme", "The theme made from it or linked to it, published or not. Staff only."),
        ToOne("moderated_by", "Who moderated it. Staff only.", target="Person"),
    ],
    access={
        **STAFF_ACCESS,
        **each({"resident"}, Access(RESIDENT_FIELDS, where={"authorId": {"eq": "$viewer.id"}})),
    },
    default_order=("-createdAt", "-id"),
)
RESOURCES = [RESIDENT_THEME_SUGGESTION]


@strawberry.input(description="A theme you suggest.")
class ThemeSuggestInput:
    title: str = strawberry.field(description="What the theme would be called: one line, up to 100 characters.")
    description: str = strawberry.field(default="", description="Why it matters (up to 2,000 characters).")
    locale: str | None = strawberry.field(
        default=None, description="The language you write in, e.g. cy; yours when not given."
    )


# Staff have it too, so that every operation validates against the widest schema; the service refuses anyone but a
# resident.
@mutations.add("themeSuggest", roles=frozenset({"resident"}) | STAFF_ROLES, payload="ResidentThemeSuggestionMade")
def suggest(context: Context, data: ThemeSuggestInput) -> Outcome:
    """Suggest a new theme (signed-in residents only; at most 5 waiting at once; the same one sent twice counts
    once)."""
    locale = data.locale or context.locale
    return Outcome(suggestions.suggest_theme(context.actor, data.title, data.description, locale).id)


REASON = "Why, as the resident will read it (up to 1,000 characters)."


@strawberry.input(description="Accept a waiting suggestion as a new theme.")
class ThemeSuggestionAcceptInput:
    id: strawberry.ID = strawberry.field(description="The suggestion, pending.")
    reason: str = strawberry.field(description=REASON)


@strawberry.input(description="Link a waiting suggestion to a theme that already stands for it.")
class ThemeSuggestionLinkInput:
    id: strawberry.ID = strawberry.field(description="The suggestion, pending.")
    theme_id: strawberry.ID = strawberry.field(description="The theme, in use.")
    reason: str = strawberry.field(description=REASON)


@strawberry.input(description="Decline a waiting suggestion.")
class ThemeSuggestionDeclineInput:
    id: strawberry.ID = strawberry.field(description="The suggestion, pending.")
    reason: str = strawberry.field(description=REASON)


def _id(raw: strawberry.ID) -> int:
    return parse_id(raw, "theme_suggestion")


@mutations.add("themeSuggestionAccept", roles=STAFF_ROLES, payload="ResidentThemeSuggestionAccepted")
def accept(context: Context, data: ThemeSuggestionAcceptInput) -> Outcome:
    """Accept a suggestion (staff): a new theme is made, named by its title in its language, not yet published."""
    return Outcome(suggestions.accept_suggestion(context.actor, _id(data.id), data.reason).id)


@mutations.add("themeSuggestionLink", roles=STAFF_ROLES, payload="ResidentThemeSuggestionLinked")
def link(context: Context, data: ThemeSuggestionLinkInput) -> Outcome:
    """Link a suggestion to a theme that already stands for it (staff)."""
    theme_id = reference_id(data.theme_id)
    return Outcome(suggestions.link_suggestion(context.actor, _id(data.id), theme_id, data.reason).id)


@mutations.add("themeSuggestionDecline", roles=STAFF_ROLES, payload="ResidentThemeSuggestionDeclined")
def decline(context: Context, data: ThemeSuggestionDeclineInput) -> Outcome:
    """Decline a suggestion (staff), with the reason the resident reads."""
    return Outcome(suggestions.decline_suggestion(context.actor, _id(data.id), data.reason).id)


@strawberry.type(description="What a moderator did with a resident's theme suggestion, and why.")
class SuggestionModeration:
    suggestion_id: strawberry.ID = strawberry.field(description="The suggestion.")
    title: str = strawberry.field(description="The suggestion's title.")
    action: str = strawberry.field(description="accept, link or decline.")
    reason: str = strawberry.field(description="The moderator's reason.")
    moderator: str | None = strawberry.field(description="The moderator's name; null: their account is gone.")
    created_at: dt.datetime = strawberry.field(description="When it was done.")


@only_for(STAFF_ROLES)
@strawberry.type
class SuggestionModerationQuery:
    @strawberry.field(
        description="What moderators did with residents' theme suggestions, newest first (at most 200). Staff only."
    )
    def resident_theme_suggestion_moderations(
        self,
        info: strawberry.Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many, from 1 to 200.")] = 50,
    ) -> list[SuggestionModeration]:
        return [
            SuggestionModeration(
                suggestion_id=strawberry.ID(str(row.suggestion_id)),
                title=row.title,
                action=row.action,
                reason=row.reason,
                moderator=row.moderator,
                created_at=row.created_at,
            )
            for row in suggestions.moderation_history(first)
        ]


QUERIES = [SuggestionModerationQuery]
