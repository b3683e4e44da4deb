"""The monthly QA in the API: the kept reports with their rates and failing items, and the quality checks by people.

Staff read; managers (and admins) compute a month, draw its sample, score and send scores back to the team. Admins
edit the checklist. A sampled complaint's review and scores are hidden with its case (``staff_case``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from peewee import Case

from backend.complaints.models import Complaint
from backend.complaints.restricted import hidden_complaints
from backend.lessons import qa, quality
from backend.lessons.models import (
    ImprovementAction,
    Lesson,
    QaItemKind,
    QaList,
    QaReport,
    QualityCheckItem,
    QualityResult,
    QualityReview,
    QualityScore,
)
from backend.records import RecordSpec
from schema.access import ADMIN_ROLES, MANAGER_ROLES, STAFF_ACCESS, staff_case
from schema.context import Context
from schema.engine.declare import Column, Computed, Resolved, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()


def _rate(figure: str) -> Any:
    def sql(alias: Any) -> Any:
        met, due = getattr(alias, f"{figure}_met"), getattr(alias, f"{figure}_due")
        return Case(None, [(due == 0, None)], met * 100.0 / due)

    return sql


@strawberry.type(description="A failing item of a month's QA, named as staff know it.")
class QaFailingItem:
    list: QaList = strawberry.field(description="The list it is on.")  # type: ignore[valid-type]
    kind: QaItemKind = strawberry.field(description="What it is: a complaint, a lesson or an action.")  # type: ignore[valid-type]
    id: strawberry.ID = strawberry.field(description="The complaint, lesson or action.")
    reference: str = strawberry.field(
        description="The complaint's reference (LL-…) or the lesson's (LS-…); for an action, its lesson's. "
        "Empty when it is no longer there."
    )
    title: str = strawberry.field(description="The lesson's or the action's title; empty for a complaint.")
    due_on: dt.date | None = strawberry.field(description="An action's due date; null otherwise or when not set.")


@strawberry.type(description="The items each figure of a month's QA failed on, by id.")
class QaFailing:
    transfer_complaints: list[strawberry.ID] = strawberry.field(
        description="Complaints whose final answer upheld a point in the month, with no lesson nor decision."
    )
    transfer_ombudsman: list[strawberry.ID] = strawberry.field(
        description="Complaints with an adverse Ombudsman finding recorded in the month, with no lesson from it."
    )
    smart: list[strawberry.ID] = strawberry.field(description="Lessons needing action without a SMART action.")
    on_time: list[strawberry.ID] = strawberry.field(description="Actions completed in the month after their due date.")
    overdue: list[strawberry.ID] = strawberry.field(description="Actions open and past due at the month's end.")
    effective: list[strawberry.ID] = strawberry.field(
        description="Actions verified in the month as not (or only partly) addressing the problem."
    )
    items: list[QaFailingItem] = strawberry.field(
        description="Every failing item above, in that order, with its reference and title."
    )


def failing_items(context: Any, report_id: str) -> QaFailing | None:
    """The report's failing items, leaving out complaints whose case is hidden from the viewer."""
    report = QaReport.get_or_none(QaReport.id == int(report_id))
    if report is None:
        return None
    failing = report.failing or {}
    hidden: set[int] = set()
    if failing.get("transfer_complaints") or failing.get("transfer_ombudsman"):
        hidden = {row[0] for row in hidden_complaints(context.actor.user_id).tuples()}

    def ids(key: str, hide: bool = False) -> list[strawberry.ID]:
        return [strawberry.ID(str(i)) for i in failing.get(key, []) if not (hide and i in hidden)]

    lists = {
        "transfer_complaints": ids("transfer_complaints", True),
        "transfer_ombudsman": ids("transfer_ombudsman", True),
        "smart": ids("smart"),
        "on_time": ids("on_time"),
        "overdue": ids("overdue"),
        "effective": ids("effective"),
    }
    return QaFailing(**lists, items=_named(lists))


