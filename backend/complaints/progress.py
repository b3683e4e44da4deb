"""Where a complaint is: its stage, what happens next, and by when, in words for the resident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.complaints.models import Complaint, Regime
from backend.i18n import N_, translations

STAGE = N_("stage %(number)s")
NEXT_STEPS = {
    "acknowledge": N_("we will confirm that we have your complaint and what it is about."),
    "respond": N_("we are looking into your complaint and will send you our answer."),
    "escalate": N_(
        "we have sent our answer. If you are not happy with it, you can ask us to look at your complaint again "
        "at the next stage. You do not need to give a reason."
    ),
    "ombudsman": N_(
        "we have sent our final answer. If you are not happy with it, you can ask the %(ombudsman)s to look at it."
    ),
    "refused": N_("we cannot take this complaint forward. You can ask the %(ombudsman)s to look at it."),
    "withdrawn": N_("you withdrew this complaint, so we have stopped work on it."),
    "referred": N_("the %(ombudsman)s is looking at your complaint."),
}


@dataclass(frozen=True)
class Progress:
    stage: int
    step: str
    due_on: dt.date | None
    ombudsman: str


def progress_of(complaint: Complaint) -> Progress:
    """The stage, the next step's code (a key of NEXT_STEPS) and its due date, if anything is waiting on us."""
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    if complaint.ombudsman_referred_at is not None and complaint.ombudsman_determination is None:
        step = "referred"
    elif complaint.status == "received":
        step = "acknowledge" if complaint.next_due_on and _acknowledgement_due(complaint) else "respond"
    elif complaint.status == "open":
        step = "respond"
    elif complaint.status in ("responded", "closed"):
        step = "escalate" if complaint.stage < regime.max_stages and complaint.status == "responded" else "ombudsman"
    else:
        step = complaint.status
    due = complaint.next_due_on if step in ("acknowledge", "respond") else None
    return Progress(complaint.stage, step, due, regime.ombudsman_name)


def _acknowledgement_due(complaint: Complaint) -> bool:
    from backend.complaints.clocks import running_clock

    return running_clock(complaint, "acknowledge") is not None


def describe(progress: Progress, locale: str) -> tuple[str, str]:
    """The stage and the next step, in the reader's language."""
    gettext = translations(locale).gettext
    stage = gettext(STAGE) % {"number": progress.stage}
    next_step = gettext(NEXT_STEPS[progress.step]) % {"ombudsman": progress.ombudsman}
    return stage, next_step
