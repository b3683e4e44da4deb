"""The words for the lessons log's codes: statuses, source kinds, learning types and the fields its history
names, in the viewer's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
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
# What the history says each change was, by the audit trail's action: every action the lesson's services record on
# a lesson or on one of its actions (tests/test_lessons_history_labels.py checks the list is whole); an action not
# here yet shows in words made from its code (``history_action``).
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
    "lesson.status_followed_actions": _l("Moved the lesson to the step its actions reached"),
    "lesson.deleted": _l("Deleted the lesson"),
    "improvement_action.proposed": _l("Proposed an action"),
    "improvement_action.updated": _l("Changed an action"),
    "improvement_action.authorised": _l("Authorised an action"),
    "improvement_action.started": _l("Started work on an action"),
    "improvement_action.evidence_added": _l("Added evidence to an action"),
    "improvement_action.completed": _l("Recorded an action as done"),
    "improvement_action.signed_off": _l("Signed off an action"),
    "improvement_action.verified": _l("Verified an action's effect"),
    "improvement_action.reopened": _l("Reopened an action after verifying it"),
    "improvement_action.not_addressed_by_residents": _l("Marked not addressed: residents said it did not work"),
    "improvement_action.reopened_by_residents": _l("Reopened an action: residents said it did not work"),
    "improvement_action.due_date_changed": _l("Changed an action's due date"),
    "improvement_action.cancelled": _l("Cancelled an action"),
    "improvement_action.complainants_told": _l("Told the residents who complained what changed"),
}


def history_action(code: str) -> str:
    """What a history entry's action was, in words in the viewer's language; an action with no words yet (one
    added later) is told from its code, as a change to the lesson or to an action."""
    label = HISTORY_ACTIONS.get(code)
    if label is not None:
        return str(label)
    entity, _dot, step = code.partition(".")
    words = (step or entity).replace("_", " ").replace(".", " ")
    if entity == "improvement_action":
        return _("Changed an action (%(change)s)", change=words)
    if entity == "lesson":
        return _("Changed the lesson (%(change)s)", change=words)
    return code.replace("_", " ").replace(".", ": ")


# What the history calls each field a change touched (the audit trail's field names), for a lesson and its actions.
HISTORY_FIELDS = {
    "title": _l("title"),
    "reference": _l("reference"),
    "status": _l("step"),
    "early_lesson": _l("the lesson as first seen"),
    "event_summary": _l("the event as a whole"),
    "actions_taken": _l("actions already taken"),
    "later_findings": _l("what was found later"),
    "business_impact": _l("impact on the business"),
    "resident_impact": _l("impact on residents"),
    "referred_to_hr": _l("referred to HR"),
    "team": _l("team"),
    "service_area_id": _l("service area"),
    "owner_id": _l("owner"),
    "champion_id": _l("champion"),
    "learning_types": _l("kinds of learning"),
    "sources": _l("sources"),
    "source": _l("a source"),
    "cause": _l("a cause"),
    "cause_id": _l("the cause it addresses"),
    "root_cause_id": _l("the cause from the list"),
    "root_cause": _l("the cause from the list"),
    "contributing": _l("root cause or contributing factor"),
    "detail": _l("how it caused or contributed"),
    "end_reason": _l("reason"),
    "merged_into_id": _l("the lesson merged into"),
    "merged_into_reference": _l("the lesson merged into"),
    "archived_at": _l("archived"),
    "theme_id": _l("theme"),
    "theme": _l("theme's name"),
    "lesson_id": _l("lesson"),
    "description": _l("description"),
    "measure": _l("measure"),
    "baseline": _l("baseline"),
    "target": _l("target"),
    "action_type": _l("kind of change"),
    "programme_id": _l("programme"),
    "due_on": _l("due date"),
    "first_due_on": _l("first due date"),
    "authorised_by_id": _l("authorised by"),
    "started_at": _l("started"),
    "completed_by_id": _l("completed by"),
    "evidence": _l("evidence"),
    "signed_off_by_id": _l("signed off by"),
    "verified_by_id": _l("verified by"),
    "effect": _l("effect"),
    "effect_note": _l("note on the effect"),
    "follows_id": _l("the action it follows"),
    "cancel_reason": _l("reason for cancelling"),
    "reason": _l("reason"),
}


# Values that say a field holds nothing.
EMPTY: tuple[Any, ...] = (None, "", [], {})


def changed_fields(changes: dict[str, Any]) -> str:
    """The fields a history entry changed, in words, in the viewer's language: each once, in the order of their
    names; fields only named to find the entry (the same before and after) and fields left empty (empty before
    and after, such as those not given on a new action) are left out; a field with no words yet shows as its name
    with spaces."""
    shown: list[str] = []
    for name in sorted(changes):
        change = changes[name]
        if isinstance(change, dict) and "before" in change and change.get("before") == change.get("after"):
            continue
        if isinstance(change, dict) and change.get("before") in EMPTY and change.get("after") in EMPTY:
            continue  # an empty field on a new record, say: nothing was given
        label = str(HISTORY_FIELDS.get(name, name.replace("_", " ")))
        if label not in shown:
            shown.append(label)
    return ", ".join(shown)


def labels() -> dict[str, Any]:
    return {
        "statuses": STATUSES,
        "source_kinds": SOURCE_KINDS,
        "learning_types": LEARNING_TYPES,
        "history_actions": HISTORY_ACTIONS,
        "history_action": history_action,
        "changed_fields": changed_fields,
    }
