"""Lessons in the API: the log, each lesson's sources, causes and learning types, the root-cause taxonomy, the
recorded "no wider lesson" decisions, and the mutations that call ``backend.lessons``. Staff only.

The log filters by status, ``sources: {some: {kind: …}}``, ``themes: {some: {theme: {id: …}}}``, service area,
owner, team and ``overdueActionCount: {gt: 0}``. ``Theme`` and ``LessonTheme`` are declared here, read-only, so
that the log can be filtered and shown by theme; the themes' own mutations and texts are the themes module's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from peewee import fn
from strawberry.types import Info

from backend.complaints.models import ComplaintStatus
from backend.lessons import causes, completeness, history, sources
from backend.lessons import lessons as lesson_services
from backend.lessons.models import (
    ImprovementAction,
    LearningType,
    Lesson,
    LessonCause,
    LessonLearningType,
    LessonSource,
    LessonStatus,
    NoLessonDecision,
    RootCause,
    SourceKind,
)
from backend.records import RecordSpec
from backend.timeutil import local_date
from schema.access import ADMIN_ROLES, HIDDEN_CASE, MANAGER_ROLES, STAFF_ACCESS, reach, staff, staff_case
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Batched, Column, Computed, Resolved, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


def open_action_count(alias: Any) -> Any:
    """SQL: the lesson's actions not yet done, signed off, verified or cancelled."""
    action = ImprovementAction.alias()
    return action.select(fn.COUNT(action.id)).where(
        (action.lesson == alias.id) & action.status.not_in(sorted(lesson_services.SETTLED))
    )


def overdue_action_count(alias: Any) -> Any:
    """SQL: the lesson's open actions whose due date (a UK day) is before today."""
    action = ImprovementAction.alias()
    return action.select(fn.COUNT(action.id)).where(
        (action.lesson == alias.id)
        & action.status.not_in(sorted(lesson_services.SETTLED))
        & (action.due_on < local_date())
    )


def complaint_count(alias: Any, viewer: Any) -> Any:
    """SQL: how many complaints the lesson names as sources (as complaints or Ombudsman determinations), less those
    of cases hidden from the viewer (as ``sources`` leaves them out)."""
    source = LessonSource.alias()
    return source.select(fn.COUNT(fn.DISTINCT(source.complaint))).where(
        (source.lesson == alias.id)
        & source.complaint.is_null(False)
        & source.complaint.not_in(viewer.get("hiddenComplaintIds"))
    )


#: The kinds in the vocabulary's order, the order a lesson's source kinds are listed in.
KIND_ORDER = {code: index for index, code in enumerate(SourceKind.codes())}


def source_kinds(request: Any, lesson_ids: list[int]) -> dict[int, list[str]]:
    """Each lesson's distinct source kinds, in the vocabulary's order, for every lesson of a page in one statement.

    Only the sources the viewer may see count: the statement has the ``LessonSource`` row filter the ``sources``
    list has (a source about a case hidden from the viewer is left out), so a kind whose only sources are about
    hidden cases is not listed, and the list says nothing a hidden case would.
    """
    scope = request.scope(request.resource("LessonSource"))
    source = scope.alias
    query = (
        source.select(source.lesson, source.kind)
        .where(source.lesson.in_(lesson_ids) & scope.role_condition())
        .distinct()
    )
    found: dict[int, list[str]] = {}
    for lesson_id, kind in query.tuples():
        found.setdefault(int(lesson_id), []).append(kind)
    return {lesson: sorted(kinds, key=lambda k: KIND_ORDER.get(k, len(KIND_ORDER))) for lesson, kinds in found.items()}


@strawberry.type(description="One change in a lesson's history: who did what, and when.")
class LessonHistoryEntry:
    occurred_at: dt.datetime = strawberry.field(description="When it was done.")
    actor_name: str | None = strawberry.field(
        description="Who did it; null when nobody is named (the system, or an anonymous speak-up note)."
    )
    action: str = strawberry.field(
        description="What was done, e.g. lesson.cause_added or improvement_action.authorised."
    )
    entity_type: str = strawberry.field(description="lesson, or improvement_action for one of its actions.")
    entity_id: strawberry.ID = strawberry.field(description="The lesson's or the action's id.")
    changes: strawberry.scalars.JSON = strawberry.field(description="Each changed field: {before, after}.")