def _named(lists: dict[str, list[strawberry.ID]]) -> list[QaFailingItem]:
    """Each failing item with the reference and title staff know it by (only items already shown to the viewer)."""
    wanted = {kind: {int(i) for key in keys for i in lists[key]} for kind, keys in FAILING_KINDS.items()}
    complaints = {
        row.id: row.reference
        for row in Complaint.select(Complaint.id, Complaint.reference).where(Complaint.id.in_(wanted["complaint"]))
    }
    lessons = {row.id: row for row in Lesson.select().where(Lesson.id.in_(wanted["lesson"]))}
    actions = {
        row.id: row
        for row in ImprovementAction.select(ImprovementAction, Lesson)
        .join(Lesson)
        .where(ImprovementAction.id.in_(wanted["action"]))
    }
    items = []
    for key, found in lists.items():
        kind = next(kind for kind, keys in FAILING_KINDS.items() if key in keys)
        for item_id in found:
            reference, title, due_on = "", "", None
            if kind == "complaint":
                reference = complaints.get(int(item_id), "")
            elif kind == "lesson" and int(item_id) in lessons:
                reference, title = lessons[int(item_id)].reference, lessons[int(item_id)].title
            elif int(item_id) in actions:
                action = actions[int(item_id)]
                reference, title, due_on = action.lesson.reference, action.title, action.due_on
            items.append(
                QaFailingItem(
                    list=QaList.of(key),
                    kind=QaItemKind.of(kind),
                    id=item_id,
                    reference=reference,
                    title=title,
                    due_on=due_on,
                )
            )
    return items


#: Which lists hold which kind of item.
FAILING_KINDS = {
    "complaint": ("transfer_complaints", "transfer_ombudsman"),
    "lesson": ("smart",),
    "action": ("on_time", "overdue", "effective"),
}


@strawberry.type(description="A team's average quality score in a month: never an officer's.")
class QualityTeamScore:
    team: str | None = strawberry.field(description="The team; null: complaints handled by no team.")
    reviews: int = strawberry.field(description="How many of its complaints were scored.")
    score: float | None = strawberry.field(
        description="The average, as a percentage (met 1, partly 0.5, not met 0); null when nothing applied."
    )


def quality_by_team(context: Any, report_id: str) -> list[QualityTeamScore]:
    """The report month's average quality score per team."""
    report = QaReport.get_or_none(QaReport.id == int(report_id))
    if report is None:
        return []
    return [QualityTeamScore(**row) for row in quality.team_scores(report.month)]


RATE = "As a percentage from 0 to 100; null when nothing was due (no items), rather than 0 or 100."

