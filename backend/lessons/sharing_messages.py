"""The messages of staff sharing: a staff briefing to acknowledge, and the lessons bulletin. Staff only.

Both are of the optional topic "changes": staff who turned it off find their briefings and the bulletins in the
console.

A briefing's message carries no word of the case: the case may be hidden from the person briefed (its subject), so
the message only sends them to their briefings in the console, where they read the summary and acknowledge it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.config import current
from backend.i18n import N_
from backend.lessons.bulletins import bulletin_lessons
from backend.lessons.models import Bulletin
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

SHARING_EVENTS = EventGroup()
BULLETIN_VARIABLES = {
    "title": "Lessons this month",
    "introduction": "Here is what we learnt from complaints this month.",
    "lessons": "Repairs appointments missed without notice: residents now get a reminder the day before.",
}


def bulletin_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The bulletin's title, introduction and lessons (title and early lesson of each, one a line)."""
    bulletin = Bulletin.get_or_none(Bulletin.id == payload.get("bulletin_id"))
    if bulletin is None:
        return {"title": "", "introduction": "", "lessons": ""}
    lines = [
        f"{lesson.title}: {lesson.early_lesson}" if lesson.early_lesson else lesson.title
        for lesson in bulletin_lessons(bulletin)
    ]
    return {"title": bulletin.title, "introduction": bulletin.introduction, "lessons": "\n".join(lines)}


def _briefings_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/lessons/briefings/mine"


def _bulletin_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/lessons/bulletins/{recipient.payload.get('bulletin_id')}"


SHARING_EVENTS.add(
    EventSpec(
        "lessons.staff_briefing",
        "changes",
        N_("A complaint's outcome and its lessons: please read and acknowledge"),
        (
            HELLO,
            N_(
                "You have been briefed on the outcome of a complaint you were involved in, and the lessons drawn "
                "from it. Please read the briefing and acknowledge it."
            ),
        ),
        {},
        N_("Read your briefings"),
        N_("Tells a member of staff involved in a complaint that a briefing on its outcome waits for them."),
        link=_briefings_link,
        sample_link="https://example.org/console/lessons/briefings/mine",
    )
)
SHARING_EVENTS.add(
    EventSpec(
        "lessons.bulletin",
        "changes",
        N_("Lessons bulletin: %(title)s"),
        (HELLO, N_("%(introduction)s"), N_("%(lessons)s")),
        BULLETIN_VARIABLES,
        N_("Read the bulletin"),
        N_("Sends the internal lessons bulletin to every active member of staff."),
        context=bulletin_values,
        link=_bulletin_link,
        sample_link="https://example.org/console/lessons/bulletins/42",
    )
)
