"""Published themes in the API: anyone, signed in or not, reads the published themes in a language
(``publicThemes``, ``publicTheme``) with their approved quotes, latest counted result and published changes, never
an internal name or a source contact. Managers publish and unpublish themes; staff propose example quotes, another
manager approves them, and staff withdraw them (``ThemeQuote``: the public read approved quotes of published themes,
staff all of them).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from peewee import fn

from backend.cocreation import public_themes, quotes
from backend.cocreation.models import ThemeQuote
from backend.config import KNOWN_LOCALES
from backend.lessons.models import Theme
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

LOCALE = "The language to read it in, e.g. cy; yours when not given. Text missing in it is given in English."


@strawberry.type(description="A text in the language it is shown in: the one asked for, or English when it has none.")
class PublicText:
    text: str = strawberry.field(description="The text.")
    locale: str = strawberry.field(description="Its language: the one asked for, or en when falling back.")


@strawberry.type(description="An approved example of what residents said about a theme, anonymised.")
class PublicThemeQuote:
    text: str = strawberry.field(description="The quote, with personal details taken out.")
    locale: str = strawberry.field(description="Its language.")


@strawberry.type(description="A theme's votes in the most recently counted round that had it on its ballot.")
class PublicThemeResult:
    round_id: strawberry.ID = strawberry.field(description="The round.")
    round_title: PublicText = strawberry.field(description="The round's title.")
    votes: int = strawberry.field(description="The votes it got.")
    voters: int = strawberry.field(description="How many people voted for it.")
    counted_at: dt.datetime = strawberry.field(description="When the round was counted.")


@strawberry.type(description="A published change made for a theme.")
class PublicThemeChange:
    reference: str = strawberry.field(description="The change's reference, CH-YYYY-NN.")
    title: PublicText = strawberry.field(description="What changed, in a line.")


@strawberry.type(description="A theme published for residents, in one language.")
class PublicTheme:
    id: strawberry.ID = strawberry.field(description="The theme.")
    name: PublicText = strawberry.field(description="Its name for residents.")
    description: PublicText = strawberry.field(description="What it covers, for residents; may be blank.")
    published_at: dt.datetime = strawberry.field(description="When it was published.")
    quotes: list[PublicThemeQuote] = strawberry.field(
        description="Approved quotes in the language asked for, or in English when there are none in it."
    )
    last_result: PublicThemeResult | None = strawberry.field(
        description="Its latest counted round result; null: never on a counted ballot."
    )
    open_round: bool = strawberry.field(description="Whether it is on the ballot of a round open for votes now.")
    changes: list[PublicThemeChange] = strawberry.field(description="Published changes made for it, newest first.")


def _text(worded: public_themes.Worded) -> PublicText:
    return PublicText(text=worded.text, locale=worded.locale)


def _typed(theme: public_themes.PublicTheme) -> PublicTheme:
    result = theme.result
    return PublicTheme(
        id=strawberry.ID(str(theme.id)),
        name=_text(theme.name),
        description=_text(theme.description),
        published_at=theme.published_at,
        quotes=[PublicThemeQuote(text=q.text, locale=q.locale) for q in theme.quotes],
        last_result=None
        if result is None
        else PublicThemeResult(
            round_id=strawberry.ID(str(result.round_id)),
            round_title=_text(result.round_title),
            votes=result.votes,
            voters=result.voters,
            counted_at=result.counted_at,
        ),
        open_round=theme.open_round,
        changes=[PublicThemeChange(reference=c.reference, title=_text(c.title)) for c in theme.changes],
    )


#: The fields of a public theme that each cost a statement, and the part of the backend's reader that fills them.
PART_FIELDS = {"quotes": "quotes", "lastResult": "result", "openRound": "open_round", "changes": "changes"}


def _asked(info: strawberry.Info[Context, None]) -> set[str]:
    """The names of the fields asked for on each theme, through fragments too."""
    names: set[str] = set()

    def walk(selections: list[Any]) -> None:
        for selection in selections:
            name = getattr(selection, "name", None)
            if name is not None and not hasattr(selection, "type_condition"):
                names.add(name)
            elif hasattr(selection, "selections"):
                walk(selection.selections)

    for field in info.selected_fields:
        walk(field.selections)
    return names


def _locale(info: strawberry.Info[Context, None], given: str | None) -> str:
    locale = given or info.context.locale
    return locale if locale in KNOWN_LOCALES else "en"


@only_for(EVERYONE)
@strawberry.type
class PublicThemesQuery:
    @strawberry.field(
        description="The themes published for residents, by name in the language asked for (at most 200). Open to "
        "everyone."
    )
    def public_themes(
        self,
        info: strawberry.Info[Context, None],
        locale: Annotated[str | None, strawberry.argument(description=LOCALE)] = None,
    ) -> list[PublicTheme]:
        parts = frozenset(part for field, part in PART_FIELDS.items() if field in _asked(info))
        return [_typed(theme) for theme in public_themes.public_themes(_locale(info, locale), parts)]

    @strawberry.field(
        description="A published theme; null when there is none, or it is not published. Open to everyone."
    )
    def public_theme(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The theme.")],
        locale: Annotated[str | None, strawberry.argument(description=LOCALE)] = None,
    ) -> PublicTheme | None:
        try:
            theme_id = int(id)
        except (TypeError, ValueError):
            return None
        theme = public_themes.public_theme(theme_id, _locale(info, locale))
        return _typed(theme) if theme is not None else None


QUERIES = [PublicThemesQuery]


def _theme_public(alias: object) -> object:
    """SQL: whether the quote's theme is published and neither archived nor merged."""
    return fn.EXISTS(Theme.select(Theme.id).where(Theme.id == alias.theme, *public_themes.public_filter()))  # type: ignore[attr-defined]


