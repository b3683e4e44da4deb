"""Did a change make a difference? The impact survey, who is asked and when, how the answers are counted, and what
follows: "confirmed by residents", or "not fixed", which reopens the change's improvement actions.

- ``impact_survey()`` is the system's own survey (``Survey.system == "impact"``), made live on first need: its first
  question is "Did this change make a difference for you?" (yes, partly, no, don't know; required) and its second
  an optional free-text question. Staff may reword its title in the console like any survey; its questions cannot
  be removed (the survey is live from the start, and :func:`backend.surveys.services.remove_question` refuses the
  first question of a system survey in any case).
- ``sweep_impact()`` (every hour, ``tasks/cocreation_impact.py``) asks, ``impact_survey_weeks`` after a published
  change's ``implemented_at``, every affected resident once: the residents whose contacts are linked to it, and those
  who pressed follow. Someone who chose to stop following it is not asked. Each ask is an ``ImpactAsk`` and a
  pending ``SurveyInvitation`` due at once; the survey sweep sends it (or skips it under the per-person cap).
- ``count_impact_answer()`` runs inside the transaction that submits a response: it sets the ask's answer and moves
  the change's counters by one conditional UPDATE each, so a changed answer moves one count to another.
- ``evaluate_change()`` then decides: with at least ``MIN_ANSWERS`` answers, "yes" and "partly" at or above
  ``impact_confirm_percent`` confirm an implemented change; "no" at or above ``impact_not_fixed_percent`` marks it
  not fixed (once) and marks each linked action not addressed (see
  :func:`backend.lessons.actions.record_residents_not_addressed`).

"Don't know" counts in the base: a share is of everyone who answered, so "don't know" never inflates either figure.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from peewee import IntegrityError

from backend import config
from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.cocreation.models import (
    Change,
    ChangeAction,
    ChangeContact,
    ChangeFollow,
    ChangeStatus,
    ChangeUpdate,
    FollowSource,
    ImpactAsk,
)
from backend.complaints.models import Contact
from backend.context import SYSTEM
from backend.db import transaction
from backend.events.services import record_event
from backend.lessons.actions import record_residents_not_addressed
from backend.surveys.models import Survey, SurveyInvitation, SurveyQuestion
from backend.timeutil import local_date, utcnow
from backend.workdays import add_working_days

logger = logging.getLogger(__name__)

IMPACT_SURVEY = "impact"
ANSWERS = ("yes", "partly", "no", "dont_know")
#: Below this many answers no share is shown and nothing is decided.
MIN_ANSWERS = 5
#: A change is asked about for this long after its ask falls due; people who join later are not asked.
ASK_WINDOW = dt.timedelta(weeks=26)
#: The new due date of an action reopened because residents said the change did not fix it.
REOPEN_WORKING_DAYS = 20
BATCH = 500
COUNTERS = {
    "yes": Change.impact_yes,
    "partly": Change.impact_partly,
    "no": Change.impact_no,
    "dont_know": Change.impact_dont_know,
}

SURVEY_TITLE = {"en": "Did it make a difference?", "cy": "A wnaeth wahaniaeth?"}
SURVEY_DESCRIPTION = {
    "en": "We made a change because residents told us something was wrong. Tell us whether it helped you.",
    "cy": "Gwnaethom newid oherwydd i breswylwyr ddweud wrthym fod rhywbeth o'i le. Dywedwch wrthym a helpodd chi.",
}
FIRST_QUESTION = {"en": "Did this change make a difference for you?", "cy": "A wnaeth y newid hwn wahaniaeth i chi?"}
SECOND_QUESTION = {
    "en": "What difference did it make, or what is still not right?",
    "cy": "Pa wahaniaeth a wnaeth, neu beth sy'n dal ddim yn iawn?",
}


# --- The figure ----------------------------------------------------------------------------------------------------


def impact_figure(yes: int, partly: int, no: int, dont_know: int) -> tuple[int | None, int]:
    """The share (whole per cent) who said yes or partly, and how many answered; the share is None below
    ``MIN_ANSWERS`` answers, so a handful of answers never shows as a percentage."""
    answered = yes + partly + no + dont_know
    if answered < MIN_ANSWERS:
        return None, answered
    return (200 * (yes + partly) + answered) // (2 * answered), answered


@dataclass(frozen=True)
class ChangeImpact:
    """A change's impact as the public may see it."""

    reference: str
    answered: int
    share: int | None
    confirmed: bool
    not_fixed: bool