QA_REPORT = Resource(
    name="QaReport",
    plural="qaReports",
    model=QaReport,
    description="One month's lessons QA (framework section 6.4): each figure as met over due, and its failing items. "
    "docs/lessons.md defines each figure. The figures are the organisation's, counted over every case, so they may "
    "include cases hidden from you; the failing items leave those out, so a list can be shorter than its figure "
    "says.",
    members=[
        Column("month", "The first day of the UK month it covers."),
        Column("transfer_met", "Sources due a lesson that have one, or a recorded decision of no lesson."),
        Column("transfer_due", "Upheld complaints answered, and adverse Ombudsman findings recorded, in the month."),
        Computed("transfer_rate", RATE, kind="float", sql=_rate("transfer")),
        Column("smart_met", "Lessons needing action that have a SMART, authorised action."),
        Column("smart_due", "Lessons analysed or later, not cancelled nor merged, identified by the month's end."),
        Computed("smart_rate", RATE, kind="float", sql=_rate("smart")),
        Column("on_time_met", "Actions completed in the month by their first authorised due date."),
        Column("on_time_due", "Actions completed in the month."),
        Computed("on_time_rate", RATE, kind="float", sql=_rate("on_time")),
        Column("overdue_count", "Actions open at the month's end and due by its last day."),
        Column("effective_met", "Actions verified in the month as addressing the problem."),
        Column("effective_due", "Actions verified in the month."),
        Computed("effective_rate", RATE, kind="float", sql=_rate("effective")),
        Column(
            "complainants_told",
            "Complaints whose resident was told in the month that it led to an improvement (self-assessment item "
            "12): an action of its lesson signed off, or a change it is linked to implemented.",
        ),
        Resolved(
            "failing",
            "The failing items of each figure (complaints hidden from you left out). Worked out per report.",
            annotation=QaFailing | None,
            resolve=failing_items,
        ),
        Resolved(
            "quality_by_team",
            "The month's quality checks: the average score per team (never per officer). Worked out per report.",
            annotation=list[QualityTeamScore],
            resolve=quality_by_team,
        ),
        Column("computed_at", "When it was last computed."),
        ToOne("computed_by", "Who computed it last; null: the monthly task."),
        Column("sent_at", "When managers were sent it; null: not yet."),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    default_order=("-month",),
)

QUALITY_CHECK_ITEM = Resource(
    name="QualityCheckItem",
    plural="qualityCheckItems",
    model=QualityCheckItem,
    description="One item of the quality checklist sampled complaints are scored against; admins edit it.",
    members=[
        Column("text"),
        Column("position", "Its place in the checklist, lowest first."),
        Column("archived_at", "When it was archived: no longer scored. Null: in use."),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    editable=RecordSpec(
        QualityCheckItem, "quality_check_item", ("text", "position"), ADMIN_ROLES, ranges={"position": (0, 1000)}
    ),
    default_order=("position", "id"),
)

QUALITY_REVIEW = Resource(
    name="QualityReview",
    plural="qualityReviews",
    model=QualityReview,
    description="A closed complaint drawn in a month's random sample, and a quality reviewer's scoring of it. "
    "Its case's visibility applies.",
    members=[
        Column("month", "The first day of the UK month whose sample it is in."),
        ToOne("complaint"),
        Column("team", "The team that handled the complaint (scores are reported per team, never per officer)."),
        ToOne("reviewer", "The quality reviewer."),
        Column("reviewed_at", "When it was scored; null: not yet."),
        Column("comments", "The reviewer's comments."),
        Column("team_told_at", "When the scores went back to the team; null: not yet."),
        Column("updated_at"),
        ToMany("scores", "Its score on each checklist item."),
    ],
    access=staff_case("complaint.contact"),
    default_order=("-month", "id"),
)

QUALITY_SCORE = Resource(
    name="QualityScore",
    plural="qualityScores",
    model=QualityScore,
    description="How a sampled complaint met one checklist item.",
    members=[
        ToOne("review"),
        ToOne("item"),
        Column("result", "met, partly, not_met or not_applicable."),
        Column("note"),
    ],
    access=staff_case("review.complaint.contact"),
)

RESOURCES = [QA_REPORT, QUALITY_CHECK_ITEM, QUALITY_REVIEW, QUALITY_SCORE]


@strawberry.input(description="A UK month.")
class QaMonthInput:
    month: str = strawberry.field(description="YYYY-MM, not after this month.")


@mutations.add("qaReportCompute", roles=MANAGER_ROLES, payload="QaReportComputed", resource="QaReport")
def compute_report(context: Context, data: QaMonthInput) -> Outcome:
    """Count a month's QA figures and keep them, replacing any counted before; it is not sent again."""
    return Outcome(qa.compute_report(context.actor, data.month[:10]).id)


@strawberry.type(description="The month's sample of closed complaints for quality checks.")
class QualitySampleDrawn:
    reviews: list[strawberry.ID] = strawberry.field(description="The month's sampled reviews you may see, by id.")


@mutations.add("qualitySampleDraw", roles=MANAGER_ROLES, payload=QualitySampleDrawn)
def draw_sample(context: Context, data: QaMonthInput) -> QualitySampleDrawn:
    """Draw the month's random sample of closed complaints (up to the sample size), leaving out hidden cases."""
    drawn = quality.draw_sample(context.actor, data.month[:10])
    return QualitySampleDrawn(reviews=[strawberry.ID(str(review.id)) for review in drawn])


@strawberry.input(description="How the complaint met one checklist item.")
class QualityScoreInput:
    item_id: strawberry.ID = strawberry.field(description="A checklist item in use.")
    result: QualityResult = strawberry.field(description="How the complaint met the item.")
    note: str = strawberry.field(default="", description="Up to 10,000 characters.")


@strawberry.input(description="Score a sampled complaint against every checklist item in use.")
class QualityReviewScoreInput:
    id: strawberry.ID = strawberry.field(description="The quality review.")
    scores: list[QualityScoreInput] = strawberry.field(description="One per checklist item in use (up to 100).")
    comments: str = strawberry.field(default="", description="Up to 10,000 characters.")


@mutations.add("qualityReviewScore", roles=MANAGER_ROLES, payload="QualityReviewScored", resource="QualityReview")
def score_review(context: Context, data: QualityReviewScoreInput) -> Outcome:
    """Score a sampled complaint, replacing earlier scores, until the scores went back to the team."""
    review_id = parse_id(data.id, "quality_review")
    scores = [quality.ScoreInput(reference_id(score.item_id), str(score.result), score.note) for score in data.scores]
    return Outcome(quality.score_review(context.actor, review_id, scores, data.comments).id)


@strawberry.input(description="A scored quality review.")
class QualityReviewReturnInput:
    id: strawberry.ID = strawberry.field(description="The quality review, scored.")


@mutations.add(
    "qualityReviewReturnToTeam", roles=MANAGER_ROLES, payload="QualityReviewReturned", resource="QualityReview"
)
def return_to_team(context: Context, data: QualityReviewReturnInput) -> Outcome:
    """Send the scores back to the complaint's handler and the team's managers, once."""
    return Outcome(quality.return_to_team(context.actor, parse_id(data.id, "quality_review")).id)
