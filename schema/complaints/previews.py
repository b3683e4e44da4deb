"""Previews of what a step will send: the same input as the step, run and undone, and the message it composes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from backend.complaints.previews import MessagePreview, preview_step
from schema.access import STAFF_ROLES as STAFF
from schema.complaints import mutations
from schema.context import Context
from schema.engine.mutations import MutationSpec, Outcome, parse_id


@strawberry.type(name="ComplaintMessagePreview", description="The message a step would send; nothing is saved.")
class MessagePreviewType:
    channel: str = strawberry.field(
        description="email, sms, letter, portal or call: the channel the person will get it by."
    )
    locale: str
    subject: str
    text: str = strawberry.field(description="The message as text, exactly as it would be stored and sent.")
    html: str = strawberry.field(description="The message as the HTML of an email.")
    written_channel: str | None = strawberry.field(
        description="For someone who reads text messages: the channel that carries the full message in writing; "
        "null when there is none yet (the copy then waits for staff to record an address)."
    )


def _previewing(event: str, run: Callable[[Context, Any], Outcome]) -> Callable[[Context, Any], Outcome]:
    def preview(context: Context, data: Any) -> Outcome:
        complaint_id = parse_id(data.id, "complaint")
        made: MessagePreview = preview_step(complaint_id, event, lambda: run(context, data))
        return Outcome(complaint_id, {"preview": MessagePreviewType(**vars(made))})

    return preview


def _spec(name: str, data: type, event: str, run: Any, step: str) -> MutationSpec:
    return MutationSpec(
        name,
        data,
        _previewing(event, run),
        "Complaint",
        "complaint",
        f"{name[:1].upper()}{name[1:]}ed",
        STAFF,
        (("preview", MessagePreviewType),),
        f"Show the message {step} would send the resident, in their channel and language, without saving anything. "
        "Refused exactly as the step itself would be.",
    )


MUTATIONS = [
    _spec(
        "complaintRespondPreview", mutations.ComplaintRespondInput, "complaint.responded", mutations._respond, "issuing"
    ),
    _spec("complaintRefusePreview", mutations.ComplaintRefuseInput, "complaint.refused", mutations._refuse, "refusing"),
    _spec(
        "complaintExtendPreview", mutations.ComplaintExtendInput, "complaint.extended", mutations._extend, "extending"
    ),
]
