"""Scheduled saved reports: on each report's day its recipients are told, once, that it is ready to read.

The message carries a link to the report's page in the console, which needs signing in; never the report's rows,
and never a token. The recipient's reading runs the query as themselves, so nobody learns from the message or the
page more than they may see.

A report is due on a UK day when its schedule says so: every day; weekly on its weekday; monthly on its day, or on
the month's last day when the month is shorter. ``last_sent_on`` is stamped by a conditional UPDATE, so of two
workers sweeping at once only one tells the recipients, and a sweep run again the same day tells nobody.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from peewee import Expression

from backend.accounts.models import User, UserRole
from backend.context import STAFF_ROLES
from backend.db import transaction
from backend.events.services import record_event
from backend.reports.models import ReportSchedule, SavedReport, SavedReportRecipient
from backend.timeutil import local_date

logger = logging.getLogger(__name__)
EVENT = "reports.saved_report_ready"
#: The most reports one sweep sends; the next sweep carries on with the rest.
SWEEP_LIMIT = 500


def due_on(today: dt.date) -> Expression:
    """The condition, in SQL, of the reports whose schedule falls on ``today``."""
    last_day = calendar.monthrange(today.year, today.month)[1]
    monthly_day = SavedReport.schedule_day == today.day
    if today.day == last_day:  # a day past a shorter month's end falls on its last day
        monthly_day = SavedReport.schedule_day >= today.day
    return (
        (SavedReport.schedule == ReportSchedule.DAILY)
        | ((SavedReport.schedule == ReportSchedule.WEEKLY) & (SavedReport.schedule_weekday == today.isoweekday()))
        | ((SavedReport.schedule == ReportSchedule.MONTHLY) & monthly_day)
    )


def due_reports(today: dt.date, limit: int = SWEEP_LIMIT) -> list[int]:
    """The ids of the reports due today whose recipients have not been told today, oldest first."""
    not_yet = SavedReport.last_sent_on.is_null() | (SavedReport.last_sent_on < today)
    query = SavedReport.select(SavedReport.id).where(due_on(today), not_yet).order_by(SavedReport.id).limit(limit)
    return [row.id for row in query]


def recipients_of(report_id: int) -> list[int]:
    """The report's recipients who are still active members of staff, in order."""
    staff = UserRole.select(UserRole.user).where(UserRole.role.in_(sorted(STAFF_ROLES)))
    query = (
        SavedReportRecipient.select(SavedReportRecipient.person)
        .join(User, on=(SavedReportRecipient.person == User.id))
        .where(
            SavedReportRecipient.report == report_id,
            User.is_active == True,  # noqa: E712
            User.id.in_(staff),
        )
        .order_by(SavedReportRecipient.person)
    )
    return [row.person_id for row in query]  # type: ignore[attr-defined]


def send_report(report_id: int, today: dt.date) -> int:
    """Tell the report's recipients it is ready, once on ``today``; return how many were told (0 if done already)."""
    with transaction():
        not_yet = SavedReport.last_sent_on.is_null() | (SavedReport.last_sent_on < today)
        marked = SavedReport.update(last_sent_on=today).where(SavedReport.id == report_id, not_yet).execute()
        if not marked:
            return 0
        report = SavedReport.get_by_id(report_id)
        people = recipients_of(report_id)
        for person in people:
            record_event(EVENT, {"recipient_id": person, "report_id": report.id, "name": str(report.name)[:120]})
    return len(people)


def send_due_reports(today: dt.date | None = None) -> dict[str, int]:
    """Tell the recipients of every report due today, once each. Safe to run any number of times, by several
    workers at once. Returns ``{"reports": n, "messages": n}``."""
    today = today or local_date()
    sent = {"reports": 0, "messages": 0}
    for report_id in due_reports(today):
        told = send_report(report_id, today)
        if told:
            sent["reports"] += 1
            sent["messages"] += told
    if sent["reports"]:
        logger.info("scheduled reports: %s", sent)
    return sent
