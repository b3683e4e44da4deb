"""Themes in the API: themes with their texts, figures and links, the priority weights, suggestions for a lesson,
and the mutations that create, edit, archive and merge themes and link lessons and contacts to them. Staff only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from backend.errors import NotFound
from backend.lessons import theme_figures, theme_suggestions, themes
from backend.lessons.models import ContactTheme, LessonTheme, PriorityWeight, Theme, ThemeText
from schema.access import MANAGER_ROLES, STAFF_ACCESS, staff_case
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.access import DERIVED_VARIABLES, ViewerVariables, only_for
from schema.engine.declare import Column, Computed, Resolved, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


@strawberry.type(description="One UK month of a theme's trend.")
class ThemeMonth:
    month: dt.date = strawberry.field(description="The month's first day.")
    contacts: int = strawberry.field(description="Contacts received that month and linked to the theme.")
    complaints: int = strawberry.field(description="Of those contacts, the ones that became complaints.")
    upheld_complaints: int = strawberry.field(
        description="Of those complaints, the ones with a point decided upheld or partly upheld."
    )


def _theme_id(node_id: str) -> int | None:
    try:
        return int(node_id)
    except (TypeError, ValueError):
        return None


def _of_theme(figure: Any) -> Any:
    """The figure's SQL for the theme row the engine is reading (its ``alias``)."""
    return lambda alias: figure(alias.id)


# What the cases hidden from the viewer add to each theme's figures, worked out once per request when asked for.
DERIVED_VARIABLES["hiddenThemeFigures"] = theme_figures.hidden_from


def _seen_by_viewer(figure: Any) -> Any:
    """The figure's SQL for the theme row, less what the cases hidden from the viewer add."""
    return lambda alias, viewer: figure(alias.id, viewer.get("hiddenThemeFigures"))


def theme_trend(context: Any, node_id: str) -> list[ThemeMonth]:
    """The theme's trend, less the cases hidden from the viewer; every theme's is read in one statement, once per
    request (a page lists many), after the figures were brought up to date (the resource's ``prepare``)."""
    theme_id = _theme_id(node_id)
    if theme_id is None:
        return []
    if "theme_trends" not in context.extra:
        request = context.extra.get("engine_request")
        if request is None or theme_figures.ensure_current not in request.prepared:
            theme_figures.ensure_current()
        viewer = request.viewer if request is not None else ViewerVariables(context.actor.user_id)
        hidden = viewer.get("hiddenThemeFigures")
        empty = theme_figures.empty_trend()
        context.extra["theme_trends"] = {
            theme: [
                ThemeMonth(
                    month=m.month, contacts=m.contacts, complaints=m.complaints, upheld_complaints=m.upheld_complaints
                )
                for m in theme_figures.visible_trend(months, hidden.months.get(theme))
            ]
            for theme, months in theme_figures.stored_trends().items()
        }
        context.extra["theme_trend_empty"] = [
            ThemeMonth(month=m.month, contacts=0, complaints=0, upheld_complaints=0) for m in empty
        ]
    return context.extra["theme_trends"].get(theme_id) or context.extra["theme_trend_empty"]


