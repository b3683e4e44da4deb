"""Self-assessments against the Complaint Handling Code in the API: the Code's provisions, the assessments with
their rows and the system's figure for each, and the sector events behind learning item 8.

Staff read; managers (and admins) start, fill in, approve, reopen and publish assessments and record sector events;
admins edit the provisions. Residents, advocates and panel members see none of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated, Any

import strawberry
from peewee import fn
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.config import current
from backend.errors import Invalid, NotFound
from backend.reports import evidence, sector, self_assessment, self_assessment_document
from backend.reports.models import (
    AssessmentStatus,
    AssessmentTrigger,
    CodeProvision,
    SectorEvent,
    SectorEventAttendee,
    SectorEventKind,
    SelfAssessment,
    SelfAssessmentItem,
)
from backend.reports.periods import parse_period
from backend.reports.provisions import PROVISION_SPEC
from schema.access import MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Batched, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


@strawberry.type(
    description="A figure the system's own data gives for a row of a self-assessment, with where it is "
    "shown. docs/reports.md defines each."
)
class EvidenceFigure:
    code: str = strawberry.field(description="Which figure it is, e.g. stage1_acknowledged_in_time.")
    description: str = strawberry.field(description="What it counts, in English.")
    kind: str = strawberry.field(
        description="share (met of due), count (met), present (met is 1 or 0) or none (no evidence yet)."
    )
    met: int | None = strawberry.field(description="The count, or the part of due that met the figure.")
    due: int | None = strawberry.field(description="For a share, how many were counted; null otherwise.")
    percent: float | None = strawberry.field(
        description="For a share, met as a percentage of due; null when nothing was due, or for other kinds."
    )
    link: str = strawberry.field(description="Where on this site the figure's records are shown; empty for none.")
    kept: bool = strawberry.field(description="True: kept as it was at approval. False: worked out now.")


@strawberry.type(description="A link to more evidence for a row of a self-assessment.")
class EvidenceLink:
    label: str = strawberry.field(description="What it links to.")
    url: str = strawberry.field(description="An https address, or a path on this site.")


def _figure(found: evidence.Figure | None, kept: bool) -> EvidenceFigure | None:
    if found is None:
        return None
    source = next((s for s in evidence.EVIDENCE.values() if s.code == found.code), None)
    return EvidenceFigure(
        code=found.code,
        description=source.description if source else "",
        kind=found.kind,
        met=found.met,
        due=found.due,
        percent=found.percent,
        link=found.link,
        kept=kept,
    )


def item_figures(request: Any, ids: list[int]) -> dict[int, EvidenceFigure | None]:
    """Each row's figure: kept at approval, or (on a draft) worked out once per figure over its period."""
    rows = list(
        SelfAssessmentItem.select(SelfAssessmentItem, SelfAssessment)
        .join(SelfAssessment)
        .where(SelfAssessmentItem.id.in_(ids))
    )
    worked: dict[tuple[int, str, str], evidence.Figure | None] = {}
    found: dict[int, EvidenceFigure | None] = {}
    for row in rows:
        if row.figure:
            found[row.id] = _figure(evidence.figure_from(row.figure), True)
            continue
        if row.assessment.status != AssessmentStatus.DRAFT:
            found[row.id] = None
            continue
        key = (row.assessment.id, row.checklist, row.number)
        if key not in worked:
            worked[key] = evidence.figure_for(row.checklist, row.number, self_assessment.period_of(row.assessment))
        found[row.id] = _figure(worked[key], False)
    return found


def item_links(request: Any, ids: list[int]) -> dict[int, list[EvidenceLink]]:
    rows = SelfAssessmentItem.select(SelfAssessmentItem.id, SelfAssessmentItem.links).where(
        SelfAssessmentItem.id.in_(ids)
    )
    return {row.id: [EvidenceLink(label=link["label"], url=link["url"]) for link in row.links or []] for row in rows}


def _count_items(condition: Any) -> Any:
    def sql(alias: Any) -> Any:
        return SelfAssessmentItem.select(fn.COUNT(SelfAssessmentItem.id)).where(
            SelfAssessmentItem.assessment == alias.id, condition
        )

    return sql


def attendee_ids(request: Any, ids: list[int]) -> dict[int, list[strawberry.ID]]:
    found: dict[int, list[strawberry.ID]] = defaultdict(list)
    rows = SectorEventAttendee.select().where(SectorEventAttendee.event.in_(ids)).order_by(SectorEventAttendee.id)
    for row in rows:
        found[row.event_id].append(strawberry.ID(str(row.person_id)))  # type: ignore[attr-defined]
    return found


