"""The messages about changes: each follower told of every move of a change they follow, and each complainant whose
complaint is linked to a change told, once, that their complaint helped change this (self-assessment item 12).

One outbox event about a change becomes one event per person, so that each message goes in the reader's own
language and by their own channel, with their advocate's copy, through the notifications machinery:

- ``cocreation.change_moved`` {change_id, update_id} (recorded by the changes' services) makes a
  ``cocreation.change_progress`` {change_id, update_id, user_id} for each follower, in batches;
- ``cocreation.change_implemented`` {change_id, update_id} makes a ``cocreation.complaint_helped``
  {change_id, update_id, user_id, contact_id, complaint_id} for each complainant's linked complaint.

A ``ChangeNotice`` row is written with each event in one transaction, so a fan-out that runs twice tells nobody
twice. Both are of the optional topic "changes": people choose how often they hear of them, or turn them off.

The stop link in a follower's message is a secret line of the call to action: it is made as an email or a text
message is handed to its channel, and every stored copy (the delivery log, a letter, a portal message, an advocate's
copy) shows ``[link]`` or leaves it out. Staff's wording never holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peewee import IntegrityError

from backend.accounts.models import User
from backend.cocreation import followers
from backend.cocreation.models import (
    Change,
    ChangeContact,
    ChangeMilestone,
    ChangeNotice,
    ChangeStatus,
    ChangeUpdate,
    NoticeKind,
)
from backend.complaints.models import Complaint, Contact
from backend.config import current
from backend.db import transaction
from backend.events.reactions import reacts_to
from backend.events.services import record_event
from backend.i18n import N_, translations
from backend.notifications.blocks import Block, Section
from backend.notifications.catalogue import HELLO, ActionLine, EventGroup, EventSpec, Link, Recipient
from backend.notifications.compose import REVEALING_CHANNELS

CHANGE_EVENTS = EventGroup()

PROGRESS = "cocreation.change_progress"
HELPED = "cocreation.complaint_helped"
#: Followers told of one move per transaction.
BATCH = followers.BATCH

#: A change's status, as a follower reads it.
STATUS_WORDS: dict[str, str] = {
    ChangeStatus.PLANNED: N_("planned"),
    ChangeStatus.IN_PROGRESS: N_("in progress"),
    ChangeStatus.IMPLEMENTED: N_("done: implemented by us"),
    ChangeStatus.CONFIRMED: N_("confirmed by residents: they told us it made a difference"),
}
#: What moved, by the kind of the update.
NEWS: dict[str, str] = {
    "published": N_("We have published it, with what we plan and how far along it is."),
    "status": N_("It is now %(status)s."),
    "percent": N_("It is now %(percent)s%% done."),
    "milestone": N_("A step is done: %(milestone)s."),
}
SEE_CHANGE = N_("See the change")
STOP = N_("Stop messages about this change")
STOP_ON_PAGE = N_("To stop these messages, choose “Stop following” on the change's page.")
SEE_COMPLAINT = N_("See your complaint")


def in_language(texts: Mapping[str, str] | None, locale: str) -> str:
    """Stored multilingual text in ``locale``, else in English, else in any language it has."""
    texts = texts or {}
    for key in (locale, "en", *sorted(texts)):
        if texts.get(key):
            return str(texts[key])
    return ""


def change_url(change: Change | None) -> str:
    """The change's public page."""
    base = current().base_url
    return f"{base}/changes/{change.reference}" if change is not None else f"{base}/changes"


def stop_url(user_id: int, change_id: int) -> str:
    """The one-click stop link for one person and one change (a secret: never store it)."""
    return f"{current().base_url}/changes/stop/{followers.stop_token(user_id, change_id)}"


def news(update: ChangeUpdate | None, locale: str) -> str:
    """What moved, in one sentence in ``locale``: the status in words, the percentage or the milestone's title."""
    gettext = translations(locale).gettext
    if update is None:
        return ""
    template = gettext(NEWS.get(update.kind, NEWS["status"]))
    milestone = ChangeMilestone.get_or_none(ChangeMilestone.id == update.milestone_id)  # type: ignore[attr-defined]
    words = STATUS_WORDS.get(update.status)
    return template % {
        "status": gettext(words) if words else update.status,
        "percent": update.percent,
        "milestone": in_language(milestone.title, locale) if milestone is not None else "",
    }


