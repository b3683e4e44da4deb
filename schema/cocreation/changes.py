"""Changes ("you said, we did") in the API: everyone, signed in or not, reads published changes with their public
themes, milestones and timeline, and how many contacts (and of them complaints) are behind each, never which; staff
read drafts too, with the links to lessons, improvement actions and contacts, and record, link, move and (managers)
publish them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON

from backend.cocreation import changes, progress
from backend.cocreation.models import (
    Change,
    ChangeAction,
    ChangeContact,
    ChangeLesson,
    ChangeMilestone,
    ChangeStatus,
    ChangeTheme,
    ChangeUpdate,
)
from backend.complaints.models import ServiceArea
from backend.lessons.models import Theme, ThemeText
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES, each, staff_case
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import RESIDENTS, Access, Batched, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

PUBLIC = EVERYONE - STAFF_ROLES
PUBLISHED = {"publishedAt": {"isNull": False}}
OF_PUBLISHED = {"change": PUBLISHED}
TEXTS = 'By language code, e.g. {"en": "...", "cy": "..."}; English is the fallback.'


@strawberry.type(description="A published theme as the public see it: its name and description by language code.")
class ChangeThemeView:
    id: strawberry.ID = strawberry.field(description="The theme's id; its public page is /themes/<id>.")
    name: JSON = strawberry.field(description="Its name by language code.")
    description: JSON = strawberry.field(description="Its description by language code.")


def theme_views(theme_ids: list[int]) -> dict[int, ChangeThemeView]:
    """The published themes among ``theme_ids`` (in use, not archived or merged), in one statement."""
    names: dict[int, dict[str, str]] = {}
    descriptions: dict[int, dict[str, str]] = {}
    rows: Any = (
        ThemeText.select(ThemeText.theme, ThemeText.locale, ThemeText.name, ThemeText.description)
        .join(Theme)
        .where(
            Theme.id.in_(theme_ids),
            Theme.published_at.is_null(False),
            Theme.archived_at.is_null(),
            Theme.merged_into.is_null(),
        )
        .tuples()
    )
    for theme_id, locale, name, description in rows:
        names.setdefault(int(theme_id), {})[locale] = name
        descriptions.setdefault(int(theme_id), {})[locale] = description
    return {
        theme_id: ChangeThemeView(
            id=strawberry.ID(str(theme_id)),
            name=names[theme_id],  # type: ignore[arg-type]
            description=descriptions[theme_id],  # type: ignore[arg-type]
        )
        for theme_id in names
    }


def public_themes(request: Any, change_ids: list[int]) -> dict[int, list[ChangeThemeView]]:
    """Each change's published themes, for a page of changes in two statements."""
    links: list[Any] = list(
        ChangeTheme.select(ChangeTheme.change, ChangeTheme.theme)
        .where(ChangeTheme.change.in_(change_ids))
        .order_by(ChangeTheme.id)
        .tuples()
    )
    views = theme_views(sorted({int(theme) for _, theme in links}))
    found: dict[int, list[ChangeThemeView]] = {}
    for change_id, theme_id in links:
        if int(theme_id) in views:
            found.setdefault(int(change_id), []).append(views[int(theme_id)])
    return found


def _service_area_name(alias: Any) -> Any:
    return ServiceArea.select(ServiceArea.name).where(ServiceArea.id == alias.service_area)


