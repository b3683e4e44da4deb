"""A pack item's frozen content as a page shows it: labelled sections, lists and tables, never raw JSON.

The content is already redacted (a case, a lesson) or figures (a survey, a snapshot); this only lays it out. Keys
the pages know get a translated label; any other key is shown as words made from its name.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

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
