"""The landlord's own pages in the API: everyone reads them (``landlordPages``, and ``landlordPageShown`` for the
page a reader of a language is shown, built-in default included); admins write them (``landlordPageSet``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.cocreation import pages
from backend.cocreation.models import LandlordPage
from schema.access import ADMIN_ROLES, EVERYONE, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import RESIDENTS, Access, Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome

mutations = Mutations()

LANDLORD_PAGE = Resource(
    name="LandlordPage",
    plural="landlordPages",
    model=LandlordPage,
    description="One of the landlord's own pages (contact, complaints policy, accessibility, privacy) in one "
    "language, as admins wrote it. Open to everyone.",
    members=[
        Column("kind", "Which page it is.", residents=True),
        Column("locale", "Its language code.", residents=True),
        Column("title", "Its title.", residents=True),
        Column(
            "body",
            "Its text in the pages' markup: paragraphs, '## ' headings, '- ' list items, [words](https://...) links.",
            residents=True,
        ),
        Column("updated_at", "When it last changed.", residents=True),
        ToOne("updated_by", "The admin who last wrote it."),
    ],
    access={**STAFF_ACCESS, **each(EVERYONE - STAFF_ROLES, Access(RESIDENTS))},
    default_order=("kind", "locale"),
)

RESOURCES = [LANDLORD_PAGE]


@strawberry.type(description="One of the landlord's pages as a reader is shown it.")
class ShownLandlordPage:
    kind: str = strawberry.field(description="Which page it is: contact, complaints_policy, accessibility, privacy.")
    locale: str = strawberry.field(description="The language it is in: the reader's, else English.")
    title: str = strawberry.field(description="Its title.")
    body: str = strawberry.field(description="Its text in the pages' markup.")
    built_in: bool = strawberry.field(description="True when no admin has written it: the built-in default.")


@only_for(EVERYONE)
@strawberry.type
class LandlordPageQuery:
    @strawberry.field(
        description="The page of a kind for a reader of a language: theirs, else English, else the built-in "
        "default; null for a kind that is not a page. Open to everyone."
    )
    def landlord_page_shown(
        self,
        info: strawberry.Info[Context, None],
        kind: Annotated[str, strawberry.argument(description="contact, complaints_policy, accessibility or privacy.")],
        locale: Annotated[
            str | None, strawberry.argument(description="The reader's language code; the viewer's when not given.")
        ] = None,
    ) -> ShownLandlordPage | None:
        shown = pages.shown_page(kind[:30], (locale or info.context.locale)[:10])
        return ShownLandlordPage(**vars(shown)) if shown is not None else None


QUERIES = [LandlordPageQuery]


@strawberry.input(description="Write one of the landlord's pages in one language.")
class LandlordPageSetInput:
    kind: str = strawberry.field(description="contact, complaints_policy, accessibility or privacy.")
    locale: str = strawberry.field(description="The language code, one of the enabled languages.")
    title: str = strawberry.field(description="The title, one line of up to 200 characters.")
    body: str = strawberry.field(
        description="The text (up to 50,000 characters): paragraphs split by blank lines, '## ' headings, '- ' list "
        "items and [words](https://...) links (http, https and mailto only)."
    )


@mutations.add("landlordPageSet", roles=ADMIN_ROLES, payload="LandlordPageSet")
def set_page(context: Context, data: LandlordPageSetInput) -> Outcome:
    """Write (or rewrite) one of the landlord's pages in one language (admins)."""
    page = pages.set_page(context.actor, data.kind[:30], data.locale[:10], data.title, data.body)
    return Outcome(page.id)