PUBLIC_QUOTE_FIELDS = ("id", "text", "locale", "themeId", "approvedAt")
APPROVED_AND_PUBLIC = {"and": [{"status": {"eq": "approved"}}, {"themePublic": {"eq": True}}]}

THEME_QUOTE = Resource(
    name="ThemeQuote",
    plural="themeQuotes",
    model=ThemeQuote,
    description="An anonymised example of what residents said about a theme, in one language. Everyone reads the "
    "approved quotes of published themes (text, language, theme); staff read all, with the source contact.",
    members=[
        Column("text", "The quote, redacted as it was saved (up to 500 characters)."),
        Column("locale", "Its language, e.g. cy."),
        Column("status", "Proposed, approved or withdrawn. Staff only."),
        Column("approved_at", "When it was approved. Null: not approved."),
        Column("created_at", "When it was proposed. Staff only."),
        Column("updated_at", "When it last changed. Staff only."),
        Computed("theme_id", "The theme it illustrates.", kind="id", sql=lambda alias: alias.theme),
        Computed(
            "theme_public",
            "Whether its theme is published and in use.",
            kind="boolean",
            sql=_theme_public,
            null=False,
        ),
        ToOne("theme", "The theme it illustrates. Staff only."),
        ToOne("contact", "The contact it came from. Staff only.", target="Contact"),
        ToOne("proposed_by", "Who proposed it. Staff only.", target="Person"),
        ToOne("approved_by", "Who approved it. Staff only.", target="Person"),
    ],
    access={
        **STAFF_ACCESS,
        **each(EVERYONE - STAFF_ROLES, Access(PUBLIC_QUOTE_FIELDS, where=APPROVED_AND_PUBLIC)),
    },
    default_order=("themeId", "locale", "id"),
)
RESOURCES = [THEME_QUOTE]


@strawberry.input(description="A theme to publish for residents or take off the public pages.")
class ThemePublishInput:
    id: strawberry.ID = strawberry.field(
        description="The theme: in use, and named in every enabled language to publish."
    )


@mutations.add("themePublish", roles=MANAGER_ROLES, payload="ThemePublished", resource="Theme")
def publish(context: Context, data: ThemePublishInput) -> Outcome:
    """Publish a theme for residents (managers): it must be in use and named in every enabled language."""
    return Outcome(public_themes.publish_theme(context.actor, parse_id(data.id, "theme")).id)


@mutations.add("themeUnpublish", roles=MANAGER_ROLES, payload="ThemeUnpublished", resource="Theme")
def unpublish(context: Context, data: ThemePublishInput) -> Outcome:
    """Take a theme off the public pages (managers); its votes and round results are kept."""
    return Outcome(public_themes.unpublish_theme(context.actor, parse_id(data.id, "theme")).id)


@strawberry.input(description="An example quote of a theme, in one language.")
class ThemeQuoteProposeInput:
    theme_id: strawberry.ID = strawberry.field(description="The theme, in use.")
    locale: str = strawberry.field(description="The quote's language: an enabled language, e.g. cy.")
    text: str = strawberry.field(
        description="What a resident said (up to 500 characters); names, addresses, phone numbers, emails and "
        "references are taken out as it is saved."
    )
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="The contact it came from, one you may see (staff only; never published)."
    )


@strawberry.input(description="A quote to approve or withdraw.")
class ThemeQuoteInput:
    id: strawberry.ID = strawberry.field(description="The quote.")


@mutations.add("themeQuotePropose", roles=STAFF_ROLES, payload="ThemeQuoteProposed")
def propose(context: Context, data: ThemeQuoteProposeInput) -> Outcome:
    """Propose an example quote of a theme (staff); it is redacted as it is saved and public once approved."""
    contact_id = reference_id(data.contact_id) if data.contact_id is not None else None
    quote = quotes.propose_quote(context.actor, parse_id(data.theme_id, "theme"), data.locale, data.text, contact_id)
    return Outcome(quote.id)


@mutations.add("themeQuoteApprove", roles=MANAGER_ROLES, payload="ThemeQuoteApproved")
def approve(context: Context, data: ThemeQuoteInput) -> Outcome:
    """Approve a proposed quote (managers, not the one who proposed it): it is shown on the theme's public page."""
    return Outcome(quotes.approve_quote(context.actor, parse_id(data.id, "theme_quote")).id)


@mutations.add("themeQuoteWithdraw", roles=STAFF_ROLES, payload="ThemeQuoteWithdrawn")
def withdraw(context: Context, data: ThemeQuoteInput) -> Outcome:
    """Withdraw a quote (staff; an approved one, managers only): it is no longer shown."""
    return Outcome(quotes.withdraw_quote(context.actor, parse_id(data.id, "theme_quote")).id)