def change_impact(reference: str) -> ChangeImpact | None:
    """The impact figure of a published change by its reference; None when there is no such published change."""
    change = Change.get_or_none(Change.reference == reference, Change.published_at.is_null(False))
    if change is None:
        return None
    share, answered = impact_figure(change.impact_yes, change.impact_partly, change.impact_no, change.impact_dont_know)
    return ChangeImpact(
        reference=change.reference,
        answered=answered,
        share=share,
        confirmed=change.status == ChangeStatus.CONFIRMED,
        not_fixed=change.not_fixed_at is not None,
    )


@dataclass(frozen=True)
class ImpactRow:
    """One change's impact as staff see it: the answers by kind, how many were asked, and how many were skipped."""

    change_id: int
    reference: str
    title: dict[str, str]
    status: str
    published: bool
    implemented_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    not_fixed_at: dt.datetime | None
    yes: int
    partly: int
    no: int
    dont_know: int
    asked: int
    skipped: int
    share: int | None
    answered: int


def impact_rows(limit: int = 200) -> list[ImpactRow]:
    """Every implemented (or confirmed) change with its impact answers, most recently implemented first."""
    changes = list(
        Change.select()
        .where(Change.implemented_at.is_null(False))
        .order_by(Change.implemented_at.desc(), Change.id.desc())
        .limit(limit)
    )
    asked: dict[int, list[int]] = {change.id: [0, 0] for change in changes}
    for ask in ImpactAsk.select(ImpactAsk.change, ImpactAsk.skipped).where(ImpactAsk.change.in_(list(asked))):
        asked[ask.change_id][0] += 1  # type: ignore[attr-defined]
        asked[ask.change_id][1] += int(ask.skipped)  # type: ignore[attr-defined]
    rows = []
    for change in changes:
        counts = (change.impact_yes, change.impact_partly, change.impact_no, change.impact_dont_know)
        share, answered = impact_figure(*counts)
        rows.append(
            ImpactRow(
                change.id,
                change.reference,
                change.title or {},
                change.status,
                change.published_at is not None,
                change.implemented_at,
                change.confirmed_at,
                change.not_fixed_at,
                *counts,
                asked=asked[change.id][0],
                skipped=asked[change.id][1],
                share=share,
                answered=answered,
            )
        )
    return rows


# --- The survey ----------------------------------------------------------------------------------------------------


def impact_survey() -> Survey:
    """The impact survey, made (live, with its two questions) the first time it is needed."""
    survey = Survey.get_or_none(Survey.system == IMPACT_SURVEY)
    if survey is not None:
        return survey
    try:
        with transaction():
            survey = Survey.create(
                title=SURVEY_TITLE,
                description=SURVEY_DESCRIPTION,
                anonymous=False,
                status="live",
                system=IMPACT_SURVEY,
            )
            SurveyQuestion.create(survey=survey, position=1, kind="yes_partly_no", text=FIRST_QUESTION, required=True)
            SurveyQuestion.create(survey=survey, position=2, kind="text", text=SECOND_QUESTION)
            record_audit(SYSTEM, "survey.created", "survey", survey.id, {"system": {"before": None, "after": "impact"}})
    except IntegrityError:
        return Survey.get(Survey.system == IMPACT_SURVEY)  # made by a simultaneous run
    return survey


def questions_of_impact_survey() -> list[SurveyQuestion]:
    """The impact survey's questions in order; the first is "did this change make a difference for you?"."""
    return list(
        SurveyQuestion.select()
        .where(SurveyQuestion.survey == impact_survey())
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    )


def change_of_invitation(invitation_id: int) -> Change | None:
    """The change an impact invitation asks about, or None for any other invitation."""
    ask = ImpactAsk.get_or_none(ImpactAsk.invitation == invitation_id)
    return Change.get_or_none(Change.id == ask.change_id) if ask is not None else None  # type: ignore[attr-defined]


