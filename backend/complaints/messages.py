"""The placeholder values of complaint messages, including the "where you are" block, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.complaints.models import Complaint, Regime
from backend.complaints.progress import describe, ombudsman_name, progress_of
from backend.config import current, formatting_locale
from backend.i18n import N_, translations

NO_TEAM = N_("our complaints team")


def complaint_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """Values for a message about one complaint: reference, team, Ombudsman, dates and where it is."""
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    if complaint is None:
        return {"reference": str(payload.get("reference", "")), "where_you_are": ""}
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    stage, _next_step = describe(progress_of(complaint), locale)
    due = payload.get("due_on")
    return {
        # Wording saved when this block was a placeholder still renders: the system now adds the block.
        "where_you_are": "",
        "reference": complaint.reference,
        "team": complaint.team or translations(locale).gettext(NO_TEAM),
        "stage": stage,
        "ombudsman": ombudsman_name(regime.ombudsman_name, translations(locale).gettext),
        "ombudsman_details": regime.ombudsman_details,
        "due_date": _date(dt.date.fromisoformat(due), locale) if due else "",
    }


def complaint_link(payload: Mapping[str, Any]) -> str:
    """The case page: the console's for staff events (they name a recipient), the portal's for residents."""
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    base = current().base_url
    if complaint is None:
        return f"{base}/cases"
    if "recipient_id" in payload:
        return f"{base}/console/complaints/{complaint.id}"
    return f"{base}/cases/{complaint.contact_id}"  # type: ignore[attr-defined]


def _date(day: dt.date, locale: str) -> str:
    return format_date(day, format="long", locale=formatting_locale(locale))