THEME = Resource(
    name="Theme",
    plural="themes",
    model=Theme,
    description="A theme lessons and contacts are grouped into, with a resident-facing name and description in "
    "each enabled language, its monthly trend and its priority score.",
    members=[
        Column("name", "Its internal name, unique."),
        Column("archived_at", "When it was archived or merged. Null: in use."),
        Column("created_at", "When it was created."),
        Column("updated_at", "When it, its texts or its links last changed."),
        ToOne("merged_into", "The theme it was merged into. Null: not merged."),
        Computed(
            "residents_affected",
            "The distinct residents whose contacts are linked (a contact with no resident account counts once), less "
            "cases hidden from you.",
            kind="int",
            sql=_seen_by_viewer(theme_figures.stored_sql("residents_affected")),
            viewer=True,
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "contact_count",
            "The contacts linked, less cases hidden from you: the same as contactsCount, read from the theme's "
            "stored figures (quick on a list of themes).",
            kind="int",
            sql=_seen_by_viewer(theme_figures.stored_sql("contacts")),
            viewer=True,
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "complaint_count",
            "The complaints opened from linked contacts, less cases hidden from you.",
            kind="int",
            sql=_seen_by_viewer(theme_figures.stored_sql("complaints")),
            viewer=True,
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "upheld_complaint_count",
            "Those complaints with a point decided upheld or partly upheld, less cases hidden from you.",
            kind="int",
            sql=_seen_by_viewer(theme_figures.stored_sql("upheld_complaints")),
            viewer=True,
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "impact",
            "The sum of the linked lessons' business and resident impact ratings (1-5 each; unrated counts 0).",
            kind="int",
            sql=_of_theme(theme_figures.stored_sql("impact")),
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "votes",
            "Residents' votes for the theme: the dots it received in priority rounds counted whose voting closed "
            "in the last 12 months.",
            kind="int",
            sql=_of_theme(theme_figures.votes_sql),
            null=False,
        ),
        Computed(
            "priority_score",
            "residentsAffected x w1 + upheldComplaintCount x w2 + impact x w3 + votes x w4, with the weights of "
            "priorityWeights.",
            kind="float",
            sql=_seen_by_viewer(theme_figures.priority_sql),
            viewer=True,
            prepare=theme_figures.ensure_current,
            null=False,
        ),
        Computed(
            "ready_for_residents",
            "Whether it has a resident-facing name in every enabled language.",
            kind="boolean",
            sql=_of_theme(themes.ready_sql),
            null=False,
        ),
        Resolved(
            "trend",
            "Its last 12 UK months, oldest first: contacts linked, complaints and upheld complaints, less cases hidden "
            "from you.",
            annotation=list[ThemeMonth],
            resolve=theme_trend,
        ),
        ToMany("texts", "Its resident-facing name and description, one per language."),
        ToMany("lessons", "The links staff confirmed to lessons."),
        ToMany("contacts", "The links staff confirmed to contacts (less those of cases hidden from you)."),
        ToMany("merged_themes", "The themes merged into it."),
    ],
    access=STAFF_ACCESS,
    default_order=("name", "id"),
)
THEME_TEXT = Resource(
    name="ThemeText",
    plural="themeTexts",
    model=ThemeText,
    description="A theme's resident-facing name and description in one language.",
    members=[
        Column("locale", "The language, e.g. cy."),
        Column("name"),
        Column("description"),
        Column("updated_at", "When it last changed."),
        ToOne("theme", "The theme it names."),
    ],
    access=STAFF_ACCESS,
    default_order=("locale", "id"),
)
LESSON_THEME = Resource(
    name="LessonTheme",
    plural="lessonThemes",
    model=LessonTheme,
    description="A link a member of staff confirmed between a lesson and a theme.",
    members=[
        Column("linked_at", "When it was confirmed."),
        ToOne("lesson", "The lesson."),
        ToOne("theme", "The theme."),
        ToOne("linked_by", "Who confirmed the link."),
    ],
    access=STAFF_ACCESS,
    default_order=("-linkedAt", "id"),
)
CONTACT_THEME = Resource(
    name="ContactTheme",
    plural="contactThemes",
    model=ContactTheme,
    description="A link a member of staff confirmed between a contact and a theme.",
    members=[
        Column("linked_at", "When it was confirmed."),
        ToOne("contact", "The contact."),
        ToOne("theme", "The theme."),
        ToOne("linked_by", "Who confirmed the link."),
    ],
    access=staff_case("contact"),
    default_order=("-linkedAt", "id"),
)
PRIORITY_WEIGHT = Resource(
    name="PriorityWeight",
    plural="priorityWeights",
    model=PriorityWeight,
    description="One weight of the theme priority score; managers set them with priorityWeightsSet.",
    members=[
        Column("factor", "What it weighs."),
        Column("weight"),
        Column("updated_at", "When it last changed."),
    ],
    access=STAFF_ACCESS,
    default_order=("id",),
)

RESOURCES = [THEME, THEME_TEXT, LESSON_THEME, CONTACT_THEME, PRIORITY_WEIGHT]