CHANGE = Resource(
    name="Change",
    plural="changes",
    model=Change,
    description='A "you said, we did" record: what the landlord changed, why and when, in each language, with its '
    "progress, milestones and timeline. Everyone reads published ones; staff read drafts and the links behind them.",
    members=[
        Column("reference", "Its reference, CH-YYYY-NN.", residents=True),
        Column("title", "What changed, in a line. " + TEXTS, residents=True),
        Column("what", "What changed, in full. " + TEXTS, residents=True),
        Column("why", "Why: what residents told the landlord. " + TEXTS, residents=True),
        Column("easy_read", "An easy-read summary written by staff. " + TEXTS, residents=True),
        Computed(
            "service_area_name",
            "The name of the part of the service it changed; null: none.",
            kind="string",
            sql=_service_area_name,
            residents=True,
        ),
        ToOne("service_area", "The part of the service it changed (staff only)."),
        Column("status", "Where it is: planned, in_progress, implemented or confirmed (by residents).", residents=True),
        Column("percent", "How far along it is, 0 to 100.", residents=True),
        Column("changed_on", "The UK day it took effect (or is planned to); null: not yet known.", residents=True),
        Column("implemented_at", "When it was marked implemented.", residents=True),
        Column("confirmed_at", "When residents' answers confirmed it made a difference.", residents=True),
        Column("published_at", "When it was made public; null: a draft (staff only).", residents=True),
        Column("impact_yes", "Answers to its impact survey that it made a difference.", residents=True),
        Column("impact_partly", "Answers that it partly made a difference.", residents=True),
        Column("impact_no", "Answers that it made no difference.", residents=True),
        Column("impact_dont_know", "Answers of don't know.", residents=True),
        Column("not_fixed_at", "When enough answers said no that its actions were marked not addressed."),
        Computed(
            "contact_count",
            "How many contacts (anything residents told the landlord) are behind it: a count, never which; null when "
            "fewer than 5, so that nobody behind it can be picked out.",
            kind="int",
            sql=lambda alias: changes.contact_count_sql(alias.id),
            residents=True,
        ),
        Computed(
            "complaint_count",
            "How many of those contacts were complaints: a count, never which; null when fewer than 5.",
            kind="int",
            sql=lambda alias: changes.complaint_count_sql(alias.id),
            residents=True,
        ),
        Batched(
            "public_themes",
            "Its published themes, as the public see them, in the order they were linked.",
            annotation=list[ChangeThemeView],
            load=public_themes,
            residents=True,
        ),
        ToMany("milestones", "Its dated steps, in order.", target="ChangeMilestone", residents=True),
        ToMany("updates", "Its public timeline: each move since it was published, oldest first.", residents=True),
        ToMany(
            "themes",
            "The links to its themes: the public read only each theme's id (themeKey), to filter by theme; "
            "publicThemes names them.",
            target="ChangeTheme",
            residents=True,
        ),
        ToMany("lessons", "The lessons it came from (staff only).", target="ChangeLesson"),
        ToMany("actions", "The improvement actions it carries out (staff only).", target="ChangeAction"),
        ToMany("contacts", "The contacts behind it (staff only; less cases hidden from you).", target="ChangeContact"),
        ToOne("created_by", "Who recorded it (staff only)."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed.", residents=True),
    ],
    access={**STAFF_ACCESS, **each(PUBLIC, Access(RESIDENTS, where=PUBLISHED))},
    default_order=("-publishedAt", "-id"),
)
CHANGE_MILESTONE = Resource(
    name="ChangeMilestone",
    plural="changeMilestones",
    model=ChangeMilestone,
    description="A dated step of a change: planned for a day, and done on one.",
    members=[
        ToOne("change", "The change.", residents=True),
        Column("title", "What the step is. " + TEXTS, residents=True),
        Column("due_on", "The UK day it is planned for; null: not set.", residents=True),
        Column("done_on", "The UK day it was done; null: not yet.", residents=True),
        Column("position", "Its place among the change's steps.", residents=True),
        Column("updated_at", "When it last changed.", residents=True),
    ],
    access={**STAFF_ACCESS, **each(PUBLIC, Access(RESIDENTS, where=OF_PUBLISHED))},
    default_order=("position", "id"),
)
CHANGE_UPDATE = Resource(
    name="ChangeUpdate",
    plural="changeUpdates",
    model=ChangeUpdate,
    description="One move of a published change, as followers are told of it: published, status, percent or milestone.",
    members=[
        ToOne("change", "The change.", residents=True),
        Column("kind", "What moved: published, status, percent or milestone.", residents=True),
        Column("status", "Its status after the move.", residents=True),
        Column("percent", "Its percentage after the move.", residents=True),
        ToOne("milestone", "The milestone done, for a milestone move.", target="ChangeMilestone", residents=True),
        Column("note", "What staff said of the move. " + TEXTS, residents=True),
        ToOne("created_by", "Who moved it (staff only)."),
        Column("created_at", "When it moved.", residents=True),
    ],
    access={**STAFF_ACCESS, **each(PUBLIC, Access(RESIDENTS, where=OF_PUBLISHED))},
    default_order=("createdAt", "id"),
)
CHANGE_THEME = Resource(
    name="ChangeTheme",
    plural="changeThemes",
    model=ChangeTheme,
    description="A theme a change answers. The public read only the theme's id, to filter changes by theme.",
    members=[
        ToOne("change", "The change."),
        ToOne("theme", "The theme (staff only)."),
        Computed(
            "theme_key",
            "The theme's id: filter published changes by theme with themes: {some: {themeKey: {eq: ...}}}.",
            kind="id",
            sql=lambda alias: alias.theme,
            null=False,
            residents=True,
        ),
    ],
    access={**STAFF_ACCESS, **each(PUBLIC, Access(RESIDENTS, where=OF_PUBLISHED))},
)
CHANGE_LESSON = Resource(
    name="ChangeLesson",
    plural="changeLessons",
    model=ChangeLesson,
    description="A lesson a change came from (staff only).",
    members=[ToOne("change", "The change."), ToOne("lesson", "The lesson.")],
    access=STAFF_ACCESS,
)
CHANGE_ACTION = Resource(
    name="ChangeAction",
    plural="changeActions",
    model=ChangeAction,
    description="An improvement action a change carries out (staff only).",
    members=[ToOne("change", "The change."), ToOne("action", "The improvement action.")],
    access=STAFF_ACCESS,
)
CHANGE_CONTACT = Resource(
    name="ChangeContact",
    plural="changeContacts",
    model=ChangeContact,
    description="A contact behind a change (staff only, less cases hidden from you): the public see only counts.",
    members=[
        ToOne("change", "The change."),
        ToOne("contact", "The contact."),
        ToOne("linked_by", "Who linked it."),
        Column("linked_at", "When it was linked."),
    ],
    access=staff_case(via="contact"),
)

RESOURCES = [CHANGE, CHANGE_MILESTONE, CHANGE_UPDATE, CHANGE_THEME, CHANGE_LESSON, CHANGE_ACTION, CHANGE_CONTACT]


@strawberry.type(description="What published changes can be filtered by: the service areas and themes they have.")
class ChangeChoices:
    service_areas: list[str] = strawberry.field(description="The names of the service areas, in name order.")
    themes: list[ChangeThemeView] = strawberry.field(description="The published themes, in id order.")


@only_for(EVERYONE)
@strawberry.type
class ChangeChoicesQuery:
    @strawberry.field(description="What published changes can be filtered by. Open to everyone.")
    def change_choices(self, info: strawberry.Info[Context, None]) -> ChangeChoices:
        published = Change.select(Change.id).where(Change.published_at.is_null(False))
        areas = (
            ServiceArea.select(ServiceArea.name)
            .where(ServiceArea.id.in_(Change.select(Change.service_area).where(Change.published_at.is_null(False))))
            .order_by(ServiceArea.name)
        )
        theme_ids = ChangeTheme.select(ChangeTheme.theme).where(ChangeTheme.change.in_(published)).distinct()
        views = theme_views(sorted(int(row.theme_id) for row in theme_ids))  # type: ignore[attr-defined]
        return ChangeChoices(service_areas=[a.name for a in areas], themes=[views[i] for i in sorted(views)])


QUERIES = [ChangeChoicesQuery]


def _given(data: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(data, name) for name in names if getattr(data, name) is not strawberry.UNSET}


def _change_values(data: Any) -> dict[str, Any]:
    values = _given(data, ("title", "what", "why", "easy_read", "service_area_id", "changed_on"))
    if values.get("service_area_id") is not None:
        values["service_area_id"] = reference_id(values["service_area_id"])
    return values


@strawberry.input(description="A new change, planned and not yet public, given the reference CH-YYYY-NN.")
class ChangeCreateInput:
    title: JSON = strawberry.field(
        description="What changed, in a line (up to 200 characters); English required. " + TEXTS
    )
    what: JSON | None = strawberry.field(default=strawberry.UNSET, description="What changed (up to 5,000). " + TEXTS)
    why: JSON | None = strawberry.field(default=strawberry.UNSET, description="Why (up to 5,000). " + TEXTS)
    easy_read: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="A short plain summary (up to 1,000). " + TEXTS
    )
    service_area_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The part of the service it changes."
    )
    changed_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The UK day it takes effect (or is planned to)."
    )