# --- Who is asked, and when ----------------------------------------------------------------------------------------


def affected_residents(change_id: int) -> list[int]:
    """The people to ask about a change: those whose contacts are linked to it and those who pressed follow, less
    anyone who chose to stop following it; active accounts only, each once, in id order."""
    linked = (
        Contact.select(Contact.resident)
        .join(ChangeContact, on=(ChangeContact.contact == Contact.id))
        .where(ChangeContact.change == change_id, Contact.resident.is_null(False))
    )
    pressed = ChangeFollow.select(ChangeFollow.user).where(
        ChangeFollow.change == change_id,
        ChangeFollow.following == True,  # noqa: E712
        ChangeFollow.source == FollowSource.PRESSED,
    )
    stopped = ChangeFollow.select(ChangeFollow.user).where(
        ChangeFollow.change == change_id,
        ChangeFollow.following == False,  # noqa: E712
    )
    users = (
        User.select(User.id)
        .where((User.id.in_(linked)) | (User.id.in_(pressed)), User.id.not_in(stopped), User.is_active == True)  # noqa: E712
        .order_by(User.id)
    )
    return [user.id for user in users]


def ask_about_change(change: Change, user_id: int, now: dt.datetime) -> ImpactAsk | None:
    """Ask one person about one change: an ``ImpactAsk`` and its invitation, due now; None if already asked."""
    survey = impact_survey()
    try:
        with transaction():
            invitation = SurveyInvitation.create(
                survey=survey, user=user_id, key=f"impact:{change.id}:{user_id}", due_at=now
            )
            ask = ImpactAsk.create(change=change, user=user_id, invitation=invitation)
            record_audit(
                SYSTEM,
                "impact_ask.created",
                "change",
                change.id,
                {
                    "impact_ask": {"before": None, "after": ask.id},
                    "survey_invitation": {"before": None, "after": invitation.id},
                },
            )
    except IntegrityError:
        return None  # asked already (by an earlier or a simultaneous sweep)
    return ask


def due_changes(now: dt.datetime) -> list[Change]:
    """The published, implemented changes whose ask has fallen due and not yet passed its window."""
    delay = dt.timedelta(weeks=config.current().impact_survey_weeks)
    return list(
        Change.select()
        .where(
            Change.published_at.is_null(False),
            Change.status.in_((ChangeStatus.IMPLEMENTED, ChangeStatus.CONFIRMED)),
            Change.implemented_at <= now - delay,
            Change.implemented_at > now - delay - ASK_WINDOW,
        )
        .order_by(Change.id)
        .limit(BATCH)
    )


def sweep_impact(now: dt.datetime | None = None) -> int:
    """Ask the affected residents of every change whose ask has fallen due, each person once per change.
    Safe to run twice, or by two workers at once. Returns how many were asked now."""
    now = now or utcnow()
    asked = 0
    for change in due_changes(now):
        already = {
            row.user_id  # type: ignore[attr-defined]
            for row in ImpactAsk.select(ImpactAsk.user).where(ImpactAsk.change == change.id)
        }
        for user_id in affected_residents(change.id):
            if user_id not in already and ask_about_change(change, user_id, now) is not None:
                asked += 1
    return asked


# --- Counting the answers ------------------------------------------------------------------------------------------


def _first_question(survey_id: int) -> SurveyQuestion | None:
    return (
        SurveyQuestion.select()
        .where(SurveyQuestion.survey == survey_id, SurveyQuestion.kind == "yes_partly_no")
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
        .first()
    )