def lesson_history(context: Any, lesson_id: str) -> list[LessonHistoryEntry]:
    """The lesson's history from the audit trail, newest first (see backend.lessons.history)."""
    return [
        LessonHistoryEntry(
            occurred_at=entry.occurred_at,
            actor_name=entry.actor_name,
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=strawberry.ID(entry.entity_id),
            changes=entry.changes,  # type: ignore[arg-type]
        )
        for entry in history.lesson_history(int(lesson_id), hidden=history.hidden_for(context.actor.user_id))
    ]


LESSON = Resource(
    name="Lesson",
    plural="lessons",
    model=Lesson,
    description="A lesson in the central log: what was learnt, from which sources, why it happened (causes, never "
    "a person) and what is done about it. Staff only.",
    members=[
        Column("reference"),
        Column("title"),
        Column("status"),
        Column("identified_on"),
        Column("team"),
        Column("early_lesson"),
        Column("event_summary"),
        Column("business_impact"),
        Column("resident_impact"),
        Column("actions_taken"),
        Column("later_findings"),
        Column("referred_to_hr"),
        Column("end_reason"),
        Column("archived_at"),
        Column("created_at"),
        Column("updated_at", "When it, its sources, causes or learning types last changed."),
        ToOne("identified_by", "Who captured it; null for a lesson captured from an anonymous speak-up note."),
        ToOne("owner"),
        ToOne("champion"),
        ToOne("service_area"),
        ToOne("merged_into", target="Lesson"),
        ToMany("sources"),
        ToMany("causes"),
        ToMany("learning_types"),
        ToMany("themes", "The themes it is linked to."),
        ToMany("actions", "The improvement actions it leads to.", target="ImprovementAction"),
        Computed(
            "open_action_count",
            "Its actions still open (not done, signed off, verified or cancelled).",
            kind="int",
            sql=open_action_count,
            null=False,
        ),
        Computed(
            "overdue_action_count",
            "Its open actions past their due date (a UK day); filter with {gt: 0} for lessons with overdue actions.",
            kind="int",
            sql=overdue_action_count,
            null=False,
        ),
        Computed(
            "complaint_count",
            "How many complaints it names as sources (less cases hidden from you).",
            kind="int",
            sql=complaint_count,
            viewer=True,
            null=False,
        ),
        Batched(
            "source_kinds",
            "The kinds of its sources, each once, in the order of the SourceKind enum: what a list shows of where "
            "it came from, for a page of lessons in one statement. Only the sources you may see count, as in "
            "sources: a kind whose only sources are about cases hidden from you is left out.",
            annotation=list[SourceKind],  # type: ignore[valid-type]
            load=source_kinds,
        ),
        Resolved(
            "history",
            "Its history from the audit trail, newest first (at most 500 entries), with its actions'. Worked out per "
            "lesson: ask for it on one lesson, not on a list.",
            annotation=list[LessonHistoryEntry],
            resolve=lesson_history,
        ),
    ],
    access=STAFF_ACCESS,
    search=("reference", "title"),
    default_order=("-identifiedOn", "-id"),
)

