"""What each complaint message carries after its summary, written by the system so it can't be left out.

- acknowledgement: the complaint as understood, each point and the outcome sought (Code 5.6);
- extension: the reason, the new date and the Ombudsman's details (Code 6.4-6.5);
- response: the stage, the decision on each point with its reasons, remedies and outstanding actions with
  their dates, and how to escalate, or at the final stage the Ombudsman's details (Code 6.9, 6.19);
- refusal: the reasons and the right to go to the Ombudsman, with its details (Code 2.4);
- update: the update itself.

Every message ends with the "where you are" block. A text message carries only that block and a pointer
to the full message, which is also sent in writing (see :mod:`backend.notifications.written`). Text
staff wrote is sent as written, with an offer of an interpreter when it is not in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from backend.accounts.models import User
from backend.complaints.models import (
    CaseMessage,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    OutstandingAction,
    PointDecision,
    PointScope,
    Regime,
    Remedy,
)
from backend.complaints.progress import STAGE, describe, ombudsman_name, progress_of
from backend.config import current, formatting_locale
from backend.i18n import N_, locale_for, translations
from backend.notifications.blocks import Block, Section, Table
from backend.notifications.catalogue import Recipient
from backend.notifications.templates import where_you_are
from backend.notifications.written import WRITTEN_EVENTS, written_channel
from backend.text import is_blank

# The heading of the block every complaint message ends with (its wording is the "block.where_you_are" event's).
WHERE_YOU_ARE_HEADING = N_("Where your complaint is")
DECISIONS = {
    "upheld": N_("Upheld"),
    "partly_upheld": N_("Partly upheld"),
    "not_upheld": N_("Not upheld"),
    "resolved": N_("Resolved"),
}
REMEDIES = {
    "apology": N_("An apology"),
    "acknowledgement": N_("Acknowledging what went wrong"),
    "explanation": N_("An explanation"),
    "action_on_delay": N_("Putting right a delay"),
    "reconsider_decision": N_("Reconsidering a decision"),
    "amend_record": N_("Correcting a record"),
    "financial_redress": N_("Financial redress"),
    "policy_change": N_("Changing a policy or practice"),
}
# Every ground in models.REFUSAL_GROUNDS, as the resident reads it (staff read portal/case_labels.py); a
# test keeps both lists in step with every procedure's grounds.
GROUNDS = {
    "over_twelve_months": N_("The issue arose more than 12 months ago"),
    "over_six_months": N_(
        "You complained more than 6 months after you first knew of the issue, and there are no special circumstances"
    ),
    "legal_proceedings": N_("Legal proceedings have started"),
    "already_considered": N_("The matter was already considered through the complaints procedure"),
}
POINT, OUTCOME, DECISION, REASONS = N_("Point"), N_("Outcome sought"), N_("Decision"), N_("Reasons")
WHAT, BY_WHEN = N_("What"), N_("By when")
INTERPRETER = N_("If you would like this in %(language)s, tell us and we will arrange an interpreter.")
FINAL_ANSWER = N_(
    "If you are not happy with our final answer, you can ask the %(ombudsman)s to look at your complaint."
)
# Where a text message says the full message went (see backend.notifications.written).
POINTERS = {
    "email": N_("We have also sent you the full message by email."),
    "letter": N_("We have also sent you the full message by post."),
    "portal": N_("You can read the full message in your messages on our website."),
}
# When no channel can carry the written copy: it waits, flagged, for staff to find an address.
NO_WRITTEN_COPY = N_(
    "We need an email or postal address to send you the full message in writing. We will contact you to ask for it."
)

Gettext = Callable[[str], str]


class _Writer:
    """Blocks for one reader: their language, dates written their way, and the interpreter offer."""

    def __init__(self, recipient: Recipient, complaint: Complaint):
        self.recipient = recipient
        self.locale = recipient.locale
        self.gettext: Gettext = translations(self.locale).gettext
        self.complaint = complaint
        self.regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
        self.stage = int(recipient.payload.get("stage") or complaint.stage)
        self.authors: set[int | None] = set()

    def date(self, day: dt.date | None) -> str:
        return format_date(day, format="long", locale=formatting_locale(self.locale)) if day else ""

    def own_words(self, heading: str, text: str | None, author: int | None) -> list[Block]:
        """Text a member of staff wrote, sent as they wrote it."""
        if is_blank(text):
            return []
        self.authors.add(author)
        return [Section(heading, (str(text).strip(),), own_words=True)]

    def ombudsman(self, lead: str) -> Section:
        regime = self.regime
        name = ombudsman_name(regime.ombudsman_name, self.gettext)
        return Section(
            self.gettext(N_("The %(ombudsman)s")) % {"ombudsman": name},
            (self.gettext(lead) % {"ombudsman": name}, regime.ombudsman_details),
        )

    def interpreter_offer(self) -> list[Block]:
        """The offer of an interpreter when any staff-written text is in another language than the reader's."""
        default = current().default_locale
        languages = {_author_locale(author, default) for author in self.authors}
        if not languages or languages == {self.locale}:
            return []
        return [Section("", (self.gettext(INTERPRETER) % {"language": language_name(self.locale)},))]


