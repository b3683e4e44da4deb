"""Words for the codes of contacts and complaints, in the viewer's language (shared by portal and console)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from backend.complaints.progress import NEXT_STEPS, STAGE, Progress

CHANNELS = {
    "portal": _l("Website"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "letter": _l("Letter"),
    "face_to_face": _l("Face to face"),
    "verbal_to_staff": _l("Told to a member of staff"),
    "social_media": _l("Social media"),
    "representative": _l("Through a representative"),
    "interpreter": _l("Through an interpreter"),
}
KINDS = {
    "complaint": _l("Complaint"),
    "service_request": _l("Service request"),
    "compliment": _l("Compliment"),
    "suggestion": _l("Suggestion"),
    "survey_feedback": _l("Survey feedback"),
}
CONTACT_STATUSES = {
    "new": _l("New: not yet classified"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "merged": _l("Merged into a complaint"),
}
COMPLAINT_STATUSES = {
    "received": _l("Received: awaiting acknowledgement"),
    "open": _l("Being looked into"),
    "responded": _l("Answered"),
    "closed": _l("Closed"),
    "refused": _l("Not taken forward"),
    "withdrawn": _l("Withdrawn"),
}
DECISIONS = {
    "upheld": _l("Upheld"),
    "partly_upheld": _l("Partly upheld"),
    "not_upheld": _l("Not upheld"),
    "resolved": _l("Resolved"),
}
REMEDIES = {
    "apology": _l("An apology"),
    "acknowledgement": _l("Acknowledging what went wrong"),
    "explanation": _l("An explanation"),
    "action_on_delay": _l("Putting right a delay"),
    "reconsider_decision": _l("Reconsidering a decision"),
    "amend_record": _l("Correcting a record"),
    "financial_redress": _l("Financial redress"),
    "policy_change": _l("Changing a policy or practice"),
}
REFUSAL_GROUNDS = {
    "over_twelve_months": _l("The issue arose more than 12 months ago"),
    "over_six_months": _l(
        "They complained more than 6 months after they first knew of the issue, and there are no special circumstances"
    ),
    "legal_proceedings": _l("Legal proceedings have started"),
    "already_considered": _l("The matter was already considered through the complaints procedure"),
}
DETERMINATIONS = {
    "severe_maladministration": _l("Severe maladministration"),
    "maladministration": _l("Maladministration"),
    "service_failure": _l("Service failure"),
    "reasonable_redress": _l("Reasonable redress"),
    "no_maladministration": _l("No maladministration"),
    "outside_jurisdiction": _l("Outside the Ombudsman's jurisdiction"),
}
REPRESENTATIVES = {
    "advocate": _l("Advocate"),
    "family_member": _l("Family member"),
    "councillor": _l("Councillor"),
    "mp": _l("Member of Parliament"),
    "solicitor": _l("Solicitor"),
    "other": _l("Someone else"),
}
VULNERABILITIES = {
    "disability": _l("Disability"),
    "mental_health": _l("Mental health"),
    "health_condition": _l("Health condition"),
    "older_person": _l("Older person"),
    "language_or_literacy": _l("Language or literacy"),
    "domestic_abuse": _l("Domestic abuse"),
    "financial_hardship": _l("Financial hardship"),
    "bereavement": _l("Bereavement"),
    "young_children": _l("Young children in the home"),
    "other": _l("Other"),
}
MESSAGE_KINDS = {
    "acknowledgement": _l("We acknowledged your complaint"),
    "mediation": _l("We offered mediation"),
    "extension": _l("We need more time"),
    "response": _l("Our answer"),
    "refusal": _l("Why we cannot take this forward"),
    "update": _l("An update"),
    "action_completed": _l("We finished an action"),
    "more_information": _l("You added information"),
    "escalation_request": _l("You asked for the next stage"),
    "merged_contact": _l("Added from another contact"),
}
NOTE_KINDS = {
    "call_note": _l("Call note"),
    "internal_note": _l("Internal note"),
    "internal_correspondence": _l("Internal correspondence"),
    "third_party_correspondence": _l("Correspondence with another party"),
    "investigation_document": _l("Investigation document"),
}
CLOCK_KINDS = {"acknowledge": _l("Acknowledge"), "respond": _l("Respond")}


def label(table: dict[str, Any], code: str | None) -> str:
    """The words for a code, or the code itself when it has none (new codes stay readable)."""
    if code is None:
        return ""
    return str(table.get(code, code))


def complainant_name(resident: dict[str, Any] | None, anonymous: bool, people: list[dict[str, Any]] | None) -> str:
    """Who a contact or complaint is from, for staff: "Anonymous", the account's name, the name given by someone
    without an account (their ContactPerson), or "No account" when they gave none."""
    if anonymous:
        return gettext("Anonymous")
    if resident:
        return str(resident.get("displayName") or "")
    for person in people or ():
        if (person.get("name") or "").strip():
            return str(person["name"])
    return gettext("No account")


def complainant_postcode(home: dict[str, Any] | None, anonymous: bool, people: list[dict[str, Any]] | None) -> str:
    """The postcode a contact or complaint is about, for staff: the home's, else the one given by someone without an
    account (their ContactPerson) unless they asked to stay anonymous; empty when there is neither."""
    postcode = str((home or {}).get("postcode") or "")
    if postcode or anonymous:
        return postcode
    for person in people or ():
        if (person.get("postcode") or "").strip():
            return str(person["postcode"])
    return ""


def stage_text(number: int) -> str:
    return gettext(STAGE) % {"number": number}


def next_step_text(progress: Progress) -> str:
    return gettext(NEXT_STEPS[progress.step]) % {"ombudsman": progress.ombudsman}


def template_globals() -> dict[str, Any]:
    """The tables and helpers templates use to show case codes as words."""
    return {
        "case_labels": {
            "channels": CHANNELS,
            "kinds": KINDS,
            "contact_statuses": CONTACT_STATUSES,
            "complaint_statuses": COMPLAINT_STATUSES,
            "decisions": DECISIONS,
            "remedies": REMEDIES,
            "refusal_grounds": REFUSAL_GROUNDS,
            "determinations": DETERMINATIONS,
            "representatives": REPRESENTATIVES,
            "vulnerabilities": VULNERABILITIES,
            "message_kinds": MESSAGE_KINDS,
            "clock_kinds": CLOCK_KINDS,
            "note_kinds": NOTE_KINDS,
        },
        "case_label": label,
        "complainant_name": complainant_name,
        "complainant_postcode": complainant_postcode,
        "stage_text": stage_text,
    }
