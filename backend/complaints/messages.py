"""The messages about contacts and complaints: what each says by default, and its placeholder values and links in
the reader's language (the substance after the wording is :mod:`backend.complaints.answers`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.complaints.answers import WHERE_YOU_ARE_HEADING, complaint_details
from backend.complaints.models import Complaint, Regime
from backend.complaints.progress import describe, ombudsman_name, progress_of
from backend.config import current, formatting_locale
from backend.i18n import N_, translations
from backend.notifications.catalogue import HELLO, THANKS, EventGroup, EventSpec, Recipient

NO_TEAM = N_("our complaints team")
COMPLAINT_EVENTS = EventGroup()


def complaint_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """Values for a message about one complaint: reference, team, Ombudsman, dates and where it is."""
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    if complaint is None:
        return {"reference": str(payload.get("reference", "")), "where_you_are": ""}
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    stage, _next_step = describe(progress_of(complaint), locale)
    due = payload.get("due_on")
    return {
        # Wording saved when this block was a placeholder still renders: the system now adds the block.
        "where_you_are": "",
        "reference": complaint.reference,
        "team": complaint.team or translations(locale).gettext(NO_TEAM),
        "stage": stage,
        "ombudsman": ombudsman_name(regime.ombudsman_name, translations(locale).gettext),
        "ombudsman_details": regime.ombudsman_details,
        "due_date": _date(dt.date.fromisoformat(due), locale) if due else "",
    }


def complaint_link(payload: Mapping[str, Any]) -> str:
    """The case page: the console's for staff events (they name a recipient), the portal's for residents."""
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    base = current().base_url
    if complaint is None:
        return f"{base}/cases"
    if "recipient_id" in payload:
        return f"{base}/console/complaints/{complaint.id}"
    return f"{base}/cases/{complaint.contact_id}"  # type: ignore[attr-defined]


def _date(day: dt.date, locale: str) -> str:
    return format_date(day, format="long", locale=formatting_locale(locale))


COMPLAINT_EVENTS.add(
    EventSpec(
        "feedback.received",
        "feedback",
        N_("We have your feedback: %(reference)s"),
        (
            HELLO,
            N_("Thank you for telling us. We have your feedback and its reference is %(reference)s."),
            N_(
                "We will contact you within %(days)s working days to say what happens next. You can see where "
                "it is at any time on our website."
            ),
            THANKS,
        ),
        {"name": "Sam Okafor", "reference": "LL-2026-00042", "days": "5"},
        N_("See your feedback"),
        N_("The acknowledgement a resident receives when their feedback is logged."),
        context=lambda payload, user, locale: _feedback_values(payload),
        link=lambda recipient: _base_url() + "/cases",
        sample_link="https://example.org/cases",
    )
)


def _feedback_values(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {"reference": str(payload.get("reference", "")), "days": str(payload.get("days", 5))}


def _base_url() -> str:
    return current().base_url


# A block, not a message: the system ends every complaint message to a resident with it.
COMPLAINT_EVENTS.add(
    EventSpec(
        "block.where_you_are",
        "complaints",
        WHERE_YOU_ARE_HEADING,
        (
            N_("Your complaint is at %(stage)s."),
            N_("What happens next: %(next_step)s"),
            N_("We will reply by %(due_date)s."),
        ),
        {"stage": "stage 1", "next_step": "we are looking into what happened", "due_date": "5 December 2026"},
        description=N_("The block every complaint message includes: the stage, what happens next, and by when."),
    )
)


def _complaint_link(recipient: Recipient) -> str:
    return complaint_link(recipient.payload)


COMPLAINT_VARIABLES = {
    "reference": "LL-2026-000042",
    "team": "Repairs team",
    "stage": "stage 1",
    "ombudsman": "Housing Ombudsman",
    "ombudsman_details": "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET. Telephone 0300 111 3000.",
    "due_date": "5 December 2026",
}
SEE_CASE = N_("See your complaint")


def _complaint(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    """A message to the resident: staff's short summary, then the substance and the "where you are" block,
    which the system writes (see backend.complaints.answers), then the link to the case."""
    return COMPLAINT_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            # No closing "thank you for using Learnloop": it would sit between the summary and the answer, and
            # every summary already thanks the resident (short letters, as residents asked).
            (HELLO, *paragraphs),
            COMPLAINT_VARIABLES,
            SEE_CASE,
            description,
            context=complaint_values,
            link=_complaint_link,
            sample_link="https://example.org/cases/42",
            details=complaint_details,
        )
    )


def _staff(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    return COMPLAINT_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs),
            COMPLAINT_VARIABLES,
            N_("Open the case"),
            description,
            context=complaint_values,
            link=_complaint_link,
            sample_link="https://example.org/console/complaints/42",
        )
    )


_complaint(
    "complaint.acknowledged",
    N_("We have logged your complaint %(reference)s"),
    (
        N_(
            "Thank you for telling us when something has gone wrong. We have logged your complaint, and "
            "%(team)s is looking into it."
        ),
    ),
    N_("Sent when a complaint is acknowledged at any stage."),
)
_complaint(
    "complaint.extended",
    N_("We need a little longer on complaint %(reference)s"),
    (N_("We are sorry, but we need more time to answer your complaint properly. We will now reply by %(due_date)s."),),
    N_("Sent when the time to answer a complaint is extended, with the Ombudsman's details."),
)
_complaint(
    "complaint.responded",
    N_("Our answer to your complaint %(reference)s"),
    (
        N_(
            "Thank you for your patience. Here is our answer to your complaint: our decision on each point, our "
            "reasons, and what we will do to put things right."
        ),
    ),
    N_("Sent when a stage's answer is issued."),
)
_complaint(
    "complaint.escalated",
    N_("We will look at complaint %(reference)s again"),
    (
        N_(
            "Thank you for letting us know that you are not happy with our answer. "
            "Your complaint has moved to %(stage)s."
        ),
    ),
    N_("Sent when a resident asks for the next stage."),
)
_complaint(
    "complaint.refused",
    N_("About your complaint %(reference)s"),
    (
        N_(
            "We are sorry, but we cannot take this complaint through our complaints procedure. Our reasons, and "
            "how to ask the %(ombudsman)s to look at it, are below."
        ),
    ),
    N_("Sent when a complaint is refused on a ground of exclusion."),
)
_complaint(
    "complaint.escalation_refused",
    N_("About your request to escalate complaint %(reference)s"),
    (
        N_(
            "We are sorry, but we cannot take your complaint to the next stage of our complaints procedure. Our "
            "reasons, and how to ask the %(ombudsman)s to look at it, are below."
        ),
    ),
    N_("Sent when a request to escalate a complaint is refused on a ground of exclusion."),
)
_complaint(
    "complaint.withdrawn",
    N_("Your complaint %(reference)s is withdrawn"),
    (N_("As you asked, we have withdrawn your complaint. If you want to raise it again, just tell us."),),
    N_("Sent when a complaint is withdrawn."),
)
_complaint(
    "complaint.updated",
    N_("An update on your complaint %(reference)s"),
    (N_("We have an update for you on your complaint."),),
    N_("Sent with each update on a complaint's outstanding actions."),
)
_complaint(
    "complaint.remedy_completed",
    N_("We have done what we promised: %(reference)s"),
    (N_("We have completed one of the things we said we would do to put things right."),),
    N_("Sent when a remedy is completed."),
)
_staff(
    "complaint.assigned",
    N_("Complaint %(reference)s is now yours"),
    (N_("You are now handling complaint %(reference)s, at %(stage)s."),),
    N_("Tells a handler a complaint was given to them."),
)
_staff(
    "complaint.information_added",
    N_("New information on complaint %(reference)s"),
    (N_("The resident has added information to complaint %(reference)s."),),
    N_("Tells the handler the resident added information."),
)
_staff(
    "complaint.clock_at_risk",
    N_("Complaint %(reference)s is due on %(due_date)s"),
    (N_("Complaint %(reference)s, at %(stage)s, is due on %(due_date)s: two working days or less from now."),),
    N_("Tells the handler and their manager that a deadline is two working days away."),
)
_staff(
    "complaint.clock_breached",
    N_("Complaint %(reference)s is overdue"),
    (N_("Complaint %(reference)s, at %(stage)s, was due on %(due_date)s and has not been answered."),),
    N_("Tells the handler and their manager that a deadline was missed."),
)


def _review_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The record whose review is due, in the reader's language, the contact's reference and the due date."""
    reader = translations(locale)
    due = payload.get("due_on")
    record = REVIEW_RECORDS.get(str(payload.get("record")), REVIEW_RECORDS["adjustment"])
    return {
        "record": reader.gettext(record),
        "reference": str(payload.get("reference") or ""),
        "due_date": _date(dt.date.fromisoformat(due), locale) if due else "",
    }


