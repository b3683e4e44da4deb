"""Example quotes of a theme: staff propose what residents said, anonymised; another manager approves it.

The text is redacted as it is saved (``backend.redaction.redact_narrative``): the names, addresses, phone numbers and
emails of the source contact's parties when a contact is named, and whatever else looks personal, and the landlord's
case references. The source contact is for staff only and must be one the proposer may see: a case hidden from them
answers as one not there. Only approved quotes are public; a manager who did not propose a quote approves it (four
eyes), and staff withdraw one at any time.
"""

from __future__ import annotations

from backend.audit.services import record_audit
from backend.cocreation.models import QuoteStatus, ThemeQuote
from backend.complaints.redaction import REFERENCE, parties_for
from backend.complaints.restricted import visible_contact
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons.themes import MANAGER_ROLES, enabled_locales, get_theme
from backend.panels.redaction import CASE_REFERENCE
from backend.redaction import Party, redact_narrative
from backend.text import clean
from backend.timeutil import utcnow

MAX_TEXT = 500


def _check(actor: Actor, action: str, roles: frozenset[str] | tuple[str, ...] = STAFF_ROLES) -> None:
    if not actor.can_write or not actor.has_role(*roles):
        raise NotAllowed(f"theme_quote.{action}")


def redact_quote(text: str, parties: list[Party]) -> str:
    """The quote with the parties' details, case references and anything that looks personal taken out."""
    return redact_narrative(CASE_REFERENCE.sub(REFERENCE, text), parties)


def get_quote(quote_id: int) -> ThemeQuote:
    """The quote; raises NotFound("theme_quote") when there is none."""
    quote = ThemeQuote.get_or_none(ThemeQuote.id == quote_id)
    if quote is None:
        raise NotFound("theme_quote", quote_id)
    return quote


def propose_quote(actor: Actor, theme_id: int, locale: str, text: str, contact_id: int | None = None) -> ThemeQuote:
    """Propose a quote of a theme in one language, redacted as it is saved; return it.

    Proposing the same words for the same theme and language while that proposal waits returns the one waiting.
    Staff only. Raises NotAllowed, NotFound("theme"), Invalid listing every problem (``text`` "required" or
    "too_long"; ``locale`` "unsupported"; ``contact_id`` "not_found" for a contact that is not there or is hidden
    from the proposer), or Conflict("theme_ended") for a theme archived or merged.
    """
    _check(actor, "propose")
    theme = get_theme(theme_id)
    contact = None
    with gather() as problems:
        words = clean(text)
        if not words:
            problems.add("text", "required")
        elif len(words) > MAX_TEXT:
            problems.add("text", "too_long", maximum=MAX_TEXT)
        if locale not in enabled_locales():
            problems.add("locale", "unsupported")
        if contact_id is not None:
            try:
                contact = visible_contact(actor, contact_id)
            except NotFound:
                problems.add("contact_id", "not_found")
    if theme.archived_at is not None or theme.merged_into_id is not None:  # type: ignore[attr-defined]
        raise Conflict("theme_ended")
    redacted = redact_quote(words, parties_for(contact) if contact is not None else [])
    with transaction():
        waiting = ThemeQuote.get_or_none(
            ThemeQuote.theme == theme.id,
            ThemeQuote.locale == locale,
            ThemeQuote.text == redacted,
            ThemeQuote.status == QuoteStatus.PROPOSED,
        )
        if waiting is not None:  # the same proposal sent twice counts once
            return waiting
        quote = ThemeQuote.create(
            theme=theme.id,
            locale=locale,
            text=redacted,
            contact=contact.id if contact else None,
            proposed_by=actor.user_id,
        )
        after = {"theme_id": theme.id, "locale": locale, "text": redacted, "contact_id": quote.contact_id}  # type: ignore[attr-defined]
        record_audit(
            actor,
            "theme_quote.proposed",
            "theme_quote",
            quote.id,
            {k: {"before": None, "after": v} for k, v in after.items()},
        )
        record_event("cocreation.quote_proposed", {"quote_id": quote.id, "theme_id": theme.id})
    return quote


def approve_quote(actor: Actor, quote_id: int) -> ThemeQuote:
    """Approve a proposed quote, so it is shown on the theme's public page; return it.

    Managers only, and not the one who proposed it. Raises NotAllowed (``own_quote`` for the proposer), NotFound,
    Conflict("quote_not_proposed") when it was approved or withdrawn already, or Conflict("theme_ended").
    """
    _check(actor, "approve", MANAGER_ROLES)
    quote = get_quote(quote_id)
    if quote.proposed_by_id is not None and quote.proposed_by_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed("theme_quote.approve", "own_quote")
    if quote.status != QuoteStatus.PROPOSED:
        raise Conflict("quote_not_proposed")
    theme = get_theme(quote.theme_id)  # type: ignore[attr-defined]
    if theme.archived_at is not None or theme.merged_into_id is not None:  # type: ignore[attr-defined]
        raise Conflict("theme_ended")
    with transaction():
        now = utcnow()
        moved = (
            ThemeQuote.update(status=QuoteStatus.APPROVED, approved_by=actor.user_id, approved_at=now, updated_at=now)
            .where(ThemeQuote.id == quote.id, ThemeQuote.status == QuoteStatus.PROPOSED)
            .execute()
        )
        if moved != 1:
            raise Conflict("quote_not_proposed")
        record_audit(
            actor,
            "theme_quote.approved",
            "theme_quote",
            quote.id,
            {"status": {"before": QuoteStatus.PROPOSED, "after": QuoteStatus.APPROVED}},
        )
        record_event("cocreation.quote_approved", {"quote_id": quote.id, "theme_id": theme.id})
    return get_quote(quote.id)


def withdraw_quote(actor: Actor, quote_id: int) -> ThemeQuote:
    """Withdraw a quote, proposed or approved: it is no longer shown. Return it.

    Staff withdraw a proposal; only managers withdraw an approved quote. Raises NotAllowed, NotFound, or
    Conflict("quote_withdrawn") when it was withdrawn already.
    """
    _check(actor, "withdraw")
    quote = get_quote(quote_id)
    if quote.status == QuoteStatus.WITHDRAWN:
        raise Conflict("quote_withdrawn")
    if quote.status == QuoteStatus.APPROVED and not actor.has_role(*MANAGER_ROLES):
        raise NotAllowed("theme_quote.withdraw")
    with transaction():
        now = utcnow()
        moved = (
            ThemeQuote.update(status=QuoteStatus.WITHDRAWN, updated_at=now)
            .where(ThemeQuote.id == quote.id, ThemeQuote.status == quote.status)
            .execute()
        )
        if moved != 1:
            raise Conflict("quote_withdrawn")
        record_audit(
            actor,
            "theme_quote.withdrawn",
            "theme_quote",
            quote.id,
            {"status": {"before": quote.status, "after": QuoteStatus.WITHDRAWN}},
        )
        record_event("cocreation.quote_withdrawn", {"quote_id": quote.id, "theme_id": quote.theme_id})  # type: ignore[attr-defined]
    return get_quote(quote.id)