KEPT = "Not given: kept."


@strawberry.input(description="Change a change's texts, service area or day: only the fields given change.")
class ChangeUpdateInput:
    id: strawberry.ID = strawberry.field(description="The change.")
    title: JSON | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Up to 200; " + TEXTS)
    what: JSON | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Up to 5,000; " + TEXTS)
    why: JSON | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Up to 5,000; " + TEXTS)
    easy_read: JSON | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Up to 1,000; " + TEXTS)
    service_area_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description=KEPT + " Null clears it."
    )
    changed_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Null clears it.")


@mutations.add("changeCreate", roles=STAFF_ROLES, payload="ChangeCreated", resource="Change")
def create(context: Context, data: ChangeCreateInput) -> Outcome:
    """Record a change (staff): planned, not yet public, with its reference."""
    return Outcome(changes.create_change(context.actor, _change_values(data)).id)


@mutations.add("changeUpdate", roles=STAFF_ROLES, payload="ChangeUpdated", resource="Change")
def update(context: Context, data: ChangeUpdateInput) -> Outcome:
    """Change a change's texts, service area or day (staff); the audit trail keeps what it said before."""
    return Outcome(changes.update_change(context.actor, parse_id(data.id, "change"), _change_values(data)).id)


@strawberry.input(
    description="The links of a change: each list given replaces that kind of link; one not given is kept."
)
class ChangeLinksSetInput:
    id: strawberry.ID = strawberry.field(description="The change.")
    theme_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Its themes, by id (in use: not archived or merged); at most 200."
    )
    lesson_references: list[str] | None = strawberry.field(
        default=None, description="The lessons it came from, by reference (LS-YYYY-NNNN); at most 200."
    )
    action_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The improvement actions it carries out, by id; at most 200."
    )
    contact_references: list[str] | None = strawberry.field(
        default=None,
        description="The contacts behind it, by reference (LL-...); at most 200. Links to cases hidden from you are "
        "kept whatever this says.",
    )