@strawberry.input(
    description="A theme's resident-facing name and description in one language; both blank: no text in that "
    "language (when changing a theme, that removes the language's text)."
)
class ThemeTextInput:
    locale: str = strawberry.field(description="An enabled language, e.g. cy.")
    name: str = strawberry.field(default="", description="Up to 100 characters on one line; blank: none.")
    description: str = strawberry.field(default="", description="Up to 10,000 characters; needs a name.")


@strawberry.input(description="A new theme.")
class ThemeCreateInput:
    name: str = strawberry.field(description="Its internal name, unique, up to 100 characters.")
    texts: list[ThemeTextInput] = strawberry.field(
        default_factory=list, description="Its resident-facing texts, at most one per enabled language."
    )


@strawberry.input(description="Rename a theme or change its resident-facing texts: only what is given changes.")
class ThemeUpdateInput:
    id: strawberry.ID = strawberry.field(description="The theme, in use.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Its internal name, unique, up to 100 characters. Kept if not given; it cannot be cleared.",
    )
    texts: list[ThemeTextInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Resident-facing texts, at most one per enabled language: each language given gets its text, "
        "or loses it when both its name and description are blank. Languages not given keep theirs; not given, "
        "null or empty changes no text.",
    )


@strawberry.input(description="A theme to archive.")
class ThemeArchiveInput:
    id: strawberry.ID = strawberry.field(description="The theme, in use.")


@strawberry.input(description="Merge a theme into another. Residents' votes are not moved.")
class ThemeMergeInput:
    id: strawberry.ID = strawberry.field(description="The theme merged away, in use.")
    into_id: strawberry.ID = strawberry.field(description="The theme it is merged into, in use.")


@strawberry.input(description="A lesson and a theme.")
class LessonThemeInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson.")
    theme_id: strawberry.ID = strawberry.field(description="The theme, in use when linking.")


@strawberry.input(description="A contact and a theme.")
class ContactThemeInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact.")
    theme_id: strawberry.ID = strawberry.field(description="The theme, in use when linking.")


@strawberry.input(
    description="The priority score's weights, each from 0 to 1,000, decimals allowed; those left out (or null) "
    "stay as they are. Give at least one."
)
class PriorityWeightsSetInput:
    residents_affected: float | None = strawberry.field(default=None, description="Residents affected.")
    upheld_complaints: float | None = strawberry.field(default=None, description="Upheld complaints.")
    impact: float | None = strawberry.field(default=None, description="Impact ratings.")
    votes: float | None = strawberry.field(default=None, description="Residents' votes.")


@strawberry.type(description="The priority score's weights after the change.")
class PriorityWeightsSet:
    residents_affected: float = strawberry.field(description="The weight of residents affected.")
    upheld_complaints: float = strawberry.field(description="The weight of upheld complaints.")
    impact: float = strawberry.field(description="The weight of impact ratings.")
    votes: float = strawberry.field(description="The weight of residents' votes.")


def _texts(given: list[ThemeTextInput]) -> list[themes.TextInput]:
    return [themes.TextInput(t.locale, t.name, t.description) for t in given]


@mutations.add("themeCreate", roles=STAFF, payload="ThemeCreated")
def create(context: Context, data: ThemeCreateInput) -> Outcome:
    """Create a theme with its internal name and its resident-facing texts."""
    return Outcome(themes.create_theme(context.actor, data.name, _texts(data.texts)).id)


@mutations.add("themeUpdate", roles=STAFF, payload="ThemeUpdated")
def update(context: Context, data: ThemeUpdateInput) -> Outcome:
    """Rename a theme or change its resident-facing texts, one language at a time; what is not given is kept."""
    name = None if data.name is strawberry.UNSET else data.name or ""  # null: a name is required
    texts = None if data.texts is strawberry.UNSET else _texts(data.texts or [])
    theme = themes.update_theme(context.actor, parse_id(data.id, "theme"), name, texts)
    return Outcome(theme.id)


@mutations.add("themeArchive", roles=MANAGER_ROLES, payload="ThemeArchived")
def archive(context: Context, data: ThemeArchiveInput) -> Outcome:
    """Archive a theme (managers): it keeps its links but takes no new ones."""
    return Outcome(themes.archive_theme(context.actor, parse_id(data.id, "theme")).id)


