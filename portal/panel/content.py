"""A pack item's frozen content as a page shows it: labelled sections, lists and tables, never raw JSON.

The content is already redacted (a case, a lesson) or figures (a survey, a snapshot); this only lays it out. Keys
the pages know get a translated label; any other key is shown as words made from its name.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.complaints import labels as case_labels
from portal.console.complaints import forms as complaint_forms
from portal.console.complaints import updates as update_labels
from portal.console.lessons import actions as lesson_actions
from portal.console.lessons import labels as lesson_labels

LABELS: dict[str, Any] = {
    "title": _l("Title"),
    "status": _l("Status"),
    "identifiedOn": _l("Identified on"),
    "whatHappened": _l("What happened"),
    "laterFindings": _l("What was found later"),
    "actionsTaken": _l("Actions already taken"),
    "impact": _l("Impact (1 least to 5 most)"),
    "business": _l("On the business"),
    "residents": _l("On residents"),
    "rootCauses": _l("Root causes"),
    "cause": _l("Cause"),
    "contributing": _l("A contributing factor"),
    "detail": _l("How"),
    "actions": _l("Actions"),
    "description": _l("Description"),
    "measure": _l("How it is measured"),
    "target": _l("Target"),
    "dueOn": _l("Due on"),
    "completedOn": _l("Done on"),
    "effect": _l("Effect"),
    "summary": _l("Summary"),
    "outcomesSought": _l("Outcomes sought"),
    "messages": _l("Messages"),
    "responses": _l("Responses"),
    "reasons": _l("Reasons"),
    "nextSteps": _l("Next steps"),
    "points": _l("Points"),
    "decision": _l("Decision"),
    "remedies": _l("Remedies"),
    "stage": _l("Stage"),
    "stages": _l("Stages"),
    "outcome": _l("Outcome"),
    "text": _l("Text"),
    "serviceArea": _l("Service area"),
    "category": _l("Category"),
    # A redacted case (backend.complaints.case_view).
    "label": _l("Case"),
    "nation": _l("Nation"),
    "regime": _l("Complaints procedure"),
    "service_area": _l("Service area"),
    "channel": _l("How it came in"),
    "kind": _l("Kind"),
    "kind_reason": _l("Why it is this kind"),
    "represented": _l("Made by a representative"),
    "representative_kind": _l("Kind of representative"),
    "stages_reached": _l("Stages reached"),
    "received_on": _l("Received on"),
    "opened_on": _l("Opened on"),
    "closed_on": _l("Closed on"),
    "extended": _l("Extended"),
    "contractor_named": _l("A contractor was named"),
    "outcomes_sought": _l("Outcomes sought"),
    "outcome_sought": _l("Outcome sought"),
    "mediation_offered_on": _l("Mediation offered on"),
    "mediation_note": _l("How mediation was offered"),
    "refusal_ground": _l("Ground for not taking it forward"),
    "refusal_reasons": _l("Why it was not taken forward"),
    "refused_on": _l("Not taken forward on"),
    "withdrawn_on": _l("Withdrawn on"),
    "withdrawal_reason": _l("Why it was withdrawn"),
    "underlying_cause": _l("Underlying cause"),
    "remedial_action": _l("What is done so it does not happen again"),
    "ombudsman_referred_on": _l("Referred to the Ombudsman on"),
    "ombudsman_determination": _l("The Ombudsman's finding"),
    "ombudsman_orders": _l("The Ombudsman's orders"),
    "orders": _l("The Ombudsman's orders"),
    "updates": _l("Updates agreed"),
    "further_contacts": _l("Further contacts"),
    "position": _l("Number"),
    "landlord_responsible": _l("The landlord's responsibility"),
    "signposted_to": _l("Signposted to"),
    "decisions": _l("Decisions"),
    "issued_on": _l("Issued on"),
    "signed_off": _l("Signed off by a manager"),
    "next_steps": _l("Next steps"),
    "amount": _l("Amount"),
    "due_on": _l("Due on"),
    "completed_on": _l("Done on"),
    "evidence": _l("Evidence"),
    "complied_on": _l("Complied with on"),
    "every_days": _l("Every how many days"),
    "method": _l("How"),
    "agreed_on": _l("Agreed on"),
    "note": _l("Note"),
    "written_on": _l("Written on"),
    "direction": _l("Direction"),
    "body": _l("Words"),
    "merge_reason": _l("Why it was joined to the case"),
}
_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def label(key: str) -> Any:
    """The key's label: a known one, translated, or the key's own words ("nextSteps" -> "Next steps")."""
    if key in LABELS:
        return LABELS[key]
    words = _WORDS.sub(" ", key).replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


def readable(value: Any) -> Any:
    """``value`` as nested sections (label and value pairs), lists and plain text."""
    if isinstance(value, dict):
        return {"pairs": [(label(str(key)), readable(item)) for key, item in value.items()]}
    if isinstance(value, list):
        return {"entries": [readable(item) for item in value]}
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    return str(value)


# --- Words for the codes a redacted case or lesson holds -----------------------------------------------------------

NATIONS = {choice.value: choice.label for choice in complaint_forms.NATIONS}
# The complaints procedures by their fixed codes (backend.complaints.models.Regime.code).
REGIMES = {
    "hoc": _l("The Housing Ombudsman's Complaint Handling Code"),
    "spso": _l("The Scottish Public Services Ombudsman's model complaints handling procedure"),
    "psow": _l("The Public Services Ombudsman for Wales's model concerns and complaints policy"),
    "nipso": _l("The Northern Ireland Public Services Ombudsman's model complaints handling procedure"),
}
ENTRY_ROUTES = {
    "direct": _l("Opened straight at this stage"),
    "escalated": _l("Escalated from the stage before"),
}
DIRECTIONS = {
    "to_resident": _l("From the landlord to the resident"),
    "from_resident": _l("From the resident"),
}


def words() -> dict[str, Any]:
    """The tables the item templates use to write a redacted case's or lesson's codes as words."""
    return {
        "nations": NATIONS,
        "regimes": REGIMES,
        "channels": case_labels.CHANNELS,
        "kinds": case_labels.KINDS,
        "statuses": case_labels.COMPLAINT_STATUSES,
        "decisions": case_labels.DECISIONS,
        "remedies": case_labels.REMEDIES,
        "refusal_grounds": case_labels.REFUSAL_GROUNDS,
        "determinations": case_labels.DETERMINATIONS,
        "representatives": case_labels.REPRESENTATIVES,
        "message_kinds": case_labels.MESSAGE_KINDS,
        "entry_routes": ENTRY_ROUTES,
        "directions": DIRECTIONS,
        "methods": update_labels.METHODS,
        "lesson_statuses": lesson_labels.STATUSES,
        "action_statuses": lesson_actions.STATUSES,
        "effects": lesson_actions.EFFECTS,
        "say": word,
        "column": column_label,
        "cell": cell_text,
    }


def word(table: dict[str, Any], code: Any) -> str:
    """The words for ``code`` in ``table``; a code not there yet becomes words made from it, never snake_case."""
    if code is None or code == "":
        return ""
    if code in table:
        return str(table[code])
    return str(label(str(code)))


_CODE = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def column_label(column: str) -> str:
    """A saved report's column path as words: "serviceArea.name" -> "Service area: Name"."""
    return ": ".join(str(label(part)) for part in column.split(".") if part) or column


def cell_text(value: Any) -> str:
    """A figure's cell as words: a day or moment written in full, a code (``partly_upheld``) in words; numbers and
    other text as they are."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if not isinstance(value, str):
        return str(value)
    filters = current_app.jinja_env.filters
    if _DAY.fullmatch(value):
        return str(filters["date_text"](value))
    if _MOMENT.match(value):
        return str(filters["datetime_text"](value))
    if _CODE.fullmatch(value):
        for table in (
            case_labels.DECISIONS,
            case_labels.COMPLAINT_STATUSES,
            case_labels.CHANNELS,
            case_labels.KINDS,
            case_labels.REMEDIES,
            NATIONS,
            lesson_labels.STATUSES,
        ):
            if value in table:
                return str(table[value])
        return str(label(value))
    return value