@mutations.add("changeLinksSet", roles=STAFF_ROLES, payload="ChangeLinksSaved", resource="Change")
def links_set(context: Context, data: ChangeLinksSetInput) -> Outcome:
    """Set a change's themes, lessons, improvement actions or contacts (staff)."""
    change = changes.set_links(
        context.actor,
        parse_id(data.id, "change"),
        theme_ids=[reference_id(i) for i in data.theme_ids] if data.theme_ids is not None else None,
        lesson_references=data.lesson_references,
        action_ids=[reference_id(i) for i in data.action_ids] if data.action_ids is not None else None,
        contact_references=data.contact_references,
    )
    return Outcome(change.id)


@strawberry.input(description="A change to act on.")
class ChangeInput:
    id: strawberry.ID = strawberry.field(description="The change.")


@mutations.add("changePublish", roles=MANAGER_ROLES, payload="ChangePublished", resource="Change")
def publish(context: Context, data: ChangeInput) -> Outcome:
    """Make a change public (managers): it needs an English title, what and why, and a theme or a lesson."""
    update_ = changes.publish_change(context.actor, parse_id(data.id, "change"))
    return Outcome(update_.change_id)  # type: ignore[attr-defined]


@strawberry.input(description="Move a change: its status, its percentage, or both, with a note for the public.")
class ChangeMoveInput:
    id: strawberry.ID = strawberry.field(description="The change.")
    status: ChangeStatus | None = strawberry.field(
        default=None,
        description="planned, in_progress or implemented (100%); not given: kept. confirmed is set by residents' "
        "answers, never by staff. A move back is a manager's, with a reason.",
    )
    percent: int | None = strawberry.field(default=None, description="0 to 100; not given: kept.")
    note: JSON | None = strawberry.field(
        default=None, description="What to tell the public of the move (up to 1,000 each). " + TEXTS
    )
    reason: str = strawberry.field(
        default="", description="Why it moves back (required for a move back; up to 1,000); kept in the audit trail."
    )