# A source linked to a hidden case is hidden with it; the lesson itself (general learning) is not.
VISIBLE_SOURCE = {
    "and": [
        {"or": [{"complaint": {"id": {"isNull": True}}}, {"not": reach("complaint.contact", HIDDEN_CASE)}]},
        {"or": [{"contact": {"id": {"isNull": True}}}, {"not": reach("contact", HIDDEN_CASE)}]},
    ]
}
LESSON_SOURCE = Resource(
    name="LessonSource",
    plural="lessonSources",
    model=LessonSource,
    description="One source a lesson came from: a complaint, contact, Ombudsman determination or survey question, "
    "or a note for operational feedback, a scrutiny recommendation or a speak-up note (which may be anonymous: "
    "then nothing records who gave it). A source about a case hidden from you is left out.",
    members=[
        Column("kind"),
        Column("reference"),
        Column("note"),
        Column("anonymous"),
        Column("recorded_at"),
        ToOne("lesson"),
        ToOne("complaint"),
        ToOne("contact"),
        ToOne("survey"),
        ToOne("survey_question"),
        ToOne("recorded_by", "Who recorded it; null for an anonymous speak-up note."),
    ],
    access=staff(Access(where=VISIBLE_SOURCE, aggregate=True)),
    default_order=("recordedAt", "id"),
)
LESSON_CAUSE = Resource(
    name="LessonCause",
    plural="lessonCauses",
    model=LessonCause,
    description="A root cause or contributing factor of a lesson, from the taxonomy, with its own text: a process, "
    "policy, system or team, never a person.",
    members=[
        Column("contributing"),
        Column("detail"),
        Column("created_at"),
        Column("updated_at"),
        ToOne("lesson"),
        ToOne("root_cause"),
    ],
    access=STAFF_ACCESS,
    default_order=("createdAt", "id"),
)
LESSON_LEARNING_TYPE = Resource(
    name="LessonLearningType",
    plural="lessonLearningTypes",
    model=LessonLearningType,
    description="One kind of learning a lesson is.",
    members=[Column("learning_type"), ToOne("lesson")],
    access=STAFF_ACCESS,
)
ROOT_CAUSE = Resource(
    name="RootCause",
    plural="rootCauses",
    model=RootCause,
    description="A cause in the taxonomy admins edit: categories such as process, policy, system, communication, "
    "resourcing, training or contractor, with sub-causes under one parent. Never a person.",
    members=[
        Column("name"),
        Column("description"),
        Column("archived_at"),
        Column("updated_at", "When it last changed."),
        ToOne("parent", target="RootCause"),
        ToMany("children", "Its sub-causes.", target="RootCause", fk="parent"),
        ToMany("lesson_causes", "The lessons' causes that name it."),
    ],
    access=STAFF_ACCESS,
    # rootCauseCreate, rootCauseUpdate and rootCauseArchive, for admins, checked and audited.
    editable=RecordSpec(
        RootCause, "root_cause", ("name", "parent", "description"), ADMIN_ROLES, validate=causes.validate_root_cause
    ),
    default_order=("name",),
)
NO_LESSON_DECISION = Resource(
    name="NoLessonDecision",
    plural="noLessonDecisions",
    model=NoLessonDecision,
    description="A recorded decision that an upheld complaint holds no wider lesson, with the reason.",
    members=[Column("reason"), Column("decided_at"), ToOne("complaint"), ToOne("decided_by")],
    access=staff_case("complaint.contact"),
    default_order=("-decidedAt", "-id"),
)

RESOURCES = [
    LESSON,
    LESSON_SOURCE,
    LESSON_CAUSE,
    LESSON_LEARNING_TYPE,
    ROOT_CAUSE,
    NO_LESSON_DECISION,
]

TITLE = "A short title, up to 200 characters."
TEXT = "Up to 10,000 characters."
IMPACT = "From 1 (least) to 5 (most)."


@strawberry.input(
    description="One source of a lesson. Give the link its kind needs, or a note for the kinds outside the system."
)
class LessonSourceInput:
    kind: SourceKind = strawberry.field(description="Where the lesson came from.")  # type: ignore[valid-type]
    complaint_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a complaint, or an Ombudsman determination (of a determined complaint)."
    )
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="For a contact.")
    survey_question_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a TSM or transactional survey: the question whose results it came from."
    )
    reference: str = strawberry.field(default="", description="A reference outside the system, up to 100 characters.")
    note: str = strawberry.field(
        default="", description="What the source says; needed for operational feedback, scrutiny and speak-up. " + TEXT
    )
    anonymous: bool = strawberry.field(
        default=False, description="A speak-up note given anonymously: nothing records who gave or entered it."
    )


