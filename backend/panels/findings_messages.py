"""The messages of lesson review and recommendations: a member's question (to the panel's support staff), its
answer (to the member), a signed-off report waiting for the landlord's response (to the managers), and a response
overdue (to the panel's senior lead and the managers).

The notices to staff are duties, under the topic nobody can turn off, as overdue improvement actions are. The
member's notice of an answer is about their own work for the panel, so it is a duty too: a question asked and never
seen answered is worse than one message too many. None carries a staff member's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.config import current, formatting_locale
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

FINDINGS_EVENTS = EventGroup()

VARIABLES = {"reference": "SR-2026-01", "number": "2", "due": "9 March 2026"}


def _values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    raw = payload.get("due_on")
    due = format_date(dt.date.fromisoformat(str(raw)), "long", locale=formatting_locale(locale)) if raw else ""
    return {"reference": str(payload.get("reference", "")), "number": str(payload.get("number", "")), "due": due}


def _console_review(recipient: Recipient) -> str:
    return f"{current().base_url}/console/panels/reviews/{recipient.payload.get('review_id')}/findings"


def _workspace_review(recipient: Recipient) -> str:
    return f"{current().base_url}/panel/reviews/{recipient.payload.get('review_id')}/questions"


def _add(name: str, subject: str, paragraph: str, description: str, link: Any, link_text: str, sample: str) -> None:
    FINDINGS_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, paragraph),
            VARIABLES,
            link_text,
            description,
            context=_values,
            link=link,
            sample_link=sample,
        )
    )


_add(
    "panels.question_asked",
    N_("A question from the scrutiny panel: review %(reference)s"),
    N_("A member of the scrutiny panel asked a question about review %(reference)s. Answer it in the console."),
    N_("Tells a panel's support staff that a member asked a question."),
    lambda recipient: f"{current().base_url}/console/panels/questions",
    N_("Open the questions"),
    "https://example.org/console/panels/questions",
)
_add(
    "panels.question_answered",
    N_("Your question was answered: review %(reference)s"),
    N_("Staff answered your question about review %(reference)s. Read the answer in the panel's workspace."),
    N_("Tells a panel member that staff answered their question."),
    _workspace_review,
    N_("Read the answer"),
    "https://example.org/panel/reviews/42/questions",
)
_add(
    "panels.findings_signed_off",
    N_("Scrutiny report signed off: review %(reference)s"),
    N_(
        "The scrutiny panel signed off its report on review %(reference)s. The landlord's response to each "
        "recommendation is due by %(due)s."
    ),
    N_("Tells the managers that a panel's report waits for the landlord's response."),
    _console_review,
    N_("Open the report"),
    "https://example.org/console/panels/reviews/42/findings",
)
_add(
    "panels.response_overdue",
    N_("Response overdue: review %(reference)s, recommendation %(number)s"),
    N_(
        "The landlord's response to recommendation %(number)s of the scrutiny panel's review %(reference)s was "
        "due by %(due)s and has not been given."
    ),
    N_("Tells the panel's senior lead and the managers that a response to a recommendation is overdue."),
    _console_review,
    N_("Open the report"),
    "https://example.org/console/panels/reviews/42/findings",
)
