"""The letters-and-leaflets review in the API: the documents under a review, and the wording members propose.

A member sees the documents and proposals of their own panels' reviews only (anything else answers as not there),
and never which member of staff added, approved or adopted anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from backend.accounts.models import User
from backend.context import STAFF_ROLES
from backend.errors import Invalid
from backend.notifications.templates import effective_source
from backend.panels import documents
from backend.panels.access import member_review_ids
from backend.panels.models import (
    DocumentKind,
    DocumentProposal,
    Panel,
    ReviewDocument,
    ReviewKind,
    ReviewStatus,
    ScrutinyReview,
)
from schema.access import STAFF_ACCESS, each
from schema.context import Context
from schema.engine.access import DERIVED_VARIABLES, only_for
from schema.engine.declare import Access, Column, Computed, Resolved, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()
STAFF = frozenset(STAFF_ROLES)
MEMBER_AND_STAFF = frozenset({"panel_member", *STAFF_ROLES})


def member_document_ids(user_id: int | None) -> Any:
    """A query for the ids of the documents under the reviews of the person's current panels."""
    return ReviewDocument.select(ReviewDocument.id).where(ReviewDocument.review.in_(member_review_ids(user_id)))


def member_proposal_ids(user_id: int | None) -> Any:
    """A query for the ids of the proposals on those documents."""
    return DocumentProposal.select(DocumentProposal.id).where(
        DocumentProposal.document.in_(member_document_ids(user_id))
    )


DERIVED_VARIABLES["panelDocumentIds"] = member_document_ids
DERIVED_VARIABLES["panelProposalIds"] = member_proposal_ids


def _document(node_id: str) -> ReviewDocument | None:
    return ReviewDocument.get_or_none(ReviewDocument.id == int(node_id))


def wording_in_use(context: Any, node_id: str) -> str:
    """The message's wording in force in the viewer's language (a template, or the translated default)."""
    document = _document(node_id)
    if document is None or document.kind != DocumentKind.WORDING:
        return ""
    return effective_source(document.event, document.channel, context.locale)[1]


def subject_in_use(context: Any, node_id: str) -> str:
    """The message's subject line in force in the viewer's language."""
    document = _document(node_id)
    if document is None or document.kind != DocumentKind.WORDING or document.channel == "sms":
        return ""
    return effective_source(document.event, document.channel, context.locale)[0]


def placeholders(context: Any, node_id: str) -> list[str]:
    document = _document(node_id)
    return documents.placeholders_of(document) if document is not None else []


def _author_name(alias: Any) -> Any:
    return User.select(User.display_name).where(User.id == alias.author_id)


def _mine(alias: Any, viewer: Any) -> Any:
    return alias.author_id == (viewer.get("id") or 0)


DOCUMENT_FIELDS = (
    "review",
    "kind",
    "event",
    "channel",
    "stage",
    "title",
    "note",
    "addedAt",
    "reviewedAt",
    "updatedAt",
    "subjectInUse",
    "wordingInUse",
    "placeholders",
    "proposals",
)

REVIEW_DOCUMENT = Resource(
    name="ReviewDocument",
    plural="reviewDocuments",
    model=ReviewDocument,
    description="A message's wording on one channel, or a stage's leaflet, under a panel's review of letters and "
    "leaflets. Members propose wording for it; the landlord adopts what the panel approves.",
    members=[
        Column("review", "The review of letters and leaflets.", kind="id"),
        Column("kind", "wording or leaflet."),
        Column("event", "For wording: the message's event (as Message wording lists them). Empty for a leaflet."),
        Column("channel", "For wording: the channel, email, sms, letter or portal."),
        Column("stage", "For a leaflet: the regime stage it is enclosed with.", kind="id"),
        Column("title", "What members know it by."),
        Column("note", "What staff ask the panel to look at."),
        ToOne("added_by", "Who added it (staff only).", only_for=STAFF),
        Column("added_at", "When it was put under review."),
        Column("reviewed_at", "When it counted as reviewed in members' ledgers (its wording adopted). Null: not yet."),
        Column("updated_at"),
        Resolved(
            "subject_in_use",
            "For wording: the subject line in force, in your language.",
            annotation=str,
            resolve=subject_in_use,
        ),
        Resolved(
            "wording_in_use",
            "For wording: the wording in force, in your language, with its {{ placeholders }}.",
            annotation=str,
            resolve=wording_in_use,
        ),
        Resolved(
            "placeholders",
            "For wording: the placeholders proposed wording may use.",
            annotation=list[str],
            resolve=placeholders,
        ),
        ToMany("proposals", "The wording proposed for it."),
    ],
    access={
        **STAFF_ACCESS,
        **each({"panel_member"}, Access(DOCUMENT_FIELDS, where={"id": {"in": "$viewer.panelDocumentIds"}})),
    },
    default_order=("id",),
)