def language_name(locale: str) -> str:
    """The language's own name for itself (Cymraeg, العربية), as a reader of it would write it."""
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (ValueError, UnknownLocaleError):
        return locale


def _author_locale(user_id: int | None, default: str) -> str:
    user = User.get_or_none(User.id == user_id) if user_id is not None else None
    return locale_for(user.locale) if user is not None else default


def _message_author(complaint: Complaint, kind: str, stage: int) -> int | None:
    message = (
        CaseMessage.select(CaseMessage.created_by)
        .where(CaseMessage.complaint == complaint.id, CaseMessage.kind == kind, CaseMessage.stage == stage)
        .order_by(CaseMessage.id.desc())
        .first()
    )
    return message.created_by_id if message is not None else None  # type: ignore[attr-defined]


def complaint_details(recipient: Recipient) -> list[Block]:
    """The blocks for one complaint message to one reader; none when the complaint is gone."""
    complaint = Complaint.get_or_none(Complaint.id == recipient.payload.get("complaint_id"))
    if complaint is None:
        return []
    writer = _Writer(recipient, complaint)
    where = _where_you_are(writer)
    if recipient.channel == "sms":
        pointer = []
        if recipient.event in WRITTEN_EVENTS:
            channel = written_channel(recipient.reader)
            line = POINTERS[channel] if channel is not None else NO_WRITTEN_COPY
            pointer = [Section("", (writer.gettext(line),))]
        return [Section("", where.paragraphs), *pointer]
    build = BUILDERS.get(recipient.event)
    blocks = build(writer) if build is not None else []
    return [*blocks, *writer.interpreter_offer(), where]


def _where_you_are(writer: _Writer) -> Section:
    progress = progress_of(writer.complaint)
    stage, next_step = describe(progress, writer.locale)
    text = where_you_are(writer.locale, stage, next_step, progress.due_on)
    return Section(writer.gettext(WHERE_YOU_ARE_HEADING), tuple(p for p in text.split("\n\n") if p))


def _points(writer: _Writer) -> list[ComplaintPoint]:
    return list(
        ComplaintPoint.select()
        .where(ComplaintPoint.complaint == writer.complaint.id, ComplaintPoint.stage == writer.stage)
        .order_by(ComplaintPoint.position)
    )


def _acknowledged(writer: _Writer) -> list[Block]:
    complaint, gettext = writer.complaint, writer.gettext
    author = _message_author(complaint, "acknowledgement", writer.stage)
    points = _points(writer)
    if points:
        writer.authors.add(author)
    return [
        *writer.own_words(gettext(N_("Your complaint as we understand it")), complaint.summary, author),
        Table(
            gettext(N_("The points of your complaint")),
            (gettext(POINT), gettext(OUTCOME)),
            tuple((point.text, point.outcome_sought) for point in points),
        ),
        *writer.own_words(gettext(N_("What you would like us to do")), complaint.outcomes_sought, author),
    ]


def _extended(writer: _Writer) -> list[Block]:
    gettext = writer.gettext
    stage = ComplaintStage.get_or_none(
        ComplaintStage.complaint == writer.complaint.id, ComplaintStage.number == writer.stage
    )
    due = writer.recipient.payload.get("due_on")
    new_date = writer.date(dt.date.fromisoformat(due)) if due else ""
    author = _message_author(writer.complaint, "extension", writer.stage)
    return [
        *writer.own_words(gettext(N_("Why we need more time")), stage.extension_reason if stage else "", author),
        Section(gettext(N_("Our new date")), (gettext(N_("We will now reply by %(date)s.")) % {"date": new_date},)),
        writer.ombudsman(N_("If you are unhappy about this, you can contact the %(ombudsman)s at any time.")),
    ]