def _optional(raw: strawberry.ID | None) -> int | None:
    return reference_id(raw) if raw not in (None, "") else None


def _source(data: LessonSourceInput) -> sources.SourceInput:
    return sources.SourceInput(
        kind=str(data.kind.value if hasattr(data.kind, "value") else data.kind),
        complaint_id=_optional(data.complaint_id),
        contact_id=_optional(data.contact_id),
        survey_question_id=_optional(data.survey_question_id),
        reference=data.reference,
        note=data.note,
        anonymous=data.anonymous,
    )


def _code(value: Any) -> str:
    return str(value.value if hasattr(value, "value") else value)


@strawberry.input(description="Capture a lesson: a title, at least one source, and what is known so far.")
class LessonCreateInput:
    title: str = strawberry.field(description=TITLE)
    sources: list[LessonSourceInput] = strawberry.field(description="One to 20 sources.")
    early_lesson: str = strawberry.field(default="", description="The lesson as first seen. " + TEXT)
    event_summary: str = strawberry.field(default="", description="The event as a whole. " + TEXT)
    business_impact: int | None = strawberry.field(default=None, description="The impact on the business. " + IMPACT)
    resident_impact: int | None = strawberry.field(default=None, description="The impact on residents. " + IMPACT)
    actions_taken: str = strawberry.field(default="", description="Actions already taken. " + TEXT)
    later_findings: str = strawberry.field(default="", description="What was found later. " + TEXT)
    learning_types: list[LearningType] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list, description="What kinds of learning it is."
    )
    service_area_id: strawberry.ID | None = strawberry.field(default=None, description="A service area in use.")
    team: str | None = strawberry.field(default=None, description="The team it belongs to, up to 100 characters.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="An active member of staff who owns it."
    )
    champion_id: strawberry.ID | None = strawberry.field(
        default=None, description="The active member of staff, a lessons-learnt champion, who follows it."
    )
    referred_to_hr: bool = strawberry.field(
        default=False, description="A conduct concern was referred to HR. Nothing more is recorded here."
    )


@mutations.add("lessonCreate", roles=STAFF, payload="LessonCreated")
def create(context: Context, data: LessonCreateInput) -> Outcome:
    """Capture a lesson in the log with its sources; it gets the next reference of the year, LS-YYYY-NNNN."""
    details = lesson_services.Details(
        early_lesson=data.early_lesson,
        event_summary=data.event_summary,
        business_impact=data.business_impact,
        resident_impact=data.resident_impact,
        actions_taken=data.actions_taken,
        later_findings=data.later_findings,
        referred_to_hr=data.referred_to_hr,
        learning_types=[_code(t) for t in data.learning_types],
        service_area_id=_optional(data.service_area_id),
        team=data.team,
        owner_id=_optional(data.owner_id),
        champion_id=_optional(data.champion_id),
    )
    lesson = lesson_services.create_lesson(context.actor, data.title, [_source(s) for s in data.sources], details)
    return Outcome(lesson.id)


KEPT = " Kept if not given."
CLEARED = " Null clears it."


@strawberry.input(description="Change what a lesson says or how it is classified: only the fields given change.")
class LessonUpdateInput:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description=TITLE + KEPT)
    early_lesson: str | None = strawberry.field(
        default=strawberry.UNSET, description="The lesson as first seen. " + TEXT + KEPT + CLEARED
    )
    event_summary: str | None = strawberry.field(
        default=strawberry.UNSET, description="The event as a whole. " + TEXT + KEPT + CLEARED
    )
    business_impact: int | None = strawberry.field(
        default=strawberry.UNSET, description="The impact on the business. " + IMPACT + KEPT + CLEARED
    )
    resident_impact: int | None = strawberry.field(
        default=strawberry.UNSET, description="The impact on residents. " + IMPACT + KEPT + CLEARED
    )
    actions_taken: str | None = strawberry.field(
        default=strawberry.UNSET, description="Actions already taken. " + TEXT + KEPT + CLEARED
    )
    later_findings: str | None = strawberry.field(
        default=strawberry.UNSET, description="What was found later. " + TEXT + KEPT + CLEARED
    )
    learning_types: list[LearningType] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="The kinds of learning it is: replaces them all." + KEPT
    )
    service_area_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A service area in use." + KEPT + CLEARED
    )
    team: str | None = strawberry.field(
        default=strawberry.UNSET, description="The team it belongs to, up to 100 characters." + KEPT + CLEARED
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="An active member of staff who owns it." + KEPT + CLEARED
    )
    champion_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The active member of staff, a lessons-learnt champion, who follows it." + KEPT + CLEARED,
    )
    referred_to_hr: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="A conduct concern was referred to HR. Nothing more is recorded here." + KEPT,
    )


