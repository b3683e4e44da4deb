"""SMART improvement actions, their evidence and due-date changes, and programmes of work: what the engine serves,
and the mutations along an action's path (propose, authorise, start, complete, sign off, verify; move the due date;
cancel).

Staff only: panel members and residents see none of it (later issues publish redacted views).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from peewee import fn
from strawberry.file_uploads import Upload

from backend.errors import NotFound
from backend.lessons import actions
from backend.lessons.models import (
    ActionEvidence,
    ActionType,
    DueDateChange,
    Effect,
    ImprovementAction,
    Lesson,
    LessonCause,
    LessonStatus,
    Programme,
    RootCause,
)
from backend.records import RecordSpec
from backend.timeutil import local_date
from schema.access import MANAGER_ROLES, STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.complaints.mutations import uploads
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


# The flat fields came before the relations; kept so older clients keep working (the engine has no deprecation).
KEPT = "Kept for older clients: ask for the relation instead."


def _lesson_field(name: str) -> Any:
    def sql(alias: Any) -> Any:
        return Lesson.select(getattr(Lesson, name)).where(Lesson.id == alias.lesson)

    return sql


def _overdue(alias: Any) -> Any:
    """Still to be done and past its due date, on today's UK date."""
    return fn.COALESCE(alias.status.in_(actions.OPEN) & (alias.due_on < local_date()), False)


def _cause_name(alias: Any) -> Any:
    return (
        RootCause.select(RootCause.name)
        .join(LessonCause, on=(LessonCause.root_cause == RootCause.id))
        .where(LessonCause.id == alias.cause)
    )


