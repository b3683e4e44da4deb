"""The placeholder values of complaint messages, including the "where you are" block, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.complaints.models import Complaint, Regime
from backend.complaints.progress import describe, progress_of
from backend.config import current, formatting_locale
from backend.i18n import N_, translations

NO_TEAM = N_("our complaints team")


def complaint_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """Values for a message about one complaint: reference, team, Ombudsman, dates, link and where it is."""
    from backend.notifications.templates import where_you_are

    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    link = f"{current().base_url}/cases"
    if complaint is None:
        return {"reference": str(payload.get("reference", "")), "link": link, "where_you_are": ""}
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    progress = progress_of(complaint)
    stage, next_step = describe(progress, locale)
    due = payload.get("due_on")
    return {
        "reference": complaint.reference,
        "team": complaint.team or translations(locale).gettext(NO_TEAM),
        "stage": stage,
        "ombudsman": regime.ombudsman_name,
        "ombudsman_details": regime.ombudsman_details,
        "due_date": _date(dt.date.fromisoformat(due), locale) if due else "",
        # Staff events name a recipient; residents' name the resident.
        "link": f"{current().base_url}/console/complaints/{complaint.id}"
        if "recipient_id" in payload
        else f"{link}/{complaint.contact_id}",  # type: ignore[attr-defined]
        "where_you_are": where_you_are(locale, stage, next_step, progress.due_on),
    }


def _date(day: dt.date, locale: str) -> str:
    return format_date(day, format="long", locale=formatting_locale(locale))