PROPOSAL_FIELDS = (
    "document",
    "locale",
    "subject",
    "text",
    "authorName",
    "mine",
    "createdAt",
    "status",
    "approvedAt",
    "adoptedAt",
    "decisionNote",
    "updatedAt",
)

DOCUMENT_PROPOSAL = Resource(
    name="DocumentProposal",
    plural="documentProposals",
    model=DocumentProposal,
    description="A member's proposed wording for a document under review, in one language: proposed, approved by "
    "the panel, adopted by the landlord as the wording in use, or declined with the reason.",
    members=[
        ToOne("document", "The document it is for."),
        Column("locale", "The language of the wording."),
        Column("subject", "For message wording: the proposed subject line (empty: keep the one in use)."),
        Column("text", "The proposed wording."),
        Computed("author_name", "The member's display name.", kind="string", sql=_author_name),
        Computed("mine", "Whether you proposed it.", kind="boolean", sql=_mine, viewer=True),
        ToOne("author", "The member (staff only).", only_for=STAFF),
        Column("created_at", "When it was proposed."),
        Column("status", "Where it is."),
        Column("approved_at", "When the panel approved it. Null: not approved."),
        ToOne("approved_by", "Who recorded the panel's approval (staff only).", only_for=STAFF),
        Column("adopted_at", "When the landlord adopted it. Null: not adopted."),
        ToOne("adopted_by", "Who adopted it (staff only).", only_for=STAFF),
        Column("decision_note", "Why it was not taken forward."),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        **each({"panel_member"}, Access(PROPOSAL_FIELDS, where={"id": {"in": "$viewer.panelProposalIds"}})),
    },
    default_order=("-created_at", "-id"),
)

RESOURCES = [REVIEW_DOCUMENT, DOCUMENT_PROPOSAL]