IMPROVEMENT_ACTION = Resource(
    name="ImprovementAction",
    plural="improvementActions",
    model=ImprovementAction,
    description="A SMART action a lesson leads to: what, how it is measured, who, why and by when, with its path "
    "from proposed to verified.",
    members=[
        ToOne("lesson", "The lesson it comes from."),
        Computed("lesson_id", f"The lesson it comes from, by id. {KEPT}", kind="id", sql=lambda alias: alias.lesson),
        Computed(
            "lesson_reference",
            f"The lesson's reference, LS-YYYY-NNNN. {KEPT}",
            kind="string",
            sql=_lesson_field("reference"),
        ),
        Computed("lesson_title", f"The lesson's title. {KEPT}", kind="string", sql=_lesson_field("title")),
        Column("title"),
        Column("description"),
        Column("measure"),
        Column("baseline"),
        Column("target"),
        Column("team"),
        Column(
            "action_type",
            "What it changes: working practice, service provision, staff training, policy or procedure, or "
            "complaint handling.",
        ),
        Column(
            "status",
            "Where it is on its path: proposed, authorised, in progress, done, signed off, verified or cancelled.",
        ),
        Column("due_on"),
        Column("first_due_on"),
        Computed(
            "overdue",
            "Authorised or in progress, and its due date has passed (UK date).",
            kind="boolean",
            sql=_overdue,
        ),
        ToOne("cause", "The lesson's cause it addresses, if any.", target="LessonCause"),
        Computed(
            "cause_id",
            f"The lesson's cause it addresses, if any, by id. {KEPT}",
            kind="id",
            sql=lambda alias: alias.cause,
        ),
        Computed(
            "cause_name", f"The name of the root cause it addresses, if any. {KEPT}", kind="string", sql=_cause_name
        ),
        Column("proposed_at", "When it was proposed."),
        Column("authorised_at", "When a manager authorised it."),
        Column("started_at", "When work on it started."),
        Column("completed_at", "When it was recorded as done."),
        Column("evidence"),
        Column("signed_off_at", "When a manager signed it off."),
        Column("verified_at", "When its effect was verified."),
        Column("effect"),
        Column("effect_note"),
        Column("cancel_reason"),
        Column("due_soon_notified_at", "When its owner was told it falls due soon."),
        Column("overdue_notified_at"),
        Column("overdue_escalated_at"),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
        ToOne("owner"),
        ToOne("programme", "The programme of work it feeds, if any."),
        ToOne("proposed_by", "Who proposed it."),
        ToOne("authorised_by", "The manager who authorised it."),
        ToOne("completed_by", "Who recorded it as done."),
        ToOne("signed_off_by", "The manager who signed it off."),
        ToOne("verified_by", "The manager who verified its effect."),
        ToOne("follows", "The action it follows on from, when one did not address the problem."),
        ToMany("followed_by", "The actions that follow on from it.", target="ImprovementAction"),
        ToMany("evidence_items", "What shows it was done: text, links and files.", target="ActionEvidence"),
        ToMany("due_changes", "Each change to its authorised due date.", target="DueDateChange"),
    ],
    access=STAFF_ACCESS,
    default_order=("dueOn", "id"),
)
ACTION_EVIDENCE = Resource(
    name="ActionEvidence",
    plural="actionEvidence",
    model=ActionEvidence,
    description="A piece of evidence that an action was done: text, a link or a file (staff download it from the "
    "console).",
    members=[
        Column("text", "What was done, in words; empty for a link or a file."),
        Column("url", "A link to the evidence; empty otherwise."),
        Column("file_name", "The file's name; empty for text or a link."),
        Column("media_type", "The file's type, found from its content."),
        Column("size", "The file's size in bytes."),
        Column("sha256", "The file's SHA-256 checksum."),
        Column("added_at", "When it was added."),
        ToOne("action", "The action it is evidence for."),
        ToOne("added_by", "Who added it."),
    ],
    access=STAFF_ACCESS,
    default_order=("addedAt", "id"),
)
DUE_DATE_CHANGE = Resource(
    name="DueDateChange",
    plural="dueDateChanges",
    model=DueDateChange,
    description="A change to an authorised action's due date, with the reason and the manager who authorised it.",
    members=[
        Column("from_date", "The due date before."),
        Column("to_date", "The new due date."),
        Column("reason", "Why it moved."),
        Column("changed_at", "When it moved."),
        ToOne("action", "The action whose due date moved."),
        ToOne("authorised_by", "The manager who authorised the change."),
    ],
    access=STAFF_ACCESS,
    default_order=("changedAt", "id"),
)
PROGRAMME = Resource(
    name="Programme",
    plural="programmes",
    model=Programme,
    description="A programme of work that complex actions feed.",
    members=[
        Column("name", "Its name, unique."),
        Column("description", "What it covers."),
        Column("archived_at"),
        Column("updated_at", "When it last changed."),
        ToMany("actions", "The actions that feed it.", target="ImprovementAction"),
    ],
    access=STAFF_ACCESS,
    # programmeCreate, programmeUpdate and programmeArchive, for managers and admins, checked and audited.
    editable=RecordSpec(Programme, "programme", ("name", "description"), MANAGER_ROLES),
    default_order=("name",),
)

RESOURCES = [IMPROVEMENT_ACTION, ACTION_EVIDENCE, DUE_DATE_CHANGE, PROGRAMME]

TITLE = "Specific: what will be done, in a line (up to 200 characters)."


def _ref(raw: strawberry.ID | None) -> int | None:
    return reference_id(raw) if raw not in (None, "") else None


@strawberry.input(description="The SMART parts of an action. Only the title and type are needed to propose it.")
class ActionFields:
    title: str = strawberry.field(description=TITLE)
    action_type: ActionType = strawberry.field(description="What it changes.")
    description: str = strawberry.field(default="", description="What will be done, in full (10,000 characters).")
    measure: str = strawberry.field(
        default="", description="Measurable: how its effect is measured (10,000 characters)."
    )
    baseline: str = strawberry.field(default="", description="The figure before (200 characters).")
    target: str = strawberry.field(default="", description="The figure aimed for (200 characters).")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Who does it: active staff.")
    team: str = strawberry.field(default="", description="The team that does it (100 characters).")
    cause_id: strawberry.ID | None = strawberry.field(
        default=None, description="The lesson's cause (a LessonCause of the same lesson) it addresses."
    )
    programme_id: strawberry.ID | None = strawberry.field(default=None, description="A programme it feeds.")
    due_on: dt.date | None = strawberry.field(default=None, description="The UK day it is due; not in the past.")


