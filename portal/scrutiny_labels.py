"""The words pages use for the codes of lesson review, findings and responses, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Said on every staff form whose words members or the public read (``backend.panels.redaction``).
REDACTED_HINT = _l("Names and contact details are taken out as it is saved.")

DECISIONS = {
    "accepted": _l("Accepted"),
    "partly_accepted": _l("Partly accepted"),
    "not_accepted": _l("Not accepted"),
}
#: Where an action is, in words for the panel and the public.
PROGRESS = {
    "proposed": _l("Planned"),
    "authorised": _l("Agreed"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "signed_off": _l("Done and checked"),
    "verified": _l("Done, and its effect checked"),
    "cancelled": _l("Cancelled"),
}
RATINGS = {
    "addresses": _l("The actions address the root cause"),
    "partly": _l("The actions partly address the root cause"),
    "does_not": _l("The actions do not address the root cause"),
    "cannot_say": _l("Cannot say from the evidence"),
}
SATISFACTION = {"satisfied": _l("Satisfied"), "partly": _l("Partly satisfied"), "not_satisfied": _l("Not satisfied")}
COMMENT_STATUS = {"open": _l("Waiting for the panel"), "accepted": _l("Accepted"), "rejected": _l("Rejected")}
CHANNELS = {
    "workspace": _l("In the workspace"),
    "paper": _l("On paper, entered by staff"),
    "phone": _l("By phone, entered by staff"),
    "meeting": _l("At a meeting, entered by staff"),
}
SIGN_OFF = {
    "chair": _l("Signed off by the chair"),
    "chair_or_vice": _l("Signed off by the chair or vice-chair"),
    "quorum": _l("Signed off by a recorded quorum"),
}
BODIES = {
    "executive": _l("An executive director"),
    "committee": _l("A committee of the board"),
    "board": _l("The board"),
}


def labels() -> dict[str, dict[str, str]]:
    """Every table, for templates: ``labels.decisions[code]``."""
    return {
        "decisions": DECISIONS,
        "progress": PROGRESS,
        "ratings": RATINGS,
        "satisfaction": SATISFACTION,
        "comment_status": COMMENT_STATUS,
        "channels": CHANNELS,
        "sign_off": SIGN_OFF,
        "bodies": BODIES,
    }