def _safeguards_link(recipient: Recipient) -> str:
    contact_id = recipient.payload.get("contact_id")
    base = current().base_url
    return f"{base}/console/contacts/{contact_id}/safeguards" if contact_id else f"{base}/console"


REVIEW_RECORDS = {
    "adjustment": N_("A reasonable adjustment"),
    "restriction": N_("A restriction on contact"),
}
COMPLAINT_EVENTS.add(
    EventSpec(
        "complaint.safeguard_review_due",
        "complaints",
        N_("A review is due: %(reference)s"),
        (
            HELLO,
            N_(
                "%(record)s for the resident of %(reference)s was due for review on %(due_date)s. Review it: "
                "keep it with a new review date, or end it."
            ),
        ),
        {"record": "A reasonable adjustment", "reference": "LL-2026-000042", "due_date": "5 December 2026"},
        N_("Open the resident's adjustments and restrictions"),
        N_("Tells staff that a reasonable adjustment or a restriction on contact is due for review."),
        context=_review_values,
        link=_safeguards_link,
        sample_link="https://example.org/console/contacts/42/safeguards",
    )
)
# Ombudsman liaison goes to the named complaints officer (Code 4.1; backend.complaints.roles).
_staff(
    "complaint.ombudsman_liaison",
    N_("Complaint %(reference)s has gone to the %(ombudsman)s"),
    (
        N_(
            "Complaint %(reference)s was referred to the %(ombudsman)s. As complaints officer you are their point of "
            "contact: send them what they ask for, and record their determination when it comes."
        ),
    ),
    N_(
        "Tells the complaints officer (every manager, if nobody holds the role) that a complaint went to the Ombudsman."
    ),
)
_staff(
    "complaint.ombudsman_determined",
    N_("The %(ombudsman)s's determination on complaint %(reference)s"),
    (
        N_(
            "The %(ombudsman)s's determination on complaint %(reference)s is recorded. Check any orders and "
            "their dates."
        ),
    ),
    N_("Tells the complaints officer (every manager, if nobody holds the role) that a determination was recorded."),
)