CODE_PROVISION = Resource(
    name="CodeProvision",
    plural="codeProvisions",
    model=CodeProvision,
    description="A row a self-assessment answers: a numbered provision of the Housing Ombudsman's Complaint Handling "
    'Code, or an item of the "learning from complaints" checklist. Admins change, add and retire them when the Code '
    "changes; assessments keep the wording they were started with.",
    members=[
        Column("checklist", "code (the Code's provisions) or learning (the learning checklist)."),
        Column("edition", "The edition it belongs to, e.g. 2024."),
        Column("effective_on", "The UK day the edition took effect."),
        Column("number", "Its number, e.g. 6.2; a learning item's is 1 to 16."),
        Column("section", "The section it is in; learning items: 0."),
        Column("section_title", "The section's title."),
        Column("requirement", "What it requires, as the Code says it or a faithful summary."),
        Column("obligation", "must (mandatory) or should (good practice)."),
        Column("position", "Its place in the list, lowest first."),
        Column("retired_at", "When it was retired: new assessments leave it out. Null: in use."),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    editable=PROVISION_SPEC,
    default_order=("position", "id"),
    max_page_size=200,
)

SELF_ASSESSMENT = Resource(
    name="SelfAssessment",
    plural="selfAssessments",
    model=SelfAssessment,
    description="A self-assessment against the Complaint Handling Code over a period (Code 8.1-8.4): drafted, "
    "approved by a manager who did not start it, and published once the governing body approved it; then frozen.",
    members=[
        Column("period", "The period it covers, as a code: 2025/26 (a regulator's year), 2025/26-Q1, a range."),
        Column("period_first", "The first UK day it covers."),
        Column("period_last", "The last UK day it covers."),
        Column("trigger", "Why it was made: annual, restructure, merger, procedure_change or ombudsman_request."),
        Column("context", "What led to it; empty for none."),
        Column("status", "draft, approved or published (frozen)."),
        ToOne("drafted_by", "Who started it."),
        ToOne("approved_by", "Who approved it; null until approved."),
        Column("approved_at", "When it was approved; null until then."),
        Column("governing_body_approved_on", "The UK day the governing body approved it; null until published."),
        ToOne("published_by", "Who published it; null until published."),
        Column("published_at", "When it was published; null until then."),
        Column("created_at", "When it was started."),
        Column("updated_at"),
        ToMany("items", "Its rows, in the Code's order then the learning checklist's.", target="SelfAssessmentItem"),
        Computed(
            "assessed_count",
            "Rows answered yes or no.",
            kind="int",
            sql=_count_items(SelfAssessmentItem.complies.is_null(False)),
            null=False,
        ),
        Computed(
            "not_complying_count",
            "Code provisions answered no.",
            kind="int",
            sql=_count_items((SelfAssessmentItem.complies == False) & (SelfAssessmentItem.checklist == "code")),  # noqa: E712
            null=False,
        ),
        Computed(
            "learning_score",
            "The learning checklist's score: its items answered yes (each scores 1).",
            kind="int",
            sql=_count_items((SelfAssessmentItem.complies == True) & (SelfAssessmentItem.checklist == "learning")),  # noqa: E712
            null=False,
        ),
    ],
    access=STAFF_ACCESS,
    default_order=("-periodFirst", "-id"),
)

SELF_ASSESSMENT_ITEM = Resource(
    name="SelfAssessmentItem",
    plural="selfAssessmentItems",
    model=SelfAssessmentItem,
    description="How the landlord meets one row of a self-assessment: a provision of the Code (complies yes or no) "
    "or a learning item (scores 1 or 0), with evidence, the explanation when it does not, an action and links.",
    members=[
        ToOne("assessment", "The self-assessment it belongs to.", target="SelfAssessment"),
        ToOne("provision", "The provision it answers, as it is now (the wording below is as it was)."),
        Column("checklist", "code or learning."),
        Column("number", "The provision's number."),
        Column("section", "The provision's section; learning items: 0."),
        Column("section_title", "The section's title."),
        Column("requirement", "What the provision required when the assessment was started."),
        Column("obligation", "must (mandatory) or should (good practice)."),
        Column("position", "Its place in the list, lowest first."),
        Column("complies", "Whether the landlord complies (a learning item: scores 1); null: not assessed yet."),
        Column("evidence", "The evidence staff gave, beside the system's figure."),
        Column("explanation", "Why it does not comply and by when it will; required when it does not."),
        ToOne("action", "The improvement action that will put it right; null for none.", target="ImprovementAction"),
        Batched(
            "links",
            "Links to more evidence.",
            annotation=list[EvidenceLink],
            load=item_links,
        ),
        Batched(
            "figure",
            "The figure the system's data gives for it over the assessment's period, with where it is shown: kept "
            "at approval, worked out when read on a draft; null when no figure evidences it.",
            annotation=EvidenceFigure | None,
            load=item_figures,
            default=lambda: None,
        ),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    default_order=("position", "id"),
    max_page_size=200,
)

SECTOR_EVENT = Resource(
    name="SectorEvent",
    plural="sectorEvents",
    model=SectorEvent,
    description="A benchmarking exercise or a complaint-handling network meeting (learning item 8), with the staff "
    "who attended.",
    members=[
        Column("kind", "benchmark or network_meeting."),
        Column("name", "Its name."),
        Column("held_on", "The UK day it took place."),
        Column("expected", "The landlord was expected to attend: it counts towards the attendance rate."),
        Column("notes", "What was compared or learnt."),
        ToOne("recorded_by", "Who recorded it."),
        Batched(
            "attendee_ids",
            "The staff who attended, by id (their accounts: users).",
            annotation=list[strawberry.ID],
            load=attendee_ids,
        ),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    default_order=("-heldOn", "-id"),
)

RESOURCES = [CODE_PROVISION, SELF_ASSESSMENT, SELF_ASSESSMENT_ITEM, SECTOR_EVENT]


@only_for(STAFF_ROLES)
@strawberry.type
class SelfAssessmentQuery:
    @strawberry.field(
        description="The figure the system's data gives for a row of the self-assessment over any period, as a draft "
        "shows it (docs/reports.md defines each): for a dashboard, or to compare periods. Null when no figure "
        "evidences the row, or the period is not one (see SelfAssessmentStartInput.period). Staff only."
    )
    def evidence_figure(
        self,
        info: Info[Context, None],
        checklist: Annotated[str, strawberry.argument(description="code or learning.")],
        number: Annotated[str, strawberry.argument(description="The row's number, e.g. 6.2 or 8.")],
        period: Annotated[str, strawberry.argument(description="A period code, e.g. 2025/26.")],
    ) -> EvidenceFigure | None:
        try:
            found = parse_period(period[:40])
        except Invalid:
            return None
        return _figure(evidence.figure_for(checklist[:10].lower(), number[:10], found), False)

    @strawberry.field(
        description="A self-assessment as a document, to print or download: its period, where it stands (with the "
        "days it was approved and published, never by whom), how many provisions comply, and a table per section of "
        "the Code and one for the learning checklist, each row with its evidence and the system's figure (kept at "
        "approval once approved). JSON, format 1 (docs/reports.md). Null when there is no such assessment. Staff only."
    )
    def self_assessment_document(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The self-assessment's id.")],
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> JSON | None:  # type: ignore[valid-type]
        try:
            assessment_id = int(str(id)[:20])
        except ValueError:
            return None
        language = locale if locale in current().enabled_locales else info.context.locale
        try:
            document = self_assessment_document.assessment_document(assessment_id, language)
        except NotFound:
            return None
        return document.as_dict()  # type: ignore[return-value]


QUERIES = [SelfAssessmentQuery]


@strawberry.input(description="A self-assessment to start.")
class SelfAssessmentStartInput:
    period: str = strawberry.field(
        description="The period: a regulator's year (2025/26, required for an annual one), a quarter (2025/26-Q1), a "
        "month (2025-04) or a range (2025-04-01..2025-09-30); up to 40 characters."
    )
    trigger: AssessmentTrigger = strawberry.field(description="Why it is made.")  # type: ignore[valid-type]
    context: str = strawberry.field(
        default="", description="What led to it; required unless annual. Up to 10,000 characters."
    )


@mutations.add("selfAssessmentStart", roles=MANAGER_ROLES, payload="SelfAssessmentStarted")
def start(context: Context, data: SelfAssessmentStartInput) -> Outcome:
    """Start a draft self-assessment with a row for every provision and learning item in use."""
    made = self_assessment.start_assessment(context.actor, data.period[:40], str(data.trigger), data.context)
    return Outcome(made.id)


@strawberry.input(description="A link to more evidence.")
class EvidenceLinkInput:
    label: str = strawberry.field(description="What it links to; up to 200 characters, one line.")
    url: str = strawberry.field(description="An https address, or a path on this site; up to 2,000 characters.")


@strawberry.input(description="How the landlord meets one row of a draft self-assessment: every value is replaced.")
class SelfAssessmentItemUpdateInput:
    id: strawberry.ID = strawberry.field(description="The row.")
    complies: bool | None = strawberry.field(
        default=None, description="Whether it complies (a learning item: scores 1); null: not assessed yet."
    )
    evidence: str = strawberry.field(default="", description="The evidence; up to 10,000 characters.")
    explanation: str = strawberry.field(
        default="", description="Why it does not comply and by when it will; required when complies is false."
    )
    action_id: strawberry.ID | None = strawberry.field(default=None, description="An improvement action; null: none.")
    links: list[EvidenceLinkInput] = strawberry.field(default_factory=list, description="Up to 10 links.")


@mutations.add("selfAssessmentItemUpdate", roles=MANAGER_ROLES, payload="SelfAssessmentItemUpdated")
def update_item(context: Context, data: SelfAssessmentItemUpdateInput) -> Outcome:
    """Set how the landlord meets one row of a draft self-assessment."""
    item = self_assessment.update_item(
        context.actor,
        parse_id(data.id, "self_assessment_item"),
        data.complies,
        data.evidence,
        data.explanation,
        reference_id(data.action_id) if data.action_id is not None else None,
        [{"label": link.label, "url": link.url} for link in data.links[:11]],
    )
    return Outcome(item.id)


@strawberry.input(description="A self-assessment.")
class SelfAssessmentInput:
    id: strawberry.ID = strawberry.field(description="The self-assessment.")


@mutations.add("selfAssessmentApprove", roles=MANAGER_ROLES, payload="SelfAssessmentApproved")
def approve(context: Context, data: SelfAssessmentInput) -> Outcome:
    """Approve a draft (not one you started), keeping the system's figures as they are now."""
    return Outcome(self_assessment.approve_assessment(context.actor, parse_id(data.id, "self_assessment")).id)


@mutations.add("selfAssessmentReopen", roles=MANAGER_ROLES, payload="SelfAssessmentReopened")
def reopen(context: Context, data: SelfAssessmentInput) -> Outcome:
    """Send an approved self-assessment back to draft; a published one is frozen."""
    return Outcome(self_assessment.reopen_assessment(context.actor, parse_id(data.id, "self_assessment")).id)


@strawberry.input(description="An approved self-assessment to publish.")
class SelfAssessmentPublishInput:
    id: strawberry.ID = strawberry.field(description="The self-assessment, approved.")
    governing_body_approved_on: dt.date | None = strawberry.field(
        default=None, description="The UK day the governing body approved it: not in the future, nor before the period."
    )


@mutations.add("selfAssessmentPublish", roles=MANAGER_ROLES, payload="SelfAssessmentPublished")
def publish(context: Context, data: SelfAssessmentPublishInput) -> Outcome:
    """Publish an approved self-assessment with the governing body's approval date; it is frozen from then on."""
    found = self_assessment.publish_assessment(
        context.actor, parse_id(data.id, "self_assessment"), data.governing_body_approved_on
    )
    return Outcome(found.id)


@strawberry.input(description="A benchmarking exercise or a network meeting, with the staff who attended.")
class SectorEventInput:
    kind: SectorEventKind = strawberry.field(description="benchmark or network_meeting.")  # type: ignore[valid-type]
    name: str = strawberry.field(description="Its name; up to 200 characters, one line.")
    held_on: dt.date | None = strawberry.field(description="The UK day it took place; not in the future.")
    expected: bool = strawberry.field(default=True, description="The landlord was expected to attend.")
    notes: str = strawberry.field(default="", description="What was compared or learnt; up to 10,000 characters.")
    attendee_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The staff who attended (up to 50)."
    )


def _event_values(data: SectorEventInput) -> dict[str, Any]:
    return {
        "kind": str(data.kind),
        "name": data.name,
        "held_on": data.held_on,
        "expected": data.expected,
        "notes": data.notes,
        "attendees": [reference_id(person) for person in data.attendee_ids[:51]],
    }


@mutations.add("sectorEventRecord", roles=MANAGER_ROLES, payload="SectorEventRecorded")
def record_event(context: Context, data: SectorEventInput) -> Outcome:
    """Record a benchmarking exercise or a network meeting, with the staff who attended."""
    return Outcome(sector.record_event(context.actor, **_event_values(data)).id)


@strawberry.input(description="A recorded sector event, changed: every value is replaced.")
class SectorEventUpdateInput(SectorEventInput):
    id: strawberry.ID = strawberry.field(description="The event.")


@mutations.add("sectorEventUpdate", roles=MANAGER_ROLES, payload="SectorEventUpdated")
def update_event(context: Context, data: SectorEventUpdateInput) -> Outcome:
    """Change a recorded sector event and who attended."""
    found = sector.update_event(context.actor, parse_id(data.id, "sector_event"), **_event_values(data))
    return Outcome(found.id)
