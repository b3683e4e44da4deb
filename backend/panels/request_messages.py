"""The message about a scrutiny panel's late evidence request: to the panel's senior lead (every manager when it has
none), once, when a request is still open after its due date.

It is a duty, of the topic nobody can turn off ("complaints"), as the escalation of an overdue improvement action is.
It names the review and the due date, not what was asked: the panel's words are read in the console, behind
sign-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.config import current, formatting_locale
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

PANEL_REQUEST_EVENTS = EventGroup()


def request_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The review's reference and the request's due date, in the reader's language."""
    raw = payload.get("due_on")
    due = format_date(dt.date.fromisoformat(str(raw)), "long", locale=formatting_locale(locale)) if raw else ""
    return {"reference": str(payload.get("reference", "")), "due": due}


def _pack_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/panels/reviews/{int(recipient.payload.get('review_id') or 0)}/pack"


PANEL_REQUEST_EVENTS.add(
    EventSpec(
        "panels.evidence_request_late",
        "complaints",
        N_("Scrutiny panel evidence overdue: %(reference)s"),
        (
            HELLO,
            N_(
                "The scrutiny panel reviewing %(reference)s asked for evidence by %(due)s, and it has not been "
                "supplied or declined. Supply it, or tell the panel why it is declined."
            ),
        ),
        {"reference": "SR-2026-03", "due": "9 March 2026"},
        N_("Open the evidence pack"),
        N_("Tells a panel's senior lead (every manager, if it has none) that evidence the panel asked for is late."),
        context=request_values,
        link=_pack_link,
        sample_link="https://example.org/console/panels/reviews/42/pack",
    )
)