def _values(fields: Any) -> dict[str, Any]:
    return {
        "title": fields.title,
        "action_type": str(fields.action_type) if fields.action_type else "",
        "description": fields.description,
        "measure": fields.measure,
        "baseline": fields.baseline,
        "target": fields.target,
        "owner_id": _ref(fields.owner_id),
        "team": fields.team,
        "cause_id": _ref(fields.cause_id),
        "programme_id": _ref(fields.programme_id),
        "due_on": fields.due_on,
    }


@strawberry.input(description="Propose a SMART action for a lesson; a manager authorises it before work starts.")
class ImprovementActionProposeInput(ActionFields):
    lesson_id: strawberry.ID = strawberry.field(description="The lesson it comes from.")


UNCHANGED = " Kept if not given."
CLEARED = " Null clears it."


@strawberry.input(
    description="Change a proposed action's SMART parts: only the fields given change. Once it is authorised "
    "nothing here changes; its due date moves with improvementActionDueDateChange."
)
class ImprovementActionUpdateInput:
    id: strawberry.ID = strawberry.field(description="The action, still proposed.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description=TITLE + UNCHANGED)
    action_type: ActionType | None = strawberry.field(
        default=strawberry.UNSET, description="What it changes." + UNCHANGED
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="What will be done, in full (10,000 characters)." + UNCHANGED + CLEARED,
    )
    measure: str | None = strawberry.field(
        default=strawberry.UNSET, description="Measurable: how its effect is measured." + UNCHANGED + CLEARED
    )
    baseline: str | None = strawberry.field(
        default=strawberry.UNSET, description="The figure before (200 characters)." + UNCHANGED + CLEARED
    )
    target: str | None = strawberry.field(
        default=strawberry.UNSET, description="The figure aimed for (200 characters)." + UNCHANGED + CLEARED
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Who does it: active staff." + UNCHANGED + CLEARED
    )
    team: str | None = strawberry.field(
        default=strawberry.UNSET, description="The team that does it (100 characters)." + UNCHANGED + CLEARED
    )
    cause_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The lesson's cause (a LessonCause of the same lesson) it addresses." + UNCHANGED + CLEARED,
    )
    programme_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A programme it feeds." + UNCHANGED + CLEARED
    )
    due_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The UK day it is due; not in the past." + UNCHANGED + CLEARED
    )


#: Fields whose null means empty text rather than nothing.
TEXTS = ("title", "description", "measure", "baseline", "target")


def _changes(data: ImprovementActionUpdateInput) -> dict[str, Any]:
    """The fields given, as the service takes them: a field not given is left out, so it is kept."""
    values: dict[str, Any] = {}
    for name in actions.EDITABLE:
        given = getattr(data, name)
        if given is strawberry.UNSET:
            continue
        if name in TEXTS:
            values[name] = given or ""
        elif name == "action_type":
            values[name] = str(given) if given else ""
        elif name.endswith("_id"):
            values[name] = _ref(given)
        else:
            values[name] = given
    return values


@strawberry.input(description="An action to move on along its path.")
class ImprovementActionInput:
    id: strawberry.ID = strawberry.field(description="The action.")


@strawberry.input(
    description="Sign off a done action, and say what changed to the residents whose complaints led to it."
)
class ImprovementActionSignOffInput:
    id: strawberry.ID = strawberry.field(description="The action, done.")
    resident_message: str = strawberry.field(
        default="",
        description="Up to 2,000 characters, written for residents: what changed because they complained. Each "
        "resident whose complaint fed the lesson (not anonymous) is sent it. Empty: nobody is told.",
    )


@strawberry.input(
    description="Evidence that an action was done: any of text, links and files. With none of them (and, to complete "
    "it, none added before), the problem is `none_given` at `text`; a refused link is at its place, `links[i]`."
)
class ImprovementActionEvidenceInput:
    id: strawberry.ID = strawberry.field(description="The action, authorised and not yet signed off.")
    text: str = strawberry.field(default="", description="What was done (10,000 characters).")
    links: list[str] = strawberry.field(
        default_factory=list, description="Up to 10 links, each a full web address starting with https://."
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Files (multipart request), checked by content and size before anything is kept."
    )


