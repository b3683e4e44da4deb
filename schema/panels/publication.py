"""Published scrutiny reports in the API: staff draft the public summary, another manager publishes it; anyone,
signed in or not, reads published reports (``scrutinyReports``, ``scrutinyReport``) without any staff name, owner
or internal id.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.panels import publication
from backend.panels.models import ScrutinyReview
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.mutations import Mutations, parse_id

mutations = Mutations()


@strawberry.type(description="One recommendation of a published scrutiny report and the landlord's response.")
class PublicRecommendation:
    number: int = strawberry.field(description="Its number in the report.")
    text: str = strawberry.field(description="The recommendation.")
    decision: str | None = strawberry.field(
        description="accepted, partly_accepted or not_accepted; null: not answered."
    )
    reason: str = strawberry.field(description="The landlord's reason.")
    progress: str | None = strawberry.field(
        description="Where the action it led to is (an action status code); null when there is none."
    )
    due_on: str | None = strawberry.field(description="When the actions are due (ISO date), if any.")


@strawberry.type(description="A published scrutiny report: the summary, recommendations, responses and progress.")
class PublicScrutinyReport:
    reference: str = strawberry.field(description="The review's reference, SR-YYYY-NN.")
    topic: str = strawberry.field(description="What the panel reviewed.")
    summary: str = strawberry.field(description="The redacted public summary.")
    published_on: str = strawberry.field(description="The UK day it was published (ISO date).")
    recommendations: list[PublicRecommendation] = strawberry.field(description="Each recommendation, in order.")


def _typed(report: publication.PublicReport) -> PublicScrutinyReport:
    return PublicScrutinyReport(
        reference=report.reference,
        topic=report.topic,
        summary=report.summary,
        published_on=report.published_on,
        recommendations=[PublicRecommendation(**vars(row)) for row in report.recommendations],
    )


@only_for(EVERYONE)
@strawberry.type
class ScrutinyReportQuery:
    @strawberry.field(description="Published scrutiny reports, newest first (at most 100). Open to everyone.")
    def scrutiny_reports(self, info: strawberry.Info[Context, None]) -> list[PublicScrutinyReport]:
        return [_typed(report) for report in publication.public_reports()]

    @strawberry.field(description="A published scrutiny report by its reference; null when none is published.")
    def scrutiny_report(
        self,
        info: strawberry.Info[Context, None],
        reference: Annotated[str, strawberry.argument(description="The review's reference, SR-YYYY-NN.")],
    ) -> PublicScrutinyReport | None:
        report = publication.public_report(reference)
        return _typed(report) if report is not None else None


QUERIES = [ScrutinyReportQuery]


@strawberry.type(description="A review's report on its way to the public page.")
class ScrutinyReportState:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    status: str = strawberry.field(description="The review's status: responded, or published.")
    summary: str = strawberry.field(description="The public summary, as redacted.")
    published: bool = strawberry.field(description="Whether it is on the public page.")


def _state(review: ScrutinyReview) -> ScrutinyReportState:
    return ScrutinyReportState(
        review_id=strawberry.ID(str(review.id)),
        status=str(review.status),
        summary=review.publication_summary,
        published=review.published_at is not None,
    )


@strawberry.input(description="The public summary of a responded review's report.")
class ScrutinyReportSummaryDraftInput:
    review_id: strawberry.ID = strawberry.field(description="The review, signed off and responded.")
    summary: str = strawberry.field(description="The summary (up to 5,000 characters); redacted as it is saved.")


def _review(raw: strawberry.ID) -> int:
    return parse_id(raw, "ScrutinyReview")


@mutations.add("scrutinyReportSummaryDraft", roles=STAFF_ROLES, payload=ScrutinyReportState)
def draft(context: Context, data: ScrutinyReportSummaryDraftInput) -> ScrutinyReportState:
    """Draft the public summary of a responded review's report (staff); contact details and names are redacted."""
    return _state(publication.draft_summary(context.actor, _review(data.review_id), data.summary))


@strawberry.input(description="A review whose report to publish.")
class ScrutinyReportPublishInput:
    review_id: strawberry.ID = strawberry.field(description="The review, responded, with a drafted summary.")


@mutations.add("scrutinyReportPublish", roles=MANAGER_ROLES, payload=ScrutinyReportState)
def publish(context: Context, data: ScrutinyReportPublishInput) -> ScrutinyReportState:
    """Publish the report on the public page (managers, not the person who drafted the summary)."""
    return _state(publication.publish(context.actor, _review(data.review_id)))