def _change(payload: Mapping[str, Any]) -> Change | None:
    return Change.get_or_none(Change.id == payload.get("change_id"))


def _update(payload: Mapping[str, Any]) -> ChangeUpdate | None:
    return ChangeUpdate.get_or_none(ChangeUpdate.id == payload.get("update_id"))


def _change_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    change = _change(payload)
    return {
        "reference": change.reference if change is not None else "",
        "title": in_language(change.title, locale) if change is not None else "",
        "news": news(_update(payload), locale),
        "complaint": str(payload.get("complaint_reference", "")),
    }


def _note(recipient: Recipient) -> list[Block]:
    """What staff said of the move, in the reader's language: their words, sent as written."""
    update = _update(recipient.payload)
    note = in_language(update.note, recipient.locale) if update is not None else ""
    return [Section("", (note,), own_words=True)] if note else []


def _progress_action(recipient: Recipient) -> list[ActionLine]:
    gettext = translations(recipient.locale).gettext
    change = _change(recipient.payload)
    lines: list[ActionLine] = [Link(gettext(SEE_CHANGE), change_url(change))]
    if recipient.is_copy or change is None:
        return lines  # an advocate's copy: only the resident may stop their messages
    if recipient.channel in REVEALING_CHANNELS:
        lines.append(Link(gettext(STOP), stop_url(recipient.subject_user.id, change.id), secret=True))
    else:
        lines += ["", gettext(STOP_ON_PAGE)]
    return lines


def _helped_action(recipient: Recipient) -> list[ActionLine]:
    gettext = translations(recipient.locale).gettext
    base = current().base_url
    return [
        Link(gettext(SEE_CHANGE), change_url(_change(recipient.payload))),
        Link(gettext(SEE_COMPLAINT), f"{base}/cases/{recipient.payload.get('contact_id')}"),
    ]


SAMPLE_CHANGE = "https://example.org/changes/CH-2026-01"

CHANGE_EVENTS.add(
    EventSpec(
        PROGRESS,
        "changes",
        N_("News of %(reference)s, a change you follow: %(news)s"),
        (
            HELLO,
            N_("There is news of a change you follow: %(title)s (%(reference)s)."),
            N_("What moved: %(news)s"),
            N_(
                "You follow it because you asked to, because you told us about this, or because you voted for what "
                "it answers."
            ),
        ),
        {
            "reference": "CH-2026-01",
            "title": "Repairs appointments now come with a reminder text",
            "news": "It is now 50% done.",
        },
        description=N_("Tells each follower of a change what moved: its status, how far along it is, or a step done."),
        context=_change_values,
        action=_progress_action,
        sample_action=(Link(SEE_CHANGE, SAMPLE_CHANGE), Link(STOP, "https://example.org/changes/stop/", secret=True)),
        details=_note,
    )
)

CHANGE_EVENTS.add(
    EventSpec(
        HELPED,
        "changes",
        N_("Your complaint %(complaint)s helped change this"),
        (
            HELLO,
            N_("Your complaint %(complaint)s helped us make a change: %(title)s (%(reference)s). It is now done."),
            N_("Thank you for telling us. It helps us put things right for other residents too."),
        ),
        {
            "complaint": "LL-2026-000042",
            "reference": "CH-2026-01",
            "title": "Repairs appointments now come with a reminder text",
        },
        description=N_(
            "Tells a resident, once for each complaint of theirs linked to a change, that it helped change this, when "
            "the change is implemented."
        ),
        context=_change_values,
        action=_helped_action,
        sample_action=(Link(SEE_CHANGE, SAMPLE_CHANGE), Link(SEE_COMPLAINT, "https://example.org/cases/42")),
    )
)


# --- The fan-outs --------------------------------------------------------------------------------------------------


def _published_update(change_id: Any, update_id: Any) -> tuple[Change, ChangeUpdate] | None:
    change = Change.get_or_none(Change.id == change_id, Change.published_at.is_null(False))
    update = ChangeUpdate.get_or_none(ChangeUpdate.id == update_id, ChangeUpdate.change == change_id)
    return (change, update) if change is not None and update is not None else None


