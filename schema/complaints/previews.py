"""Previews of what a step will send: the same input as the step, run and undone, and the message it composes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from backend.complaints.previews import MessagePreview, preview_step
from backend.events.models import DeliveryChannel
from schema.access import STAFF_ROLES as STAFF
from schema.complaints.mutations import (
    ComplaintExtendInput,
    ComplaintRefuseInput,
    ComplaintRespondInput,
    extend,
    refuse,
    respond,
)
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.type(name="ComplaintMessagePreview", description="The message a step would send; nothing is saved.")
class MessagePreviewType:
    channel: DeliveryChannel = strawberry.field(description="The channel the person will get it by.")
    locale: str = strawberry.field(description="The language it is in: a locale code.")
    subject: str = strawberry.field(
        description="The subject, in the resident's language: an email's subject line, a letter's heading."
    )
    text: str = strawberry.field(description="The message as text, exactly as it would be stored and sent.")
    html: str = strawberry.field(description="The message as the HTML of an email.")
    written_channel: DeliveryChannel | None = strawberry.field(
        description="For someone who reads text messages: the channel that carries the full message in writing; "
        "null when there is none yet (the copy then waits for staff to record an address)."
    )


def _preview(context: Context, data: Any, event: str, step: Callable[[Context, Any], Outcome]) -> Outcome:
    """Run the step and undo it, keeping the message its ``event`` composes; refused as the step would be."""
    complaint_id = parse_id(data.id, "complaint")
    made: MessagePreview = preview_step(complaint_id, event, lambda: step(context, data))
    return Outcome(complaint_id, {"preview": MessagePreviewType(**vars(made))})


PREVIEW = {"preview": (MessagePreviewType, "The message the step would send the resident; nothing was saved or sent.")}


@mutations.add("complaintRespondPreview", roles=STAFF, payload="ComplaintRespondPreviewed", extra=PREVIEW)
def preview_respond(context: Context, data: ComplaintRespondInput) -> Outcome:
    """Show the message issuing would send the resident, in their channel and language, without saving anything.

    Refused exactly as the step itself would be.
    """
    return _preview(context, data, "complaint.responded", respond)


@mutations.add("complaintRefusePreview", roles=STAFF, payload="ComplaintRefusePreviewed", extra=PREVIEW)
def preview_refuse(context: Context, data: ComplaintRefuseInput) -> Outcome:
    """Show the message refusing would send the resident, in their channel and language, without saving anything.

    Refused exactly as the step itself would be.
    """
    return _preview(context, data, "complaint.refused", refuse)


@mutations.add("complaintExtendPreview", roles=STAFF, payload="ComplaintExtendPreviewed", extra=PREVIEW)
def preview_extend(context: Context, data: ComplaintExtendInput) -> Outcome:
    """Show the message extending would send the resident, in their channel and language, without saving anything.

    Refused exactly as the step itself would be.
    """
    return _preview(context, data, "complaint.extended", extend)
