"""The words for the lessons log's codes: statuses, source kinds and learning types, in the viewer's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

STATUSES = {
    "identified": _l("Identified"),
    "analysed": _l("Analysed"),
    "actions_agreed": _l("Actions agreed"),
    "in_progress": _l("In progress"),
    "measuring_impact": _l("Measuring impact"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
    "merged": _l("Merged"),
}
SOURCE_KINDS = {
    "complaint": _l("Complaint"),
    "contact": _l("Contact"),
    "ombudsman_determination": _l("Ombudsman determination"),
    "tsm_survey": _l("Tenant Satisfaction Measures survey"),
    "transactional_survey": _l("Transactional survey"),
    "operational_feedback": _l("Operational feedback"),
    "scrutiny_recommendation": _l("Scrutiny recommendation"),
    "speak_up": _l("Speak-up note"),
}
LEARNING_TYPES = {
    "systemic_issue": _l("Systemic issue"),
    "service_risk": _l("Service risk"),
    "service_improvement": _l("Service improvement"),
    "innovation": _l("Innovation"),
    "policy_revision": _l("Policy or procedure to revise"),
    "training_need": _l("Training need or knowledge gap"),
    "listening": _l("How residents feel listened to"),
}
# What the history says each change was, by the audit trail's action; others show the action's code.
HISTORY_ACTIONS = {
    "lesson.created": _l("Captured the lesson"),
    "lesson.updated": _l("Changed the lesson"),
    "lesson.status_set": _l("Moved the lesson to another step"),
    "lesson.cancelled": _l("Cancelled the lesson"),
    "lesson.merged": _l("Merged the lesson into another"),
    "lesson.archived": _l("Archived the lesson"),
    "lesson.source_added": _l("Added a source"),
    "lesson.source_removed": _l("Removed a source"),
    "lesson.cause_added": _l("Recorded a cause"),
    "lesson.cause_updated": _l("Changed a cause"),
    "lesson.cause_removed": _l("Removed a cause"),
    "lesson.theme_linked": _l("Linked a theme"),
    "lesson.theme_unlinked": _l("Unlinked a theme"),
}


def labels() -> dict[str, Any]:
    return {
        "statuses": STATUSES,
        "source_kinds": SOURCE_KINDS,
        "learning_types": LEARNING_TYPES,
        "history_actions": HISTORY_ACTIONS,
    }