def _notice(update_id: int, user_id: int, kind: str, contact_id: int | None = None) -> bool:
    """Write the notice that this person is told; False when they were already (by another run, even at once)."""
    try:
        with transaction():  # a savepoint: a duplicate undoes this row only
            ChangeNotice.create(change_update=update_id, user=user_id, kind=kind, contact=contact_id)
    except IntegrityError:
        return False
    return True


def complainants(change_id: int) -> list[tuple[int, int, int, str]]:
    """The (user id, contact id, complaint id, complaint reference) of each complaint linked to the change whose
    resident has an active account and is named, oldest contact first."""
    query = (
        Complaint.select(Contact.resident, Contact.id, Complaint.id, Complaint.reference)
        .join(Contact, on=(Complaint.contact == Contact.id))
        .join(ChangeContact, on=(ChangeContact.contact == Contact.id))
        .join(User, on=(Contact.resident == User.id))
        .where(ChangeContact.change == change_id, Contact.anonymous == False, User.is_active == True)  # noqa: E712
        .order_by(Contact.id)
    )
    rows: Any = query.tuples()
    return [(int(user), int(contact), int(complaint), str(reference)) for user, contact, complaint, reference in rows]


def tell_followers(change_id: int, update_id: int) -> int:
    """Tell each follower of a published change of one move, once each; returns how many were told now.

    Safe to run twice, and at once. Nothing happens for an unknown or unpublished change or an update of another.
    A move to implemented leaves out the complainants, whom :func:`tell_complainants_helped` tells personally.
    """
    found = _published_update(change_id, update_id)
    if found is None:
        return 0
    change, update = found
    left_out: set[int] = set()
    if update.status == ChangeStatus.IMPLEMENTED and update.kind == "status":
        left_out = {row[0] for row in complainants(change.id)}
    told = 0
    for batch in followers.follower_batches(change.id, BATCH):
        done = set(
            followers.first_column(
                ChangeNotice.select(ChangeNotice.user).where(
                    ChangeNotice.change_update == update.id,
                    ChangeNotice.kind == NoticeKind.PROGRESS.value,
                    ChangeNotice.user.in_(batch),
                )
            )
        )
        with transaction():
            for user_id in batch:
                if user_id in done or user_id in left_out:
                    continue
                if _notice(update.id, user_id, NoticeKind.PROGRESS.value):
                    record_event(PROGRESS, {"change_id": change.id, "update_id": update.id, "user_id": user_id})
                    told += 1
    return told


def tell_complainants_helped(change_id: int, update_id: int) -> int:
    """Tell each resident whose complaint is linked to an implemented change that it helped change this: once for
    each complaint, however often the change is implemented; returns how many complaints were told of now.

    One notice per person and update: a resident with two complaints linked is told of the second the next time the
    change is implemented. Anonymous complaints, and people without an account, are not told.
    """
    found = _published_update(change_id, update_id)
    if found is None:
        return 0
    change, update = found
    told_contacts = set(
        followers.first_column(
            ChangeNotice.select(ChangeNotice.contact)
            .join(ChangeUpdate, on=(ChangeNotice.change_update == ChangeUpdate.id))
            .where(ChangeUpdate.change == change.id, ChangeNotice.kind == NoticeKind.COMPLAINT_HELPED.value)
        )
    )
    told = 0
    with transaction():
        for user_id, contact_id, complaint_id, reference in complainants(change.id):
            if contact_id in told_contacts:
                continue
            if not _notice(update.id, user_id, NoticeKind.COMPLAINT_HELPED.value, contact_id):
                continue
            record_event(
                HELPED,
                {
                    "change_id": change.id,
                    "update_id": update.id,
                    "user_id": user_id,
                    "contact_id": contact_id,
                    "complaint_id": complaint_id,
                    "complaint_reference": reference,
                },
            )
            told += 1
    return told


@reacts_to("cocreation.change_moved")
def _on_change_moved(payload: Mapping[str, Any]) -> None:
    tell_followers(payload.get("change_id"), payload.get("update_id"))  # type: ignore[arg-type]


@reacts_to("cocreation.change_implemented")
def _on_change_implemented(payload: Mapping[str, Any]) -> None:
    tell_complainants_helped(payload.get("change_id"), payload.get("update_id"))  # type: ignore[arg-type]
