"""Where a complaint is: its stage, what happens next, and by when, in words for the resident.

Whether the resident can take the complaint further is the step table's answer
(:mod:`backend.complaints.steps`), so what they are told and the buttons they see always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from backend.complaints.clocks import running_clock
from backend.complaints.models import Complaint, Regime
from backend.complaints.steps import resident_steps
from backend.i18n import N_, translations

STAGE = N_("stage %(number)s")
# The ombudsmen the seeded regimes name, so that a reader sees the body's own name in their language where it has
# one (Ombwdsmon Gwasanaethau Cyhoeddus Cymru). A name an admin typed is shown as typed.
OMBUDSMEN = frozenset(
    {
        N_("Housing Ombudsman"),
        N_("Scottish Public Services Ombudsman"),
        N_("Public Services Ombudsman for Wales"),
        N_("Northern Ireland Public Services Ombudsman"),
    }
)


def ombudsman_name(name: str, gettext: Callable[[str], str]) -> str:
    """The ombudsman's name in the reader's language, where the catalogue has it."""
    return gettext(name) if name in OMBUDSMEN else name


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
    """Where a stored complaint is (see :func:`progress_for`)."""
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    return progress_for(
        status=complaint.status,
        stage=complaint.stage,
        resident_steps=resident_steps(complaint),
        next_due_on=complaint.next_due_on,
        acknowledgement_running=running_clock(complaint, "acknowledge") is not None,
        referred=complaint.ombudsman_referred_at is not None,
        determined=complaint.ombudsman_determination is not None,
        ombudsman=regime.ombudsman_name,
    )


def progress_for(
    *,
    status: str,
    stage: int,
    resident_steps: Collection[str],
    next_due_on: dt.date | None,
    acknowledgement_running: bool,
    referred: bool,
    determined: bool,
    ombudsman: str,
) -> Progress:
    """The stage, the next step's code (a key of NEXT_STEPS) and its due date, if anything is waiting on us.

    ``resident_steps`` are the steps the table opens to the resident now: while escalation is one of them,
    the next step is theirs to ask for, whether or not staff have closed the stage.
    """
    if referred and not determined:
        step = "referred"
    elif status == "received":
        step = "acknowledge" if acknowledgement_running else "respond"
    elif status == "open":
        step = "respond"
    elif "escalate" in resident_steps:
        step = "escalate"
    elif status in ("responded", "closed"):
        step = "ombudsman"
    else:
        step = status
    due = next_due_on if step in ("acknowledge", "respond") else None
    return Progress(stage, step, due, ombudsman)


def describe(progress: Progress, locale: str) -> tuple[str, str]:
    """The stage and the next step, in the reader's language."""
    gettext = translations(locale).gettext
    stage = gettext(STAGE) % {"number": progress.stage}
    next_step = gettext(NEXT_STEPS[progress.step]) % {"ombudsman": ombudsman_name(progress.ombudsman, gettext)}
    return stage, next_step