def count_impact_answer(invitation: SurveyInvitation, answers: dict[int, object]) -> ImpactAsk | None:
    """Count a submitted answer to an impact invitation on its change; return the ask, or None when the invitation
    is not an impact ask or the answer is not one of ``ANSWERS``.

    Runs inside the caller's transaction (the one that submits the response). The ask's answer moves by a
    conditional UPDATE from the answer it had, and the change's counters move with it: answering again with another
    answer takes one from the old count and adds one to the new; the same answer again changes nothing.
    """
    ask = ImpactAsk.get_or_none(ImpactAsk.invitation == invitation.id)
    if ask is None:
        return None
    question = _first_question(invitation.survey_id)  # type: ignore[attr-defined]
    value = answers.get(question.id) if question is not None else None
    if value not in ANSWERS:
        return None
    now = utcnow()
    with transaction():
        for _ in range(3):
            old = ask.answer
            if old == value:
                return ask
            moved = (
                ImpactAsk.update(answer=value, answered_at=now, updated_at=now)
                .where(ImpactAsk.id == ask.id, ImpactAsk.answer.is_null() if old is None else ImpactAsk.answer == old)
                .execute()
            )
            if moved == 1:
                counts = {COUNTERS[str(value)]: COUNTERS[str(value)] + 1}
                if old in COUNTERS:
                    counts[COUNTERS[old]] = COUNTERS[old] - 1
                Change.update({**counts, Change.updated_at: now}).where(
                    Change.id == ask.change_id  # type: ignore[attr-defined]
                ).execute()
                record_audit(
                    SYSTEM,
                    "impact_ask.answered",
                    "change",
                    ask.change_id,  # type: ignore[attr-defined]
                    {"answer": {"before": old, "after": value}},
                )
                break
            ask = ImpactAsk.get_by_id(ask.id)  # answered at the same moment from another tab: count from there
        evaluate_change(ask.change_id)  # type: ignore[attr-defined]
    return ImpactAsk.get_by_id(ask.id)


# --- What the answers decide ---------------------------------------------------------------------------------------


def evaluate_change(change_id: int) -> list[str]:
    """Confirm the change or mark it not fixed if its answers now say so; return what was done ("confirmed",
    "not_fixed"). Each happens once: conditional UPDATEs on the status and on ``not_fixed_at``."""
    change = Change.get_or_none(Change.id == change_id)
    if change is None:
        return []
    counts = (change.impact_yes, change.impact_partly, change.impact_no, change.impact_dont_know)
    answered = sum(counts)
    if answered < MIN_ANSWERS:
        return []
    settings = config.current()
    done = []
    with transaction():
        helped = change.impact_yes + change.impact_partly
        if change.status == ChangeStatus.IMPLEMENTED and 100 * helped >= settings.impact_confirm_percent * answered:
            if _confirm(change, helped, answered):
                done.append("confirmed")
        if change.not_fixed_at is None and 100 * change.impact_no >= settings.impact_not_fixed_percent * answered:
            if _mark_not_fixed(change, change.impact_no, answered):
                done.append("not_fixed")
    return done


def _confirm(change: Change, helped: int, answered: int) -> bool:
    now = utcnow()
    moved = (
        Change.update(status=ChangeStatus.CONFIRMED, confirmed_at=now, percent=100, updated_at=now)
        .where(Change.id == change.id, Change.status == ChangeStatus.IMPLEMENTED)
        .execute()
    )
    if moved != 1:
        return False
    update = ChangeUpdate.create(change=change.id, kind="status", status=ChangeStatus.CONFIRMED, percent=100)
    record_audit(
        SYSTEM,
        "change.confirmed",
        "change",
        change.id,
        {
            "status": {"before": ChangeStatus.IMPLEMENTED, "after": ChangeStatus.CONFIRMED},
            "answers": {"before": None, "after": f"{helped} of {answered}"},
        },
    )
    record_event("cocreation.change_moved", {"change_id": change.id, "update_id": update.id})
    return True


def _mark_not_fixed(change: Change, said_no: int, answered: int) -> bool:
    now = utcnow()
    moved = (
        Change.update(not_fixed_at=now, updated_at=now)
        .where(Change.id == change.id, Change.not_fixed_at.is_null())
        .execute()
    )
    if moved != 1:
        return False
    note = f"Residents said the change did not fix it: {said_no} of {answered} answered no"
    record_audit(SYSTEM, "change.not_fixed", "change", change.id, {"not_fixed_at": {"before": None, "after": str(now)}})
    due_on = add_working_days(local_date(), REOPEN_WORKING_DAYS, "england")
    for link in ChangeAction.select().where(ChangeAction.change == change.id).order_by(ChangeAction.id):
        record_residents_not_addressed(link.action_id, note, due_on)  # type: ignore[attr-defined]
    return True