@mutations.add("themeMerge", roles=MANAGER_ROLES, payload="ThemeMerged")
def merge(context: Context, data: ThemeMergeInput) -> Outcome:
    """Merge a theme into another (managers): its lesson and contact links move; residents' votes do not. The
    payload holds the theme merged, now archived, whose mergedInto is the theme that carries on (as lessonMerge)."""
    merged = themes.merge_theme(context.actor, parse_id(data.id, "theme"), reference_id(data.into_id))
    return Outcome(merged.id)


@mutations.add("lessonThemeLink", roles=STAFF, payload="LessonThemeLinked", resource="LessonTheme")
def link_lesson(context: Context, data: LessonThemeInput) -> Outcome:
    """Link a lesson to a theme, as you confirm it."""
    link = themes.link_lesson(context.actor, parse_id(data.lesson_id, "lesson"), reference_id(data.theme_id))
    return Outcome(link.id)


@mutations.add("lessonThemeUnlink", roles=STAFF, payload="LessonThemeUnlinked", resource="Theme")
def unlink_lesson(context: Context, data: LessonThemeInput) -> Outcome:
    """Remove a lesson's link to a theme; the payload holds the theme."""
    theme_id = parse_id(data.theme_id, "lesson_theme")
    themes.unlink_lesson(context.actor, parse_id(data.lesson_id, "lesson"), theme_id)
    return Outcome(theme_id)


@mutations.add("contactThemeLink", roles=STAFF, payload="ContactThemeLinked", resource="ContactTheme")
def link_contact(context: Context, data: ContactThemeInput) -> Outcome:
    """Link a contact to a theme, as you confirm it; a case hidden from you answers like one not there."""
    link = themes.link_contact(context.actor, parse_id(data.contact_id, "contact"), reference_id(data.theme_id))
    return Outcome(link.id)


@mutations.add("contactThemeUnlink", roles=STAFF, payload="ContactThemeUnlinked", resource="Theme")
def unlink_contact(context: Context, data: ContactThemeInput) -> Outcome:
    """Remove a contact's link to a theme; the payload holds the theme."""
    theme_id = parse_id(data.theme_id, "contact_theme")
    themes.unlink_contact(context.actor, parse_id(data.contact_id, "contact"), theme_id)
    return Outcome(theme_id)


@mutations.add("priorityWeightsSet", roles=MANAGER_ROLES, payload=PriorityWeightsSet)
def set_weights(context: Context, data: PriorityWeightsSetInput) -> PriorityWeightsSet:
    """Set the priority score's weights (managers); at least one must be given, and one must stay above 0."""
    given = {factor: getattr(data, factor) for factor in themes.FACTORS if getattr(data, factor) is not None}
    return PriorityWeightsSet(**themes.set_weights(context.actor, given))


@strawberry.type(description="A theme suggested for a lesson, for staff to confirm or ignore.")
class ThemeSuggestion:
    theme_id: strawberry.ID = strawberry.field(description="The theme suggested.")
    name: str = strawberry.field(description="Its internal name.")
    score: float = strawberry.field(description="How close it is: higher is closer; for ordering only.")


@only_for(STAFF)
@strawberry.type
class ThemesQuery:
    @strawberry.field(
        description="Themes in use whose names, texts and lessons are closest to the lesson's title, early lesson "
        "and event, by full-text ranking; closest first, at most 5, less those already linked. Nothing is linked "
        "until staff confirm it (lessonThemeLink). Empty for a lesson that is not there. Staff only."
    )
    def theme_suggestions(
        self,
        info: Info[Context, None],
        lesson_id: Annotated[strawberry.ID, strawberry.argument(description="The lesson.")],
    ) -> list[ThemeSuggestion]:
        try:
            found = theme_suggestions.suggest_themes(parse_id(lesson_id, "lesson"))
        except NotFound:
            return []
        return [ThemeSuggestion(theme_id=strawberry.ID(str(s.theme_id)), name=s.name, score=s.score) for s in found]


QUERIES = [ThemesQuery]