@strawberry.input(
    description="A message's wording, or a stage's leaflet, to put under a review of letters and leaflets."
)
class ReviewDocumentAddInput:
    review_id: strawberry.ID = strawberry.field(description="A review of kind documents, not yet published.")
    kind: DocumentKind = strawberry.field(description="wording or leaflet.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="What members know it by, one line of up to 200 characters.")
    event: str = strawberry.field(default="", description="For wording: the message's event.")
    channel: str = strawberry.field(default="", description="For wording: email, sms, letter or portal.")
    stage_id: strawberry.ID | None = strawberry.field(default=None, description="For a leaflet: the regime stage.")
    note: str = strawberry.field(default="", description="What to look at, up to 2,000 characters.")


@mutations.add("reviewDocumentAdd", roles=STAFF, payload="ReviewDocumentAdded")
def add(context: Context, data: ReviewDocumentAddInput) -> Outcome:
    """Put a message's wording or a stage's leaflet under a review of letters and leaflets."""
    document = documents.add_document(
        context.actor,
        parse_id(data.review_id, "scrutiny_review"),
        str(data.kind),
        data.title,
        data.event[:100],
        data.channel[:30],
        reference_id(data.stage_id) if data.stage_id is not None else None,
        data.note,
    )
    return Outcome(document.id)


@strawberry.input(description="Wording proposed for a document under review.")
class DocumentProposalSubmitInput:
    document_id: strawberry.ID = strawberry.field(description="A document under one of your panels' reviews.")
    locale: str = strawberry.field(description="The language of the wording, a locale code.")
    text: str = strawberry.field(
        description="The wording: up to 20,000 characters; for a message, only its {{ placeholders }}."
    )
    subject: str = strawberry.field(default="", description="For a message: the subject line, up to 500.")


@mutations.add("documentProposalSubmit", roles=MEMBER_AND_STAFF, payload="DocumentProposalSubmitted")
def submit(context: Context, data: DocumentProposalSubmitInput) -> Outcome:
    """Propose wording for a document under your panel's review."""
    proposal = documents.propose_wording(
        context.actor, parse_id(data.document_id, "review_document"), data.locale[:20], data.text, data.subject
    )
    return Outcome(proposal.id)


@strawberry.input(description="Proposed wording the panel decides on.")
class DocumentProposalDecideInput:
    id: strawberry.ID = strawberry.field(description="The proposal, waiting as proposed.")
    reason: str = strawberry.field(default="", description="Why not, when declining: up to 2,000 characters.")


@mutations.add("documentProposalApprove", roles=MEMBER_AND_STAFF, payload="DocumentProposalApproved")
def approve(context: Context, data: DocumentProposalDecideInput) -> Outcome:
    """Approve proposed wording for the panel: its chair or vice-chair, or staff recording a meeting's decision."""
    return Outcome(documents.approve_proposal(context.actor, parse_id(data.id, "document_proposal")).id)


@mutations.add("documentProposalDecline", roles=MEMBER_AND_STAFF, payload="DocumentProposalDeclined")
def decline(context: Context, data: DocumentProposalDecideInput) -> Outcome:
    """Record that proposed wording is not taken forward, with the reason."""
    return Outcome(documents.decline_proposal(context.actor, parse_id(data.id, "document_proposal"), data.reason).id)


@strawberry.input(description="Approved wording to adopt (a multipart request when it carries a leaflet's PDF).")
class DocumentProposalAdoptInput:
    id: strawberry.ID = strawberry.field(description="The proposal, approved by the panel.")
    file: Upload | None = strawberry.field(
        default=None, description="For a leaflet: the PDF made from the approved words (admins)."
    )
    title: str = strawberry.field(default="", description="For a leaflet: its title; the document's by default.")


@mutations.add("documentProposalAdopt", roles=STAFF, payload="DocumentProposalAdopted")
def adopt(context: Context, data: DocumentProposalAdoptInput) -> Outcome:
    """Make approved wording the wording in use (managers), or attach the leaflet made from it (admins)."""
    stream, name = None, ""
    if data.file is not None:
        upload: Any = data.file
        stream = getattr(upload, "stream", None)
        if stream is None or not hasattr(stream, "read"):
            raise Invalid("file", "not_a_file")
        name = str(getattr(upload, "filename", "") or "leaflet.pdf")
    proposal = documents.adopt_proposal(context.actor, parse_id(data.id, "document_proposal"), stream, name, data.title)
    return Outcome(proposal.id)


@strawberry.type(description="A review of letters and leaflets, as its documents' pages show it.")
class LettersReview:
    id: strawberry.ID = strawberry.field(description="The review.")
    reference: str = strawberry.field(description="Its reference, SR-YYYY-NN.")
    topic: str = strawberry.field(description="What it reviews.")
    status: ReviewStatus = strawberry.field(description="Where it is.")  # type: ignore[valid-type]
    panel_name: str = strawberry.field(description="The panel's name.")


@strawberry.type
class LettersReviewsQuery:
    @strawberry.field(
        description="The reviews of letters and leaflets you may see (staff: all; a member: their current panels'), "
        "newest first, up to 100."
    )
    def letters_reviews(self, info: Info[Context, None]) -> list[LettersReview]:
        actor = info.context.actor
        query = (
            ScrutinyReview.select(ScrutinyReview, Panel.name)
            .join(Panel)
            .where(ScrutinyReview.kind == ReviewKind.DOCUMENTS)
            .order_by(ScrutinyReview.id.desc())
            .limit(100)
        )
        if not actor.is_staff:
            query = query.where(ScrutinyReview.id.in_(member_review_ids(actor.user_id)))
        return [
            LettersReview(
                id=strawberry.ID(str(review.id)),
                reference=review.reference,
                topic=review.topic,
                status=ReviewStatus.of(review.status),
                panel_name=review.panel.name,
            )
            for review in query
        ]


@only_for(STAFF)
@strawberry.type
class WordingApprovalQuery:
    @strawberry.field(
        description="When the scrutiny panel approved the wording in use for a message on a channel in a language; "
        "null when the wording in use is not wording the panel approved (staff changed it since, or never adopted "
        "the panel's). Staff only."
    )
    def panel_approval_of_wording(
        self,
        info: Info[Context, None],
        event: Annotated[str, strawberry.argument(description="The message's event, e.g. complaint.acknowledged.")],
        channel: Annotated[str, strawberry.argument(description="email, sms, letter or portal.")],
        locale: Annotated[str, strawberry.argument(description="The language, a locale code.")],
    ) -> dt.datetime | None:
        return documents.wording_approval(event[:100], channel[:30], locale[:20])

    @strawberry.field(
        description="When the scrutiny panel approved the words of the leaflet in use for a regime stage; null when "
        "the leaflet in use is not the one adopted from the panel's approved words. Staff only."
    )
    def panel_approval_of_leaflet(
        self,
        info: Info[Context, None],
        stage: Annotated[strawberry.ID, strawberry.argument(description="The regime stage.")],
    ) -> dt.datetime | None:
        return documents.leaflet_approval(reference_id(stage))


QUERIES: list[type] = [only_for(MEMBER_AND_STAFF)(LettersReviewsQuery), WordingApprovalQuery]