TEXT_FIELDS = ("title", "early_lesson", "event_summary", "actions_taken", "later_findings")


@mutations.add("lessonUpdate", roles=STAFF, payload="LessonUpdated")
def update(context: Context, data: LessonUpdateInput) -> Outcome:
    """Change a lesson's capture (early lesson, event, impacts, actions taken, later findings) or classification."""
    values: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, "business_impact", "resident_impact", "team", "referred_to_hr"):
        given = getattr(data, name)
        if given is not strawberry.UNSET:
            values[name] = "" if given is None and name in TEXT_FIELDS else given
    for name in ("service_area_id", "owner_id", "champion_id"):
        given = getattr(data, name)
        if given is not strawberry.UNSET:
            values[name] = _optional(given)
    if data.learning_types is not strawberry.UNSET:
        values["learning_types"] = [_code(t) for t in data.learning_types or []]
    lesson = lesson_services.update_lesson(context.actor, parse_id(data.id, "lesson"), values)
    return Outcome(lesson.id)


@strawberry.input(description="Move a lesson one step along its life, or one step back.")
class LessonStatusSetInput:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    status: LessonStatus = strawberry.field(  # type: ignore[valid-type]
        description="The next or previous step: identified, analysed, actions agreed, in progress, measuring "
        "impact, closed. Use lessonCancel and lessonMerge to end a lesson."
    )


@mutations.add("lessonStatusSet", roles=STAFF, payload="LessonStatusSet", resource="Lesson")
def status_set(context: Context, data: LessonStatusSetInput) -> Outcome:
    """Move a lesson to its next or previous step; each step forward needs its part done (a cause to be analysed,
    an authorised action to have actions agreed, every action done to measure impact, every action verified to
    close)."""
    lesson = lesson_services.set_status(context.actor, parse_id(data.id, "lesson"), _code(data.status))
    return Outcome(lesson.id)


@strawberry.input(description="Cancel a lesson, with the reason.")
class LessonCancelInput:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    reason: str = strawberry.field(description="Why it is cancelled, up to 2,000 characters.")


@mutations.add("lessonCancel", roles=STAFF, payload="LessonCancelled")
def cancel(context: Context, data: LessonCancelInput) -> Outcome:
    """Cancel a lesson, with the reason; it no longer changes."""
    return Outcome(lesson_services.cancel_lesson(context.actor, parse_id(data.id, "lesson"), data.reason).id)


@strawberry.input(description="Merge a lesson into another, with the reason.")
class LessonMergeInput:
    id: strawberry.ID = strawberry.field(description="The lesson that ends.")
    into_id: strawberry.ID = strawberry.field(
        description="The lesson that carries on: not archived, cancelled or merged."
    )
    reason: str = strawberry.field(description="Why they are one lesson, up to 2,000 characters.")


@mutations.add("lessonMerge", roles=STAFF, payload="LessonMerged")
def merge(context: Context, data: LessonMergeInput) -> Outcome:
    """Merge a lesson into another, with the reason; it names the lesson it was merged into and no longer changes.
    The payload holds the lesson merged, whose mergedInto is the lesson that carries on (as themeMerge)."""
    lesson = lesson_services.merge_lesson(
        context.actor, parse_id(data.id, "lesson"), reference_id(data.into_id), data.reason
    )
    return Outcome(lesson.id)


@strawberry.input(description="The lesson to archive or delete.")
class LessonIdInput:
    id: strawberry.ID = strawberry.field(description="The lesson.")