@strawberry.input(description="Whether a signed-off action addressed the problem.")
class ImprovementActionVerifyInput:
    id: strawberry.ID = strawberry.field(description="The action, signed off.")
    effect: Effect = strawberry.field(description="Addressed, partly or not addressed.")
    note: str = strawberry.field(description="How its effect was judged (10,000 characters).")
    next_step: actions.NextStep | None = strawberry.field(
        default=None, description="For not addressed: reopen it, or propose a new action following it."
    )
    due_on: dt.date | None = strawberry.field(
        default=None,
        description="For reopening: its new UK due date, not in the past (recorded as a due-date change, the note "
        "being the reason). Needed to reopen; ignored otherwise.",
    )


@strawberry.input(description="Move an authorised action's due date; a manager authorises it, with the reason.")
class ImprovementActionDueDateChangeInput:
    id: strawberry.ID = strawberry.field(description="The action, authorised or in progress.")
    to_date: dt.date = strawberry.field(description="The new UK due date, not in the past.")
    reason: str = strawberry.field(description="Why it moves (10,000 characters).")


@strawberry.input(description="Cancel an action, with the reason.")
class ImprovementActionCancelInput:
    id: strawberry.ID = strawberry.field(description="The action, not verified.")
    reason: str = strawberry.field(description="Why it is cancelled (10,000 characters).")


def _id(raw: strawberry.ID) -> int:
    return parse_id(raw, "improvement_action")


@mutations.add("improvementActionPropose", roles=STAFF, payload="ImprovementActionProposed")
def propose(context: Context, data: ImprovementActionProposeInput) -> Outcome:
    """Propose a SMART action for a lesson (any member of staff); a past due date is refused."""
    action = actions.propose_action(context.actor, parse_id(data.lesson_id, "lesson"), **_values(data))
    return Outcome(action.id)


@mutations.add("improvementActionUpdate", roles=STAFF, payload="ImprovementActionUpdated")
def update(context: Context, data: ImprovementActionUpdateInput) -> Outcome:
    """Change a proposed action's SMART parts; once authorised only its due date moves, with a manager."""
    return Outcome(actions.update_action(context.actor, _id(data.id), **_changes(data)).id)


@mutations.add("improvementActionAuthorise", roles=MANAGER_ROLES, payload="ImprovementActionAuthorised")
def authorise(context: Context, data: ImprovementActionInput) -> Outcome:
    """Authorise a proposed action (managers); refused, naming every missing part, without an owner, a measure, a
    target and a due date not in the past."""
    return Outcome(actions.authorise_action(context.actor, _id(data.id)).id)


@mutations.add("improvementActionStart", roles=STAFF, payload="ImprovementActionStarted")
def start(context: Context, data: ImprovementActionInput) -> Outcome:
    """Record that work on an authorised action started (its owner or a manager)."""
    return Outcome(actions.start_action(context.actor, _id(data.id)).id)


@mutations.add("improvementActionEvidenceAdd", roles=STAFF, payload="ImprovementActionEvidenceAdded")
def add_evidence(context: Context, data: ImprovementActionEvidenceInput) -> Outcome:
    """Add evidence (text, links, files) to an action before it is signed off (its owner or a manager)."""
    action_id = _id(data.id)
    actions.add_evidence(context.actor, action_id, data.text, tuple(data.links), uploads(data.attachments))
    return Outcome(action_id)


@mutations.add("improvementActionComplete", roles=STAFF, payload="ImprovementActionCompleted")
def complete(context: Context, data: ImprovementActionEvidenceInput) -> Outcome:
    """Record an action in progress as done, with evidence given here or before (its owner or a manager)."""
    files = uploads(data.attachments)
    return Outcome(actions.complete_action(context.actor, _id(data.id), data.text, tuple(data.links), files).id)