def _responded(writer: _Writer) -> list[Block]:
    complaint, gettext = writer.complaint, writer.gettext
    response = ComplaintResponse.get_or_none(
        ComplaintResponse.complaint == complaint.id, ComplaintResponse.stage == writer.stage
    )
    if response is None:
        return []
    author = response.issued_by_id  # type: ignore[attr-defined]
    final = writer.stage >= writer.regime.max_stages
    stage_name = gettext(STAGE) % {"number": writer.stage}
    stage_line = gettext(N_("This is our answer at %(stage)s of our complaints procedure.")) % {"stage": stage_name}
    if final:
        stage_line += " " + gettext(N_("It is our final answer."))
    decisions = list(
        PointDecision.select(PointDecision, ComplaintPoint)
        .join(ComplaintPoint)
        .where(PointDecision.response == response.id)
        .order_by(ComplaintPoint.position)
    )
    if decisions:
        writer.authors.add(author)
    blocks: list[Block] = [
        Section(gettext(N_("Stage")), (stage_line,)),
        Table(
            gettext(N_("Our decision on each point")),
            (gettext(POINT), gettext(DECISION), gettext(REASONS)),
            tuple((d.point.text, gettext(DECISIONS.get(d.decision, d.decision)), d.reasons) for d in decisions),
        ),
        *_not_ours(writer, [d.point for d in decisions]),
        *writer.own_words(gettext(N_("Our reasons")), response.reasons, author),
        Table(
            gettext(N_("What we will do to put things right")),
            (gettext(WHAT), gettext(BY_WHEN)),
            tuple((_remedy_text(writer, remedy), writer.date(remedy.due_on)) for remedy in _remedies(response)),
        ),
        Table(
            gettext(N_("What we still have to do")),
            (gettext(WHAT), gettext(BY_WHEN)),
            tuple((action.description, writer.date(action.due_on)) for action in _actions(response)),
        ),
    ]
    if final:
        blocks.append(writer.ombudsman(FINAL_ANSWER))
    else:
        blocks.append(
            Section(
                gettext(N_("If you are not happy with our answer")),
                (
                    gettext(
                        N_(
                            "You can ask us to look at your complaint again at %(stage)s. You do not need to give a "
                            "reason. Tell us on our website, by phone, by email or in writing, quoting %(reference)s."
                        )
                    )
                    % {"stage": gettext(STAGE) % {"number": writer.stage + 1}, "reference": complaint.reference},
                ),
            )
        )
    blocks += writer.own_words(gettext(N_("What happens now")), response.next_steps, author)
    return blocks


def _not_ours(writer: _Writer, points: list[ComplaintPoint]) -> list[Block]:
    """Code 5.7: the points that are not ours to put right, and where we have signposted the resident."""
    rows = tuple(
        (point.text, scope.signposted_to)
        for point in points
        if (scope := PointScope.get_or_none(PointScope.point == point.id)) is not None
        and not scope.landlord_responsible
    )
    if not rows:
        return []
    gettext = writer.gettext
    return [
        Table(
            gettext(N_("What is not ours to put right")),
            (gettext(POINT), gettext(N_("Who can help, and how to reach them"))),
            rows,
        )
    ]


def _remedies(response: ComplaintResponse) -> Iterable[Remedy]:
    return Remedy.select().where(Remedy.response == response.id).order_by(Remedy.due_on, Remedy.id)


def _actions(response: ComplaintResponse) -> Iterable[OutstandingAction]:
    return (
        OutstandingAction.select()
        .where(OutstandingAction.response == response.id)
        .order_by(OutstandingAction.due_on, OutstandingAction.id)
    )


def _remedy_text(writer: _Writer, remedy: Remedy) -> str:
    kind = writer.gettext(REMEDIES.get(remedy.kind, remedy.kind))
    amount: Any = remedy.amount
    money = format_currency(Decimal(amount), "GBP", locale=formatting_locale(writer.locale)) if amount else ""
    return " – ".join(part for part in (kind, money, remedy.description) if part)


def _refused(writer: _Writer) -> list[Block]:
    complaint, gettext = writer.complaint, writer.gettext
    author = _message_author(complaint, "refusal", writer.stage)
    ground = gettext(GROUNDS[complaint.refusal_ground]) if complaint.refusal_ground in GROUNDS else ""
    return [
        Section(gettext(N_("Why we cannot take this complaint forward")), (ground,) if ground else ()),
        *writer.own_words("", complaint.refusal_reasons, author),
        writer.ombudsman(N_("If you disagree with our decision, you can ask the %(ombudsman)s to look at it.")),
    ]


def _updated(writer: _Writer) -> list[Block]:
    payload, gettext = writer.recipient.payload, writer.gettext
    heading = gettext(N_("Our update"))
    if payload.get("message_id") is not None:
        message = CaseMessage.get_or_none(
            CaseMessage.id == payload["message_id"], CaseMessage.complaint == writer.complaint.id
        )
        if message is None:
            return []
        return writer.own_words(heading, message.body, message.created_by_id)  # type: ignore[attr-defined]
    action = OutstandingAction.get_or_none(
        OutstandingAction.id == payload.get("action_id"), OutstandingAction.complaint == writer.complaint.id
    )
    if action is None:
        return []
    writer.authors.add(action.completed_by_id)  # type: ignore[attr-defined]
    done = gettext(N_("We have done this: %(what)s")) % {"what": action.description}
    return [Section(heading, (done,))]


def _remedy_completed(writer: _Writer) -> list[Block]:
    remedy = Remedy.get_or_none(
        Remedy.id == writer.recipient.payload.get("remedy_id"), Remedy.complaint == writer.complaint.id
    )
    if remedy is None:
        return []
    writer.authors.add(remedy.completed_by_id)  # type: ignore[attr-defined]
    return [Section(writer.gettext(N_("What we have done")), (_remedy_text(writer, remedy),))]


BUILDERS: dict[str, Callable[[_Writer], list[Block]]] = {
    "complaint.acknowledged": _acknowledged,
    "complaint.extended": _extended,
    "complaint.responded": _responded,
    "complaint.refused": _refused,
    "complaint.escalation_refused": _refused,
    "complaint.updated": _updated,
    "complaint.remedy_completed": _remedy_completed,
}