@mutations.add("lessonArchive", roles=MANAGER_ROLES, payload="LessonArchived")
def archive(context: Context, data: LessonIdInput) -> Outcome:
    """Take a lesson out of the log (managers); it stays, with its history. Archiving twice is harmless."""
    return Outcome(lesson_services.archive_lesson(context.actor, parse_id(data.id, "lesson")).id)


@strawberry.type(description="A lesson deleted: it is gone, and the audit trail keeps what it was.")
class LessonDeleted:
    id: strawberry.ID = strawberry.field(description="The lesson's id.")
    reference: str = strawberry.field(description="The lesson's reference.")


@mutations.add("lessonDelete", roles=MANAGER_ROLES, payload=LessonDeleted)
def delete(context: Context, data: LessonIdInput) -> LessonDeleted:
    """Delete a lesson captured by mistake (managers). A lesson with actions (`lesson_has_actions`), or one that
    other records refer to (`lesson_in_use`: lessons merged into it, its own merge, meeting agenda items, success
    stories, bulletins, staff briefings about its complaints, monthly QA reports), can only be archived. Its id and
    reference are never given to another lesson."""
    lesson_id = parse_id(data.id, "lesson")
    reference = lesson_services.delete_lesson(context.actor, lesson_id)
    return LessonDeleted(id=strawberry.ID(str(lesson_id)), reference=reference)


@strawberry.input(description="Add a source to a lesson.")
class LessonSourceAddInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson.")
    source: LessonSourceInput = strawberry.field(description="The source.")


@mutations.add("lessonSourceAdd", roles=STAFF, payload="LessonSourceAdded", resource="LessonSource")
def source_add(context: Context, data: LessonSourceAddInput) -> Outcome:
    """Add a source to a lesson; a record already linked the same way is refused as a duplicate."""
    row = sources.add_source(context.actor, parse_id(data.lesson_id, "lesson"), _source(data.source))
    return Outcome(row.id)


@strawberry.input(description="Remove a source from its lesson.")
class LessonSourceRemoveInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson it is on; another lesson's answers as none.")
    id: strawberry.ID = strawberry.field(description="The source.")


@mutations.add("lessonSourceRemove", roles=STAFF, payload="LessonSourceRemoved", resource="Lesson")
def source_remove(context: Context, data: LessonSourceRemoveInput) -> Outcome:
    """Remove a source from its lesson; a lesson keeps at least one."""
    return Outcome(
        sources.remove_source(context.actor, parse_id(data.lesson_id, "lesson"), parse_id(data.id, "lesson_source")).id
    )


@strawberry.input(description="Record a root cause or contributing factor of a lesson, with its own text.")
class LessonCauseAddInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson.")
    root_cause_id: strawberry.ID = strawberry.field(description="A cause from the taxonomy, not archived.")
    detail: str = strawberry.field(description="How it caused or contributed to what happened. " + TEXT)
    contributing: bool = strawberry.field(default=False, description="A contributing factor rather than a root cause.")


@mutations.add("lessonCauseAdd", roles=STAFF, payload="LessonCauseAdded", resource="LessonCause")
def cause_add(context: Context, data: LessonCauseAddInput) -> Outcome:
    """Record a root cause or contributing factor of a lesson: a process, policy, system or team, never a person."""
    cause = causes.add_cause(
        context.actor,
        parse_id(data.lesson_id, "lesson"),
        reference_id(data.root_cause_id),
        data.detail,
        data.contributing,
    )
    return Outcome(cause.id)


@strawberry.input(description="Change a cause of a lesson: only the fields given change.")
class LessonCauseUpdateInput:
    id: strawberry.ID = strawberry.field(description="The lesson's cause.")
    root_cause_id: strawberry.ID | None = strawberry.field(
        default=None, description="A cause from the taxonomy." + KEPT
    )
    detail: str | None = strawberry.field(
        default=None, description="How it caused or contributed to what happened. " + TEXT + KEPT
    )
    contributing: bool | None = strawberry.field(
        default=None, description="A contributing factor rather than a root cause." + KEPT
    )


