"""The letters-and-leaflets review: members propose wording for messages and leaflets, the panel approves it, and
the landlord adopts it.

A review of kind "documents" lists what is under review: a message's wording on one channel (an event of
:mod:`backend.notifications.catalogue`) or the leaflet enclosed with a stage's letters. Members propose wording per
document, in a language. Their chair (or vice-chair) approves a proposal for the panel, or staff record the panel's
approval taken at a meeting. Staff then adopt approved wording through the services that own it: message wording
through :func:`backend.notifications.services.save_template`, whose checks keep its placeholders valid, and a
leaflet through :func:`backend.complaints.leaflets.set_stage_leaflet`, with the PDF made from the approved words.
The wording in use then says "approved by the scrutiny panel on <date>" for as long as it is the words adopted
(:func:`wording_approval`, :func:`leaflet_approval`). Adopting a document's wording counts it as reviewed in the
ledger of every member who proposed wording for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from backend.audit.services import field_changes, record_audit
from backend.complaints.leaflets import set_stage_leaflet
from backend.complaints.models import RegimeStage, StageLeaflet
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons.sharing import text
from backend.notifications.models import CHANNELS, MessageTemplate
from backend.notifications.registry import EVENTS
from backend.notifications.services import save_template
from backend.notifications.templates import MAX_TEMPLATE, check_template, effective_source
from backend.panels.access import current_memberships, visible_review
from backend.panels.ledger import record_document_reviewed, require_staff
from backend.panels.models import (
    DocumentKind,
    DocumentProposal,
    PanelMembership,
    PanelRole,
    ProposalStatus,
    ReviewDocument,
    ReviewKind,
    ReviewStatus,
    ScrutinyReview,
)
from backend.timeutil import utcnow

MAX_TITLE = 200
MAX_NOTE = 2_000
MAX_SUBJECT = 500
#: A leaflet's words: about eight pages of A5.
MAX_LEAFLET_TEXT = 20_000
MAX_DOCUMENTS = 50
MAX_PROPOSALS = 20
CLOSED = (ReviewStatus.PUBLISHED, ReviewStatus.CLOSED)
CHAIRS = (PanelRole.CHAIR, PanelRole.VICE_CHAIR)


def add_document(
    actor: Actor,
    review_id: int,
    kind: str,
    title: str,
    event: str = "",
    channel: str = "",
    stage_id: int | None = None,
    note: str = "",
) -> ReviewDocument:
    """Put a message's wording on one channel, or a stage's leaflet, under a review of letters and leaflets.

    Staff only. Raises NotAllowed, NotFound (no such review), Conflict("not_documents_review") for a review of
    another kind, Conflict("documents_closed") once published or closed, or Invalid listing every problem: ``kind``
    "unsupported"; ``title`` "required", "too_long" or "hidden_characters"; ``note`` "too_long"; for wording,
    ``event`` "unsupported" and ``channel`` "not_a_message_channel"; for a leaflet, ``stage`` "required" or
    "unsupported"; ``title`` "duplicate" when the same document is already under the review, or "too_many" past 50
    documents.
    """
    require_staff(actor, "review_document.add")
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None:
        raise NotFound("ScrutinyReview", review_id)
    if review.kind != ReviewKind.DOCUMENTS:
        raise Conflict("not_documents_review")
    if review.status in CLOSED:
        raise Conflict("documents_closed")
    existing = ReviewDocument.select().where(ReviewDocument.review == review.id)
    with gather() as problems:
        named = text(problems, "title", title, MAX_TITLE, required=True, line=True)
        written = text(problems, "note", note, MAX_NOTE)
        if kind == DocumentKind.WORDING:
            if event not in EVENTS or event.startswith("block."):
                problems.add("event", "unsupported")
            if channel not in CHANNELS:
                problems.add("channel", "not_a_message_channel")
            same = existing.where(ReviewDocument.event == event, ReviewDocument.channel == channel)
            stage_id = None
        elif kind == DocumentKind.LEAFLET:
            event, channel = "", ""
            if stage_id is None:
                problems.add("stage", "required")
            elif RegimeStage.get_or_none(RegimeStage.id == stage_id) is None:
                problems.add("stage", "unsupported")
            same = existing.where(ReviewDocument.stage == stage_id)
        else:
            problems.add("kind", "unsupported")
            same = existing.where(ReviewDocument.id == 0)
        if same.exists():
            problems.add("title", "duplicate")
        elif existing.count() >= MAX_DOCUMENTS:
            problems.add("title", "too_many", maximum=MAX_DOCUMENTS)
    with transaction():
        document = ReviewDocument.create(
            review=review.id,
            kind=kind,
            event=event,
            channel=channel,
            stage=stage_id,
            title=named,
            note=written,
            added_by=actor.user_id,
        )
        values = {"kind": kind, "title": named, "event": event, "channel": channel, "stage": stage_id}
        record_audit(actor, "review_document.added", "review_document", document.id, field_changes(None, values))
        record_event("panels.document_added", {"review_id": review.id, "document_id": document.id})
    return document


def visible_document(actor: Actor, document_id: int) -> ReviewDocument:
    """The document, for staff or a current member of its review's panel.

    Raises NotFound when there is no such document or the actor may not see it (the same answer for both).
    """
    document = ReviewDocument.get_or_none(ReviewDocument.id == document_id)
    if document is None:
        raise NotFound("ReviewDocument", document_id)
    try:
        visible_review(actor, document.review_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("ReviewDocument", document_id) from None
    return document


def placeholders_of(document: ReviewDocument) -> list[str]:
    """The placeholders a message's wording may use ({{ name }} and the event's own); none for a leaflet."""
    spec = EVENTS.get(document.event)
    return sorted({"name", *spec.variables}) if spec is not None else []


def propose_wording(actor: Actor, document_id: int, locale: str, proposed: str, subject: str = "") -> DocumentProposal:
    """Propose wording for a document under review, as a current member of its panel.

    Message wording may use only the message's placeholders, in ``{{ name }}`` form, as staff's wording does.
    Raises NotAllowed (a read-only token), NotFound (no such document, or not the member's: the same answer),
    Conflict("documents_closed") once the review is published or closed, or Invalid listing every problem: ``locale``
    "unsupported"; ``text`` "required", "too_long", or a wording problem (``unknown_placeholder``, ``syntax``...);
    ``subject`` "too_long" or a wording problem; ``text`` "too_many" past 20 proposals by the member for the document,
    or "unchanged" when it is the wording in use.
    """
    if not actor.can_write or actor.user_id is None:
        raise NotAllowed("document_proposal.add")
    document = ReviewDocument.get_or_none(ReviewDocument.id == document_id)
    member = None
    if document is not None:
        review = ScrutinyReview.get_by_id(document.review_id)  # type: ignore[attr-defined]
        member = current_memberships(actor.user_id).where(PanelMembership.panel == review.panel_id).first()  # type: ignore[attr-defined]
    if document is None or member is None:
        raise NotFound("ReviewDocument", document_id)
    if review.status in CLOSED:
        raise Conflict("documents_closed")
    wording = document.kind == DocumentKind.WORDING
    with gather() as problems:
        if locale not in current().enabled_locales:
            problems.add("locale", "unsupported")
        body = text(problems, "text", proposed, MAX_TEMPLATE if wording else MAX_LEAFLET_TEXT, required=True)
        heading = text(problems, "subject", subject if wording else "", MAX_SUBJECT, line=True)
        if wording and not problems.found:
            in_use_subject, in_use_text, _origin = effective_source(document.event, document.channel, locale)
            if body == in_use_text.strip() and heading in ("", in_use_subject.strip()):
                problems.add("text", "unchanged")  # the form starts from the wording in use: nothing was proposed
        if wording and not problems.found:
            allowed = placeholders_of(document)
            for field, source in (("subject", heading), ("text", body)):
                with problems.check():
                    check_template(field, source, allowed)
        mine = DocumentProposal.select().where(
            DocumentProposal.document == document.id, DocumentProposal.author == actor.user_id
        )
        if mine.count() >= MAX_PROPOSALS:
            problems.add("text", "too_many", maximum=MAX_PROPOSALS)
    with transaction():
        proposal = DocumentProposal.create(
            document=document.id, locale=locale, subject=heading, text=body, author=actor.user_id
        )
        record_audit(
            actor,
            "document_proposal.added",
            "document_proposal",
            proposal.id,
            field_changes(None, {"document": document.id, "locale": locale}),
        )
        record_event("panels.document_proposed", {"document_id": document.id, "proposal_id": proposal.id})
    return proposal


def _proposal_for(actor: Actor, proposal_id: int) -> tuple[DocumentProposal, ReviewDocument, ScrutinyReview]:
    proposal = DocumentProposal.get_or_none(DocumentProposal.id == proposal_id)
    if proposal is None:
        raise NotFound("DocumentProposal", proposal_id)
    try:
        document = visible_document(actor, proposal.document_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("DocumentProposal", proposal_id) from None
    return proposal, document, ScrutinyReview.get_by_id(document.review_id)  # type: ignore[attr-defined]


def _require_panel_decision(actor: Actor, review: ScrutinyReview, action: str) -> None:
    """Staff (recording the panel's decision), or the panel's chair or vice-chair; NotAllowed for other members."""
    if not actor.can_write or actor.user_id is None:
        raise NotAllowed(action)
    if actor.is_staff:
        return
    membership = current_memberships(actor.user_id).where(PanelMembership.panel == review.panel_id).first()  # type: ignore[attr-defined]
    if membership is None or membership.role not in CHAIRS:
        raise NotAllowed(action, "not_chair")


def may_decide(actor: Actor, review_id: int) -> bool:
    """Whether the actor is a current chair or vice-chair of the review's panel, who decide on wording for it."""
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None or actor.user_id is None or not actor.can_write:
        return False
    membership = current_memberships(actor.user_id).where(PanelMembership.panel == review.panel_id).first()  # type: ignore[attr-defined]
    return membership is not None and membership.role in CHAIRS


def approve_proposal(actor: Actor, proposal_id: int) -> DocumentProposal:
    """Record the panel's approval of proposed wording: by its chair or vice-chair, or by staff after a meeting.

    The chair or vice-chair who proposed the wording cannot approve it alone: another of them, or staff after a
    meeting, approves it for the panel.

    Raises NotFound (no such proposal, or not the member's panel: the same answer), NotAllowed (a member who is not
    the chair or vice-chair: code "not_chair"; the proposer: code "own_proposal"), or Conflict("wording_decided")
    unless it is waiting as proposed.
    """
    proposal, _document, review = _proposal_for(actor, proposal_id)
    _require_panel_decision(actor, review, "document_proposal.approve")
    if proposal.author_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed("document_proposal.approve", "own_proposal")
    return _decide(actor, proposal, ProposalStatus.APPROVED, "")


def decline_proposal(actor: Actor, proposal_id: int, reason: str) -> DocumentProposal:
    """Record that proposed wording is not taken forward, with the reason.

    Raises as :func:`approve_proposal`, and Invalid("decision_note", "required"/"too_long").
    """
    proposal, _document, review = _proposal_for(actor, proposal_id)
    _require_panel_decision(actor, review, "document_proposal.decline")
    with gather() as problems:
        note = text(problems, "decision_note", reason, MAX_NOTE, required=True)
    return _decide(actor, proposal, ProposalStatus.DECLINED, note)


def _decide(actor: Actor, proposal: DocumentProposal, status: str, note: str) -> DocumentProposal:
    now = utcnow()
    values: dict[str, Any] = {"status": status, "decision_note": note, "updated_at": now}
    if status == ProposalStatus.APPROVED:
        values.update(approved_by=actor.user_id, approved_at=now)
    with transaction():
        changed = (
            DocumentProposal.update(**values)
            .where(DocumentProposal.id == proposal.id, DocumentProposal.status == ProposalStatus.PROPOSED)
            .execute()
        )
        if not changed:
            raise Conflict("wording_decided")
        record_audit(
            actor,
            f"document_proposal.{status}",
            "document_proposal",
            proposal.id,
            field_changes({"status": proposal.status}, {"status": status}),
        )
        record_event(f"panels.document_{status}", {"proposal_id": proposal.id})
    return DocumentProposal.get_by_id(proposal.id)


def adopt_proposal(
    actor: Actor,
    proposal_id: int,
    leaflet: BinaryIO | None = None,
    file_name: str = "",
    leaflet_title: str = "",
) -> DocumentProposal:
    """Make the panel's approved wording the wording in use, and count the document reviewed in members' ledgers.

    Message wording is saved for the proposal's event, channel and language through the message wording's own
    service (managers and admins; every placeholder checked again). A leaflet needs the PDF made from the approved
    words, which replaces the stage's leaflet (admins). Raises NotAllowed, NotFound (no such proposal),
    Conflict("not_approved") unless the panel approved it, Invalid("file", "required") for a leaflet without its
    PDF, and whatever the owning service raises (Invalid on the subject, body, title or file).
    """
    if not actor.can_write or not actor.is_staff:
        raise NotAllowed("document_proposal.adopt")
    proposal = DocumentProposal.get_or_none(DocumentProposal.id == proposal_id)
    if proposal is None:
        raise NotFound("DocumentProposal", proposal_id)
    if proposal.status != ProposalStatus.APPROVED:
        raise Conflict("not_approved")
    document = ReviewDocument.get_by_id(proposal.document_id)  # type: ignore[attr-defined]
    reference = ""
    if document.kind == DocumentKind.LEAFLET and leaflet is None:
        raise Invalid("file", "required")
    with transaction():
        if document.kind == DocumentKind.WORDING:
            subject = proposal.subject
            if document.channel != "sms" and not subject.strip():
                # The panel changed the body only: the subject in use stays.
                subject = effective_source(document.event, document.channel, proposal.locale)[0]
            save_template(actor, document.event, document.channel, proposal.locale, subject, proposal.text)
        else:
            stage_id: Any = document.stage_id  # type: ignore[attr-defined]
            if leaflet is None or stage_id is None:
                raise Conflict("no_stage")
            stored = set_stage_leaflet(actor, stage_id, leaflet, file_name, leaflet_title or document.title)
            reference = stored.sha256
        now = utcnow()
        changed = (
            DocumentProposal.update(
                status=ProposalStatus.ADOPTED,
                adopted_by=actor.user_id,
                adopted_at=now,
                adopted_ref=reference,
                updated_at=now,
            )
            .where(DocumentProposal.id == proposal.id, DocumentProposal.status == ProposalStatus.APPROVED)
            .execute()
        )
        if not changed:
            raise Conflict("not_approved")
        record_document_reviewed(actor, document)
        record_audit(
            actor,
            "document_proposal.adopted",
            "document_proposal",
            proposal.id,
            field_changes({"status": ProposalStatus.APPROVED}, {"status": ProposalStatus.ADOPTED}),
        )
        record_event("panels.document_adopted", {"proposal_id": proposal.id, "document_id": document.id})
    return DocumentProposal.get_by_id(proposal.id)


def wording_approval(event: str, channel: str, locale: str) -> dt.datetime | None:
    """When the panel approved the wording in use for a message, or None when it is not the panel's wording.

    Staff's later edit of the wording ends the claim: the panel approved words, not a slot.
    """
    template = MessageTemplate.get_or_none(
        MessageTemplate.event == event, MessageTemplate.channel == channel, MessageTemplate.locale == locale
    )
    if template is None:
        return None
    adopted = (
        DocumentProposal.select(DocumentProposal)
        .join(ReviewDocument)
        .where(
            ReviewDocument.event == event,
            ReviewDocument.channel == channel,
            DocumentProposal.locale == locale,
            DocumentProposal.status == ProposalStatus.ADOPTED,
            DocumentProposal.text == template.body,
        )
        .order_by(DocumentProposal.adopted_at.desc())
        .first()
    )
    return adopted.approved_at if adopted is not None else None


def leaflet_approval(stage_id: int) -> dt.datetime | None:
    """When the panel approved the words of a stage's leaflet in use, or None when it is not the adopted PDF."""
    leaflet = StageLeaflet.get_or_none(StageLeaflet.stage == stage_id)
    if leaflet is None:
        return None
    adopted = (
        DocumentProposal.select(DocumentProposal)
        .join(ReviewDocument)
        .where(
            ReviewDocument.stage == stage_id,
            DocumentProposal.status == ProposalStatus.ADOPTED,
            DocumentProposal.adopted_ref == leaflet.sha256,
        )
        .order_by(DocumentProposal.adopted_at.desc())
        .first()
    )
    return adopted.approved_at if adopted is not None else None