@mutations.add("improvementActionSignOff", roles=MANAGER_ROLES, payload="ImprovementActionSignedOff")
def sign_off(context: Context, data: ImprovementActionSignOffInput) -> Outcome:
    """Sign off a done action: a senior manager who is not its owner (any manager while none is designated)."""
    return Outcome(actions.sign_off_action(context.actor, _id(data.id), data.resident_message).id)


@mutations.add("improvementActionVerify", roles=MANAGER_ROLES, payload="ImprovementActionVerified")
def verify(context: Context, data: ImprovementActionVerifyInput) -> Outcome:
    """Record whether a signed-off action addressed the problem; "not addressed" reopens it or proposes a new one."""
    next_step = str(data.next_step) if data.next_step else None
    action = actions.verify_action(context.actor, _id(data.id), str(data.effect), data.note, next_step, data.due_on)
    return Outcome(action.id)


@mutations.add("improvementActionDueDateChange", roles=MANAGER_ROLES, payload="ImprovementActionDueDateChanged")
def change_due_date(context: Context, data: ImprovementActionDueDateChangeInput) -> Outcome:
    """Move an authorised action's due date with the reason (managers); on time stays measured on the first."""
    change = actions.change_due_date(context.actor, _id(data.id), data.to_date, data.reason)
    return Outcome(change.action_id)  # type: ignore[attr-defined]


@mutations.add("improvementActionCancel", roles=STAFF, payload="ImprovementActionCancelled")
def cancel(context: Context, data: ImprovementActionCancelInput) -> Outcome:
    """Cancel an action with the reason: a manager, or whoever proposed it while it is proposed."""
    return Outcome(actions.cancel_action(context.actor, _id(data.id), data.reason).id)


@strawberry.type(description="One of a lesson's causes an action can address.")
class ActionCauseChoice:
    id: strawberry.ID = strawberry.field(description="The LessonCause.")
    name: str = strawberry.field(description="The root cause's name.")
    detail: str = strawberry.field(description="How it caused or contributed to what happened.")
    contributing: bool = strawberry.field(description="A contributing factor rather than a root cause.")


@strawberry.type(description="What proposing an action for a lesson needs to know of the lesson.")
class ActionLesson:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    reference: str = strawberry.field(description="Its reference, LS-YYYY-NNNN.")
    title: str = strawberry.field(description="Its title.")
    status: LessonStatus = strawberry.field(description="Where it is in its life.")
    team: str | None = strawberry.field(description="The team it belongs to, if any.")
    causes: list[ActionCauseChoice] = strawberry.field(description="Its causes, root causes first.")


@only_for(STAFF)
@strawberry.type
class ActionsQuery:
    @strawberry.field(
        description="The teams whose actions the viewer follows: those they are an active lessons-learnt champion of, "
        "and their own team. Staff only."
    )
    def improvement_action_teams(self, info: strawberry.Info[Context, None]) -> list[str]:
        return actions.my_teams(info.context.actor)

    @strawberry.field(
        description="A lesson as proposing an action for it needs it: its reference, title and causes; null for a "
        "lesson that is not there. Staff only."
    )
    def improvement_action_lesson(
        self,
        info: strawberry.Info[Context, None],
        lesson_id: Annotated[strawberry.ID, strawberry.argument(description="The lesson.")],
    ) -> ActionLesson | None:
        try:
            lesson = Lesson.get_or_none(Lesson.id == parse_id(lesson_id, "lesson"))
        except NotFound:
            return None
        if lesson is None:
            return None
        causes = (
            LessonCause.select(LessonCause, RootCause)
            .join(RootCause)
            .where(LessonCause.lesson == lesson.id)
            .order_by(LessonCause.contributing, LessonCause.id)
        )
        return ActionLesson(
            id=strawberry.ID(str(lesson.id)),
            reference=lesson.reference,
            title=lesson.title,
            status=LessonStatus.of(lesson.status),
            team=lesson.team,
            causes=[
                ActionCauseChoice(
                    id=strawberry.ID(str(c.id)), name=c.root_cause.name, detail=c.detail, contributing=c.contributing
                )
                for c in causes
            ],
        )


QUERIES = [ActionsQuery]