@mutations.add("changeMove", roles=STAFF_ROLES, payload="ChangeMoved", resource="Change")
def move(context: Context, data: ChangeMoveInput) -> Outcome:
    """Move a change's status or percentage (staff); a published one's move is on its timeline."""
    change = progress.move_change(
        context.actor,
        parse_id(data.id, "change"),
        status=data.status,
        percent=data.percent,
        note=data.note,  # type: ignore[arg-type]
        reason=data.reason,
    )
    return Outcome(change.id)


@strawberry.input(description="A new dated step of a change.")
class ChangeMilestoneAddInput:
    change_id: strawberry.ID = strawberry.field(description="The change.")
    title: JSON = strawberry.field(description="What the step is (up to 200, one line); English required. " + TEXTS)
    due_on: dt.date | None = strawberry.field(default=None, description="The UK day it is planned for.")
    position: int | None = strawberry.field(default=None, description="Its place, 0 to 1,000; not given: last.")


@mutations.add("changeMilestoneAdd", roles=STAFF_ROLES, payload="ChangeMilestoneAdded", resource="ChangeMilestone")
def milestone_add(context: Context, data: ChangeMilestoneAddInput) -> Outcome:
    """Add a dated step to a change (staff)."""
    values: dict[str, Any] = {"title": data.title, "due_on": data.due_on}
    if data.position is not None:
        values["position"] = data.position
    return Outcome(progress.add_milestone(context.actor, parse_id(data.change_id, "change"), values).id)


@strawberry.input(description="Change a step of a change: only the fields given change.")
class ChangeMilestoneUpdateInput:
    id: strawberry.ID = strawberry.field(description="The milestone.")
    title: JSON | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Up to 200; " + TEXTS)
    due_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " Null clears it.")
    position: int | None = strawberry.field(default=strawberry.UNSET, description=KEPT + " 0 to 1,000.")


@mutations.add("changeMilestoneUpdate", roles=STAFF_ROLES, payload="ChangeMilestoneUpdated", resource="ChangeMilestone")
def milestone_update(context: Context, data: ChangeMilestoneUpdateInput) -> Outcome:
    """Change a step's title, day or place (staff)."""
    values = _given(data, ("title", "due_on", "position"))
    return Outcome(progress.update_milestone(context.actor, parse_id(data.id, "change_milestone"), values).id)


@strawberry.input(description="Mark a step of a change done.")
class ChangeMilestoneDoneInput:
    id: strawberry.ID = strawberry.field(description="The milestone.")
    done_on: dt.date | None = strawberry.field(default=None, description="The UK day it was done; today if not given.")
    note: JSON | None = strawberry.field(
        default=None, description="What to tell the public of it (up to 1,000 each). " + TEXTS
    )


@mutations.add("changeMilestoneDone", roles=STAFF_ROLES, payload="ChangeMilestoneDone", resource="ChangeMilestone")
def milestone_done(context: Context, data: ChangeMilestoneDoneInput) -> Outcome:
    """Mark a step done (staff); on a published change it is on the timeline and told to followers."""
    row = progress.mark_milestone_done(
        context.actor,
        parse_id(data.id, "change_milestone"),
        done_on=data.done_on,
        note=data.note,  # type: ignore[arg-type]
    )
    return Outcome(row.id)