def _promise_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The complaint's values, with what was promised and its kind in the reader's language."""
    gettext = translations(locale).gettext
    kinds = {"remedy": N_("A remedy"), "action": N_("An outstanding action"), "order": N_("An Ombudsman order")}
    return {
        **complaint_values(payload, user, locale),
        "promise": gettext(kinds.get(str(payload.get("promise")), kinds["action"])),
        "description": str(payload.get("description", "")),
    }


def _promise_staff(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    return COMPLAINT_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs),
            {**COMPLAINT_VARIABLES, "promise": "A remedy", "description": "Repair the kitchen window"},
            N_("Open the case"),
            description,
            context=_promise_values,
            link=_complaint_link,
            sample_link="https://example.org/console/complaints/42",
        )
    )


_promise_staff(
    "complaint.promise_due_soon",
    N_("Due on %(due_date)s: a promise on complaint %(reference)s"),
    (
        N_("%(promise)s on complaint %(reference)s is due on %(due_date)s: %(description)s"),
        N_("Mark it done on the case once it is done, so that nobody is told it is overdue."),
    ),
    N_("Tells the owner, the handler and their manager that a remedy, action or Ombudsman order falls due soon."),
)
_promise_staff(
    "complaint.promise_overdue",
    N_("Overdue: a promise on complaint %(reference)s"),
    (
        N_("%(promise)s on complaint %(reference)s was due on %(due_date)s and is not marked done: %(description)s"),
        N_("Do it, or tell the resident what is happening, and mark it done on the case."),
    ),
    N_("Tells the owner, the handler and their manager that a remedy, action or Ombudsman order is overdue."),
)
_staff(
    "complaint.update_missed",
    N_("Complaint %(reference)s: an update is overdue"),
    (
        N_(
            "We agreed to update the resident on complaint %(reference)s, at %(stage)s, by %(due_date)s, and no "
            "update has been sent. Send them an update today."
        ),
    ),
    N_("Tells the handler that an update agreed with the resident (Code 5.9) was missed."),
)
_staff(
    "complaint.update_missed_further",
    N_("Complaint %(reference)s: the resident has still had no update"),
    (
        N_(
            "An update agreed with the resident on complaint %(reference)s, at %(stage)s, was due by %(due_date)s. "
            "It is still missing a further interval later."
        ),
    ),
    N_("Tells the handler's manager that an agreed update is still missing a further interval later."),
)
_complaint(
    "complaint.investigation_started",
    N_("We are investigating complaint %(reference)s"),
    (
        N_(
            "Thank you for your complaint. It needs a full investigation, so it has moved to %(stage)s. We will "
            "look into it in detail and send you our answer."
        ),
    ),
    N_("Sent when staff take a complaint straight to investigation (the SPSO's stage 2) without a frontline answer."),
)
_staff(
    "complaint.sign_off_requested",
    N_("Complaint %(reference)s: a final response to sign off"),
    (N_("The final response to complaint %(reference)s, at %(stage)s, is waiting for a manager's sign-off."),),
    N_("Tells managers that a handler's final response waits for their sign-off before it is issued."),
)
_staff(
    "complaint.response_returned",
    N_("Complaint %(reference)s: your final response was returned"),
    (N_("A manager returned your final response to complaint %(reference)s. Read their reasons on the case."),),
    N_("Tells the handler that a manager did not sign off their final response, and why."),
)
