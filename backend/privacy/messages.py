"""The data protection officer's daily notice of subject access requests due soon or overdue.

It is a duty of a member of staff, so it goes under the topic "complaints", which nobody can turn off, as the other
duty notices do (the improvement actions' digest, hazard escalations). It names each request by its number, its
deadline and the working days left, never the person who asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.config import current
from backend.i18n import N_, translations
from backend.notifications.blocks import Block, Table
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

PRIVACY_EVENTS = EventGroup()
DUE_NOTICE = "privacy.access_requests_due"


def _values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    return {"count": str(len(payload.get("requests") or ())), "overdue": str(payload.get("overdue", 0))}


def _details(recipient: Recipient) -> list[Block]:
    gettext = translations(recipient.locale).gettext
    rows = tuple(
        (f"#{item['id']}", str(item["deadline"]), str(item["days_left"]))
        for item in recipient.payload.get("requests") or ()
    )
    columns = (gettext("Request"), gettext("Deadline"), gettext("Working days left (negative: days late)"))
    return [Table(gettext("Subject access requests"), columns, rows)]


def _link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/privacy"


PRIVACY_EVENTS.add(
    EventSpec(
        DUE_NOTICE,
        "complaints",
        N_("Subject access requests due: %(count)s"),
        (
            HELLO,
            N_(
                "%(count)s subject access requests are due within five working days or overdue (%(overdue)s "
                "overdue). The law allows one month from receipt. Each is listed below."
            ),
        ),
        {"count": "2", "overdue": "1"},
        N_("Open the subject access requests"),
        N_("Tells the data protection officer each day of subject access requests due soon or overdue."),
        context=_values,
        link=_link,
        sample_link="https://example.org/console/privacy",
        details=_details,
    )
)
