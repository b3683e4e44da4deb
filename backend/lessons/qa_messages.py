"""The messages of the monthly QA, to staff only: the month's report to managers, and a quality review's scores
back to the team that handled the complaint.

Both inform rather than ask anyone to act, so they are of the optional topic "changes": staff who turned it off
read the report and the review in the console."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from backend.complaints.models import Complaint
from backend.config import current, formatting_locale
from backend.i18n import N_, translations
from backend.lessons.models import QaReport, QualityReview
from backend.lessons.quality import review_percent
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

QA_EVENTS = EventGroup()

REPORT_VARIABLES = {
    "month": "March 2026",
    "transfer": "9 of 10",
    "smart": "4 of 5",
    "on_time": "no items",
    "overdue": "2",
    "effective": "1 of 2",
    "told": "3",
}
REVIEW_VARIABLES = {"reference": "LL-2026-000042", "month": "March 2026", "score": "75%"}


def _month(value: Any, locale: str) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return ""
    return format_date(day, "MMMM y", locale=formatting_locale(locale))


def _share(met: int, due: int, locale: str) -> str:
    gettext = translations(locale).gettext
    if not due:
        return gettext(N_("no items"))
    return gettext(N_("%(met)s of %(due)s")) % {"met": met, "due": due}


def report_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The report's figures in the reader's language, each as "met of due" or "no items"."""
    report = QaReport.get_or_none(QaReport.id == payload.get("report_id"))
    if report is None:
        return {name: "" for name in REPORT_VARIABLES}
    return {
        "month": _month(report.month, locale),
        "transfer": _share(report.transfer_met, report.transfer_due, locale),
        "smart": _share(report.smart_met, report.smart_due, locale),
        "on_time": _share(report.on_time_met, report.on_time_due, locale),
        "overdue": str(report.overdue_count),
        "effective": _share(report.effective_met, report.effective_due, locale),
        "told": str(report.complainants_told),
    }


def review_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The sampled complaint's reference, its month and its score in the reader's language."""
    review = QualityReview.get_or_none(QualityReview.id == payload.get("review_id"))
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id"))
    if review is None:
        return {"reference": complaint.reference if complaint else "", "month": "", "score": ""}
    score = review_percent(review.id)
    gettext = translations(locale).gettext
    return {
        "reference": complaint.reference if complaint else "",
        "month": _month(review.month, locale),
        "score": gettext(N_("does not apply")) if score is None else f"{score}%",
    }


def _report_link(recipient: Recipient) -> str:
    report = QaReport.get_or_none(QaReport.id == recipient.payload.get("report_id"))
    month = report.month.strftime("%Y-%m") if report else ""
    return f"{current().base_url}/console/lessons/qa/{month}"


def _review_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/lessons/qa/reviews/{recipient.payload.get('review_id')}"


QA_EVENTS.add(
    EventSpec(
        "lessons.qa_report",
        "changes",
        N_("Monthly lessons QA: %(month)s"),
        (
            HELLO,
            N_("The lessons QA for %(month)s is ready."),
            N_("Sources turned into lessons: %(transfer)s."),
            N_("Lessons with a SMART action: %(smart)s."),
            N_("Actions completed on time: %(on_time)s."),
            N_("Actions overdue at the month's end: %(overdue)s."),
            N_("Actions verified as addressing the problem: %(effective)s."),
            N_("Complainants told their complaint led to an improvement: %(told)s."),
        ),
        REPORT_VARIABLES,
        N_("Open the report"),
        N_("Sends managers the month's lessons QA figures, on the first working day of the next month."),
        context=report_values,
        link=_report_link,
        sample_link="https://example.org/console/lessons/qa/2026-03",
    )
)

QA_EVENTS.add(
    EventSpec(
        "lessons.quality_review_returned",
        "changes",
        N_("Quality check of %(reference)s"),
        (
            HELLO,
            N_(
                "%(reference)s, a complaint your team handled, was checked for quality in %(month)s. It scored "
                "%(score)s against the checklist."
            ),
            N_("The scores and the reviewer's notes are for the team to learn from, not about any one person."),
        ),
        REVIEW_VARIABLES,
        N_("Open the quality check"),
        N_("Sends a quality check's scores back to the handler and the managers of the team that handled it."),
        context=review_values,
        link=_review_link,
        sample_link="https://example.org/console/lessons/qa/reviews/42",
    )
)
