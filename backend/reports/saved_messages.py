"""The message of a scheduled saved report: to each recipient, that it is ready to read, with a link to its page.

The link needs signing in and carries no token, and the message holds none of the report's rows: the recipient's
reading runs the query as themselves. It informs rather than asks anyone to act, so it is of the optional topic
"changes", as the monthly lessons QA report is: staff who turned that topic off read the report in the console."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.config import current
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

REPORT_EVENTS = EventGroup()


def report_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The report's name, as it was when the message was planned."""
    return {"report": str(payload.get("name", ""))}


def _report_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/reports/saved/{int(recipient.payload.get('report_id') or 0)}"


REPORT_EVENTS.add(
    EventSpec(
        "reports.saved_report_ready",
        "changes",
        N_("Report ready to read: %(report)s"),
        (
            HELLO,
            N_("The report “%(report)s” is ready to read."),
            N_(
                "Sign in to read it. It runs when you open it and shows only what you may see, so this message "
                "holds none of its figures."
            ),
        ),
        {"report": "Open complaints by category"},
        N_("Open the report"),
        N_("Tells each recipient of a scheduled saved report that it is ready to read, on its day."),
        context=report_values,
        link=_report_link,
        sample_link="https://example.org/console/reports/saved/42",
    )
)
