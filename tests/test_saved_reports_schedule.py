"""Scheduled saved reports: on the report's day each recipient gets one email with a link that needs signing in,
never the report's rows and never a token."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backend.events.models import Delivery, OutboxEvent
from backend.reports import saved_schedule
from backend.reports.models import SavedReport
from tests import factories
from tests.conftest import read_mail


def scheduled(schedule: str, **values: Any) -> Any:
    report = factories.make_saved_report(schedule=schedule, **values)
    factories.make_saved_report_recipient(report, factories.make_staff())
    return report


@pytest.mark.parametrize(
    ("schedule", "values", "today", "due"),
    [
        ("daily", {}, dt.date(2026, 3, 4), True),
        ("weekly", {"schedule_weekday": 3}, dt.date(2026, 3, 4), True),  # a Wednesday
        ("weekly", {"schedule_weekday": 4}, dt.date(2026, 3, 4), False),
        ("monthly", {"schedule_day": 4}, dt.date(2026, 3, 4), True),
        ("monthly", {"schedule_day": 31}, dt.date(2026, 2, 28), True),  # February's last day stands in for the 31st
        ("monthly", {"schedule_day": 31}, dt.date(2026, 2, 27), False),
        ("none", {}, dt.date(2026, 3, 4), False),
    ],
)
def test_due_reports_follow_schedule(schedule: str, values: dict[str, Any], today: dt.date, due: bool) -> None:
    report = factories.make_saved_report(schedule=schedule, **values)
    assert (report.id in saved_schedule.due_reports(today)) is due


def test_scheduled_report_sends_link_only_once_a_day(mail_dir: Path) -> None:
    marker = "QZX-secret-reference-7781"
    complaint = factories.make_complaint()
    complaint.summary = marker
    complaint.save()
    report = scheduled("daily", query="{ complaints { nodes { reference summary } } }", columns=["summary"])
    today = dt.date(2026, 3, 4)
    assert saved_schedule.send_due_reports(today) == {"reports": 1, "messages": 1}
    assert saved_schedule.send_due_reports(today) == {"reports": 0, "messages": 0}
    (mail,) = [m for m in read_mail(mail_dir) if "Report ready to read" in m["Subject"]]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/console/reports/saved/{report.id}" in body
    assert marker not in body and complaint.reference not in body
    assert "token" not in body.lower().split(f"/console/reports/saved/{report.id}")[1][:40]
    assert SavedReport.get_by_id(report.id).last_sent_on == today
    (delivery,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == saved_schedule.EVENT)
    assert delivery.channel == "email"


def test_scheduled_report_skips_recipients_no_longer_staff(mail_dir: Path) -> None:
    report = factories.make_saved_report(schedule="daily")
    leaver = factories.make_staff()
    factories.make_saved_report_recipient(report, leaver)
    leaver.is_active = False
    leaver.save()
    assert saved_schedule.send_due_reports(dt.date(2026, 3, 4)) == {"reports": 0, "messages": 0}
    assert SavedReport.get_by_id(report.id).last_sent_on == dt.date(2026, 3, 4)
    assert not OutboxEvent.select().where(OutboxEvent.name == saved_schedule.EVENT).exists()


def test_periodic_task_sends_due_reports(mail_dir: Path, clock_at: Any) -> None:
    from tasks.reports import send_scheduled_reports

    clock_at(dt.datetime(2026, 3, 4, 9, 0))
    scheduled("daily")
    assert send_scheduled_reports.call_local() == {"reports": 1, "messages": 1}