@mutations.add("lessonCauseUpdate", roles=STAFF, payload="LessonCauseUpdated", resource="LessonCause")
def cause_update(context: Context, data: LessonCauseUpdateInput) -> Outcome:
    """Change a cause of a lesson: its place in the taxonomy, its text, or whether it only contributed."""
    cause = causes.update_cause(
        context.actor, parse_id(data.id, "lesson_cause"), _optional(data.root_cause_id), data.detail, data.contributing
    )
    return Outcome(cause.id)


@strawberry.input(description="Remove a cause from its lesson.")
class LessonCauseRemoveInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson it is on; another lesson's answers as none.")
    id: strawberry.ID = strawberry.field(description="The lesson's cause.")


@mutations.add("lessonCauseRemove", roles=STAFF, payload="LessonCauseRemoved", resource="Lesson")
def cause_remove(context: Context, data: LessonCauseRemoveInput) -> Outcome:
    """Remove a cause from its lesson; actions that addressed it carry on without it."""
    return Outcome(
        causes.remove_cause(context.actor, parse_id(data.lesson_id, "lesson"), parse_id(data.id, "lesson_cause")).id
    )


@strawberry.input(description="Record that an upheld complaint holds no wider lesson, with the reason.")
class ComplaintNoLessonRecordInput:
    complaint_id: strawberry.ID = strawberry.field(description="A complaint with a point upheld or partly upheld.")
    reason: str = strawberry.field(description="Why there is no wider lesson, up to 2,000 characters.")


@mutations.add("complaintNoLessonRecord", roles=STAFF, payload="ComplaintNoLessonRecorded", resource="NoLessonDecision")
def no_lesson_record(context: Context, data: ComplaintNoLessonRecordInput) -> Outcome:
    """Record that an upheld complaint holds no wider lesson, with the reason; it leaves the list of upheld
    complaints without a lesson."""
    decision = completeness.record_no_lesson(context.actor, parse_id(data.complaint_id, "complaint"), data.reason)
    return Outcome(decision.id)


@strawberry.type(description="An upheld complaint with neither a lesson nor a recorded decision that it holds none.")
class UpheldComplaint:
    id: strawberry.ID = strawberry.field(description="The complaint's id.")
    reference: str = strawberry.field(description="The complaint's reference.")
    status: ComplaintStatus = strawberry.field(description="Where the complaint is on its journey.")
    stage: int = strawberry.field(description="Its current stage.")
    team: str | None = strawberry.field(description="The handler's team.")


@strawberry.type(description="A page of upheld complaints without a lesson, oldest first.")
class UpheldComplaintPage:
    total_count: int = strawberry.field(description="How many there are in all.")
    nodes: list[UpheldComplaint] = strawberry.field(description="This page's complaints.")


MAX_PAGE = 100


@only_for(STAFF)
@strawberry.type
class LessonsQuery:
    @strawberry.field(
        description="Complaints with a point upheld or partly upheld that have neither a lesson (not cancelled) "
        "nor a recorded no-lesson decision, oldest first; cases hidden from you are left out. A work list paged "
        "by offset, not a connection (see docs/api.md). Staff only."
    )
    def upheld_complaints_without_lesson(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description="At most 100.")] = 25,
        offset: Annotated[int, strawberry.argument(description="How many to skip.")] = 0,
    ) -> UpheldComplaintPage:
        actor = info.context.actor
        query = completeness.without_lesson(actor)
        first, offset = max(0, min(first, MAX_PAGE)), max(0, min(offset, 2**31))
        rows = list(query.offset(offset).limit(first)) if first else []
        return UpheldComplaintPage(
            total_count=query.count(),
            nodes=[
                UpheldComplaint(
                    id=strawberry.ID(str(row.id)),
                    reference=row.reference,
                    status=ComplaintStatus.of(row.status),
                    stage=row.stage,
                    team=row.team,
                )
                for row in rows
            ],
        )


QUERIES = [LessonsQuery]
