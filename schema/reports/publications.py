"""Reports on their way to publication in the API: staff draft them; managers approve (not their own draft),
publish and record the governing body's response. Published reports, with that response, are open to everyone.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.config import current
from backend.reports import publication
from backend.reports.models import PublicationStatus, ReportPublication
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.declare import RESIDENTS, Access, Column, Resolved, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.reports.documents import DocumentFigure, figures_of

mutations = Mutations()

PUBLISHED = {"status": {"eq": PublicationStatus.PUBLISHED.value}}


def _figures(context: Context, node_id: str) -> list[DocumentFigure]:
    row = ReportPublication.get_or_none(ReportPublication.id == int(node_id))
    return figures_of(publication.document_of(row)) if row is not None else []


REPORT_PUBLICATION = Resource(
    name="ReportPublication",
    plural="reportPublications",
    model=ReportPublication,
    description="A report for one period on its way from draft to published, with its document frozen from "
    "approval on. Everyone may read published reports and the governing body's response; staff read all.",
    members=[
        Column("kind", "Which report it is, e.g. board.", residents=True),
        Column("period_code", "The period it covers, as a period code, e.g. 2025/26.", residents=True),
        Column("title", residents=True),
        Column("locale", residents=True),
        Column("status", residents=True),
        Column(
            "snapshot",
            "The whole document as JSON (format 1, docs/reports.md): sections with paragraphs, figures, tables and "
            "charts. Frozen from approval on.",
            residents=True,
        ),
        Resolved(
            "figures",
            "Every figure of the document, section by section, as it was drafted. Worked out per report.",
            annotation=list[DocumentFigure],
            resolve=_figures,
            residents=True,
        ),
        ToOne("drafted_by", "Who drafted it."),
        Column("drafted_at", "When its figures were last counted."),
        ToOne("approved_by", "The manager who approved it; null: not yet."),
        Column("approved_at", residents=True),
        ToOne("published_by", "Who published it; null: not yet."),
        Column("published_at", residents=True),
        Column("governing_body_response", residents=True),
        Column("governing_body_responded_on", residents=True),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        **each(EVERYONE - STAFF_ROLES, Access(RESIDENTS, where=PUBLISHED)),
    },
    default_order=("-drafted_at", "-id"),
)

RESOURCES = [REPORT_PUBLICATION]


@strawberry.input(description="A report to draft for a period.")
class ReportPublicationDraftInput:
    kind: str = strawberry.field(description="Which report, e.g. board (at most 40 characters).")
    period: str = strawberry.field(description="A period code the report covers, e.g. 2025/26 (at most 40).")
    locale: str | None = strawberry.field(default=None, description="Its language; yours when not given.")


@mutations.add("reportPublicationDraft", roles=STAFF_ROLES, payload="ReportPublicationDrafted")
def draft(context: Context, data: ReportPublicationDraftInput) -> Outcome:
    """Count a report for a period and keep it as a draft (a draft of the same report and period is counted again)."""
    locale = data.locale if data.locale in current().enabled_locales else context.locale
    return Outcome(publication.draft_report(context.actor, data.kind[:40], data.period[:40], locale).id)


@strawberry.input(description="A report on its way to publication.")
class ReportPublicationInput:
    id: strawberry.ID = strawberry.field(description="The report publication.")


@mutations.add("reportPublicationApprove", roles=MANAGER_ROLES, payload="ReportPublicationApproved")
def approve(context: Context, data: ReportPublicationInput) -> Outcome:
    """Approve a drafted report, freezing its document; not by the person who drafted it."""
    return Outcome(publication.approve_report(context.actor, parse_id(data.id, "report_publication")).id)


@mutations.add("reportPublicationPublish", roles=MANAGER_ROLES, payload="ReportPublicationPublished")
def publish(context: Context, data: ReportPublicationInput) -> Outcome:
    """Publish an approved report: everyone may read it from now on, with the governing body's response."""
    return Outcome(publication.publish_report(context.actor, parse_id(data.id, "report_publication")).id)


@strawberry.input(description="The governing body's response to a report, published alongside it.")
class ReportPublicationResponseRecordInput:
    id: strawberry.ID = strawberry.field(description="The report publication.")
    text: str = strawberry.field(description="The response, as the governing body gave it (up to 20,000 characters).")
    responded_on: dt.date = strawberry.field(description="The UK day it was given; not in the future.")


@mutations.add("reportPublicationResponseRecord", roles=MANAGER_ROLES, payload="ReportPublicationResponseRecorded")
def record_response(context: Context, data: ReportPublicationResponseRecordInput) -> Outcome:
    """Record the governing body's response; once the report is published, only if none was recorded."""
    report_id = parse_id(data.id, "report_publication")
    return Outcome(publication.record_response(context.actor, report_id, data.text, data.responded_on).id)
