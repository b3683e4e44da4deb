"""The messages panel members get about meetings: the invitation, and a reminder a few days before.

Each goes to the member in their own language and by their own channel, through the notifications machinery. An
email carries the meeting as a calendar file (``meeting.ics``, made with the ``icalendar`` package), so the member
can add it to their calendar in one step; other channels carry the same facts in words.

They are of the optional topic "changes" (the panel's work is part of the changes residents bring about), so a
member who asked for a daily or weekly digest gets them there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_datetime
from icalendar import Calendar, Event

from backend.config import current, formatting_locale
from backend.i18n import N_, translations
from backend.notifications.catalogue import HELLO, Attachment, EventGroup, EventSpec, Recipient
from backend.panels.models import MeetingMode, PanelMeeting, ScrutinyReview
from backend.timeutil import LOCAL_ZONE

PANEL_EVENTS = EventGroup()

VARIABLES = {
    "topic": "The complaints journey",
    "reference": "SR-2026-01",
    "when": "Tuesday 10 March 2026 at 18:00",
    "how": "In person",
    "place": "Community room, Riverside House",
}
#: How a meeting is held, in the member's language.
MODE_WORDS: dict[str, str] = {
    MeetingMode.IN_PERSON: N_("In person"),
    MeetingMode.ONLINE: N_("Online"),
    MeetingMode.HYBRID: N_("In person and online"),
}


def _meeting(payload: Mapping[str, Any]) -> PanelMeeting | None:
    return PanelMeeting.get_or_none(PanelMeeting.id == payload.get("meeting_id"))


def meeting_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The placeholders of a meeting message: the review's topic and reference, when (UK time), how and where."""
    meeting = _meeting(payload)
    if meeting is None:
        return dict.fromkeys(VARIABLES, "")
    review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
    starts = meeting.starts_at.replace(tzinfo=dt.UTC)
    when = format_datetime(starts, "EEEE d MMMM y, HH:mm", tzinfo=LOCAL_ZONE, locale=formatting_locale(locale))
    return {
        "topic": review.topic,
        "reference": review.reference,
        "when": when,
        "how": translations(locale).gettext(MODE_WORDS.get(str(meeting.mode), MODE_WORDS[MeetingMode.IN_PERSON])),
        "place": meeting.place,
    }


def meeting_calendar(meeting: PanelMeeting, sequence: int = 0) -> bytes:
    """The meeting as an iCalendar file (RFC 5545): one event, in UTC, with the review's topic and the place.

    The UID is the meeting's own, so a calendar that already has it replaces it when a new time is sent.
    """
    review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
    settings = current()
    host = settings.base_url.split("//", 1)[-1].split("/", 1)[0] or "learnloop.invalid"
    calendar = Calendar()
    calendar.add("prodid", "-//Learnloop//Scrutiny panel meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"panel-meeting-{meeting.id}@{host}")
    event.add("dtstamp", (meeting.updated_at or meeting.created_at).replace(tzinfo=dt.UTC))
    start = meeting.starts_at.replace(tzinfo=dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=meeting.minutes_long))
    event.add("summary", f"{review.reference}: {review.topic}")
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", f"{settings.base_url}/panel/reviews/{review.id}")
    event.add("sequence", sequence)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def meeting_attachments(recipient: Recipient) -> list[Attachment]:
    """The calendar file an email about a meeting carries."""
    meeting = _meeting(recipient.payload)
    if meeting is None:
        return []
    return [Attachment("meeting.ics", "text/calendar", meeting_calendar(meeting))]


def _review_link(recipient: Recipient) -> str | None:
    meeting = _meeting(recipient.payload)
    if meeting is None:
        return None
    return f"{current().base_url}/panel/reviews/{meeting.review_id}"  # type: ignore[attr-defined]


PANEL_EVENTS.add(
    EventSpec(
        "panels.meeting_invitation",
        "changes",
        N_("Scrutiny panel meeting: %(topic)s"),
        (
            HELLO,
            N_("You are invited to a meeting of the scrutiny panel about %(topic)s (%(reference)s)."),
            N_("When: %(when)s"),
            N_("How: %(how)s"),
            N_("Where: %(place)s"),
        ),
        VARIABLES,
        N_("See the review"),
        N_("Invites each member of a scrutiny panel to a meeting of one of its reviews, with a calendar file."),
        context=meeting_values,
        link=_review_link,
        sample_link="https://example.org/panel/reviews/1",
        attachments=meeting_attachments,
    )
)
PANEL_EVENTS.add(
    EventSpec(
        "panels.meeting_reminder",
        "changes",
        N_("Reminder: scrutiny panel meeting on %(when)s"),
        (
            HELLO,
            N_("This is a reminder of the scrutiny panel meeting about %(topic)s (%(reference)s)."),
            N_("When: %(when)s"),
            N_("How: %(how)s"),
            N_("Where: %(place)s"),
        ),
        VARIABLES,
        N_("See the review"),
        N_("Reminds each member of a scrutiny panel of a meeting a few days before it."),
        context=meeting_values,
        link=_review_link,
        sample_link="https://example.org/panel/reviews/1",
        attachments=meeting_attachments,
    )
)
