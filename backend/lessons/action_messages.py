"""The messages about improvement actions: due soon and overdue (to the owner), escalated (to the owner's line
manager), the senior managers' daily digest of every overdue action, done and waiting for sign-off (to the senior
managers), and, to residents, what changed because of their complaint once an action is signed off.

The notices to staff are duties: the reminders to an action's owner, the escalation to their line manager, the
senior managers' digest and the request to sign off. They go under the topic "complaints", which nobody can turn
off, as the complaint side's hazard escalations and missed-update notices do. The resident's notice of what changed
is of the optional topic "changes" (the changes made because residents spoke up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.complaints.models import Complaint
from backend.config import current, formatting_locale
from backend.i18n import N_, translations
from backend.lessons.models import ImprovementAction, Lesson
from backend.notifications.blocks import Block, Section, Table
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient
from backend.timeutil import local_date

ACTION_EVENTS = EventGroup()

VARIABLES = {
    "reference": "LS-2026-0042",
    "action": "Send a text the day before each repairs appointment",
    "due": "9 March 2026",
    "owner": "Sam Jones",
    "count": "3",
}


def _day(raw: Any, locale: str) -> str:
    if not raw:
        return ""
    day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    return format_date(day, "long", locale=formatting_locale(locale))


def action_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The placeholders of an action message: the lesson's reference, the action, its due date and owner."""
    action = ImprovementAction.get_or_none(ImprovementAction.id == payload.get("action_id"))
    values = {
        "reference": str(payload.get("reference", "")),
        "action": str(payload.get("title", "")),
        "due": _day(payload.get("due_on"), locale),
        "owner": "",
        "count": str(len(payload.get("action_ids") or ())),
    }
    if action is not None and action.owner is not None:
        values["owner"] = action.owner.display_name
    return values


def _action_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/lessons/actions/{recipient.payload.get('action_id')}"


def _board_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/lessons/actions?overdue=1"


def digest_details(recipient: Recipient) -> list[Block]:
    """The digest's table: every overdue action listed in it, with its lesson, owner and due date."""
    gettext = translations(recipient.locale).gettext
    ids = [int(i) for i in recipient.payload.get("action_ids") or ()]
    rows = []
    today = local_date()
    for action in (
        ImprovementAction.select(ImprovementAction, Lesson)
        .join(Lesson)
        .where(ImprovementAction.id.in_(ids))
        .order_by(ImprovementAction.due_on, ImprovementAction.id)
    ):
        owner = action.owner.display_name if action.owner is not None else gettext("Nobody")
        late = (today - action.due_on).days if action.due_on else 0
        rows.append(
            (action.title, action.lesson.reference, owner, _day(action.due_on, recipient.locale), str(max(late, 0)))
        )
    columns = (gettext("Action"), gettext("Lesson"), gettext("Owner"), gettext("Due"), gettext("Days overdue"))
    return [Table(gettext("Overdue actions"), columns, tuple(rows))]


def _staff(name: str, subject: str, paragraphs: tuple[str, ...], description: str, **extra: Any) -> None:
    """A duty of a member of staff: of the topic nobody can turn off, so it always reaches them."""
    ACTION_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs),
            VARIABLES,
            extra.pop("link_text", N_("Open the action")),
            description,
            context=action_values,
            link=extra.pop("link", _action_link),
            sample_link=extra.pop("sample_link", "https://example.org/console/lessons/actions/42"),
            **extra,
        )
    )


_staff(
    "lessons.action_due_soon",
    N_("Action due soon: %(action)s"),
    (N_("The action “%(action)s” from lesson %(reference)s, which you own, is due by %(due)s."),),
    N_("Tells an action's owner that it falls due soon."),
)
_staff(
    "lessons.action_overdue",
    N_("Action overdue: %(action)s"),
    (
        N_(
            "The action “%(action)s” from lesson %(reference)s, which you own, was due by %(due)s and is not "
            "recorded as done. Record it as done with its evidence, or ask a manager to agree a new due date."
        ),
    ),
    N_("Tells an action's owner that it is overdue."),
)
_staff(
    "lessons.action_escalated",
    N_("Action overdue in your team: %(action)s"),
    (
        N_(
            "The action “%(action)s” from lesson %(reference)s, owned by %(owner)s, was due by %(due)s and is "
            "still not done."
        ),
    ),
    N_("Tells an action owner's line manager (every manager, if the owner has none) that it is overdue."),
)
_staff(
    "lessons.action_overdue_digest",
    N_("Overdue improvement actions: %(count)s"),
    (N_("%(count)s improvement actions are overdue today. Each is listed below."),),
    N_("Gives each senior manager one digest a day of every overdue improvement action."),
    link_text=N_("Open the overdue actions"),
    link=_board_link,
    sample_link="https://example.org/console/lessons/actions?overdue=1",
    details=digest_details,
)
_staff(
    "lessons.action_done",
    N_("Action done, to sign off: %(action)s"),
    (
        N_(
            "The action “%(action)s” from lesson %(reference)s is recorded as done, with its evidence. Check the "
            "evidence and sign it off, or ask its owner for more."
        ),
    ),
    N_("Tells the senior managers (every manager while nobody is designated one) that an action waits for sign-off."),
)

_staff(
    "lessons.action_not_fixed",
    N_("Residents said it did not work: %(action)s"),
    (
        N_(
            "Residents asked about the change that the action “%(action)s” from lesson %(reference)s carried out "
            "said it did not fix the problem. The action is marked not addressed; if it was signed off, it is back "
            "in progress, due by %(due)s."
        ),
    ),
    N_("Tells an action's owner that residents said the change it carried out did not fix the problem."),
)


def _improvement_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    return {"reference": str(payload.get("reference", ""))}


def _change_written(recipient: Recipient) -> list[Block]:
    """What changed, as the manager wrote it for residents: sent as written."""
    return [Section("", (str(recipient.payload.get("change", "")),), own_words=True)]


def _case_link(recipient: Recipient) -> str:
    """The resident's own case page for the complaint that led to the change."""
    complaint = Complaint.get_or_none(Complaint.id == recipient.payload.get("complaint_id"))
    base = current().base_url
    return f"{base}/cases/{complaint.contact_id}" if complaint is not None else f"{base}/cases"  # type: ignore[attr-defined]


ACTION_EVENTS.add(
    EventSpec(
        "lessons.improvement_made",
        "changes",
        N_("We made a change because of your complaint %(reference)s"),
        (
            HELLO,
            N_("Because of your complaint %(reference)s, we have changed how we work. What changed is below."),
            N_("Thank you for telling us. It helps us put things right for other residents too."),
        ),
        {"reference": "LL-2026-000042"},
        N_("See your complaint"),
        N_("Tells a resident what changed because of their complaint, in the words a manager wrote at sign-off."),
        context=_improvement_values,
        link=_case_link,
        sample_link="https://example.org/cases/42",
        details=_change_written,
    )
)
