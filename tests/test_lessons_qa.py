"""The monthly lessons QA: each figure's numerator and denominator, the UK month's edges, and the monthly run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Complaint, ComplaintPoint, ComplaintResponse, PointDecision
from backend.context import SYSTEM
from backend.errors import Invalid, NotAllowed
from backend.events.models import OutboxEvent
from backend.lessons import qa
from backend.lessons.models import QaReport
from tests.factories import (
    actor_of,
    make_closure_day,
    make_complaint,
    make_due_date_change,
    make_improvement_action,
    make_lesson,
    make_lesson_source,
    make_no_lesson_decision,
    make_user,
)

JULY = dt.date(2026, 7, 1)  # in British Summer Time: starts 30 June 23:00 UTC, ends 31 July 23:00 UTC
MARCH = dt.date(2026, 3, 1)  # the clocks go forward on 29 March


def closed_complaint(closed_at: dt.datetime, decision: str = "upheld", status: str = "closed") -> Any:
    """A complaint answered with one point decided so, ended at ``closed_at`` (UTC)."""
    complaint = make_complaint()
    point = ComplaintPoint.create(complaint=complaint.id, position=1, text="The tap leaks.")
    response = ComplaintResponse.create(
        complaint=complaint.id, stage=1, reasons="Reasons.", next_steps="Next.", issued_at=closed_at
    )
    PointDecision.create(response=response.id, point=point.id, decision=decision)
    Complaint.update(status=status, closed_at=closed_at).where(Complaint.id == complaint.id).execute()
    return Complaint.get_by_id(complaint.id)


def determined(at: dt.datetime, finding: str = "maladministration") -> Any:
    complaint = make_complaint()
    Complaint.update(ombudsman_determination=finding, ombudsman_determined_at=at).where(
        Complaint.id == complaint.id
    ).execute()
    return Complaint.get_by_id(complaint.id)


def smart_action(lesson: Any, **values: Any) -> Any:
    fields: dict[str, Any] = {
        "owner": make_user("staff").id,
        "measure": "Missed appointments a month",
        "target": "Under 5",
        "due_on": dt.date(2026, 9, 1),
        "first_due_on": dt.date(2026, 9, 1),
        "authorised_at": dt.datetime(2026, 7, 2, 9),
        "status": "authorised",
    }
    fields.update(values)
    return make_improvement_action(lesson, **fields)


# --- The month --------------------------------------------------------------------------------------------------


def test_month_of_summer_month_starts_an_hour_early_in_utc() -> None:
    month = qa.month_of(JULY)
    assert (month.start, month.end, month.last) == (
        dt.datetime(2026, 6, 30, 23),
        dt.datetime(2026, 7, 31, 23),
        dt.date(2026, 7, 31),
    )


def test_month_of_march_ends_in_summer_time() -> None:
    month = qa.month_of(MARCH)
    assert (month.start, month.end) == (dt.datetime(2026, 3, 1, 0), dt.datetime(2026, 3, 31, 23))


@pytest.mark.parametrize("month", ["2026-13", "2026-7", "July", "", "2026-07-01", "9999-01"])
def test_compute_report_bad_month_is_invalid(month: str) -> None:
    with pytest.raises(Invalid) as raised:
        qa.compute_report(SYSTEM, month)
    assert raised.value.field == "month"


# --- Transfer -------------------------------------------------------------------------------------------------


def test_figures_upheld_complaint_without_lesson_fails_transfer() -> None:
    complaint = closed_complaint(dt.datetime(2026, 7, 10, 12))
    counted = qa.figures(JULY)
    assert (counted["transfer_met"], counted["transfer_due"]) == (0, 1)
    assert counted["failing"]["transfer_complaints"] == [complaint.id]


def test_figures_upheld_complaint_with_lesson_meets_transfer() -> None:
    complaint = closed_complaint(dt.datetime(2026, 7, 10, 12), decision="partly_upheld")
    make_lesson_source(make_lesson(), complaint)
    counted = qa.figures(JULY)
    assert (counted["transfer_met"], counted["transfer_due"]) == (1, 1)


def test_figures_no_lesson_decision_meets_transfer() -> None:
    complaint = closed_complaint(dt.datetime(2026, 7, 10, 12))
    make_no_lesson_decision(complaint)
    assert qa.figures(JULY)["transfer_met"] == 1


def test_figures_cancelled_lesson_does_not_meet_transfer() -> None:
    complaint = closed_complaint(dt.datetime(2026, 7, 10, 12))
    make_lesson_source(make_lesson(status="cancelled", end_reason="A duplicate."), complaint)
    assert qa.figures(JULY)["failing"]["transfer_complaints"] == [complaint.id]


@pytest.mark.parametrize(
    ("decision", "status"), [("not_upheld", "closed"), ("resolved", "closed"), ("upheld", "responded")]
)
def test_figures_complaint_not_upheld_or_not_closed_is_not_due(decision: str, status: str) -> None:
    closed_complaint(dt.datetime(2026, 7, 10, 12), decision=decision, status=status)
    assert qa.figures(JULY)["transfer_due"] == 0


def test_figures_complaint_closed_after_midnight_uk_counts_in_the_next_month() -> None:
    # 30 June 23:30 UTC is 1 July 00:30 in London.
    complaint = closed_complaint(dt.datetime(2026, 6, 30, 23, 30))
    assert qa.figures(dt.date(2026, 6, 1))["transfer_due"] == 0
    assert qa.figures(JULY)["failing"]["transfer_complaints"] == [complaint.id]


def test_figures_adverse_determination_without_lesson_fails_transfer() -> None:
    complaint = determined(dt.datetime(2026, 7, 3, 10), "severe_maladministration")
    counted = qa.figures(JULY)
    assert (counted["transfer_due"], counted["failing"]["transfer_ombudsman"]) == (1, [complaint.id])


@pytest.mark.parametrize("finding", ["no_maladministration", "outside_jurisdiction", "reasonable_redress"])
def test_figures_determination_without_failing_is_not_due(finding: str) -> None:
    determined(dt.datetime(2026, 7, 3, 10), finding)
    assert qa.figures(JULY)["transfer_due"] == 0


def test_figures_determination_lesson_source_meets_transfer() -> None:
    complaint = determined(dt.datetime(2026, 7, 3, 10), "service_failure")
    source = make_lesson_source(make_lesson(), complaint)
    source.kind = "ombudsman_determination"
    source.save()
    assert qa.figures(JULY)["transfer_met"] == 1


def test_figures_no_lesson_decision_before_the_determination_does_not_meet_it(clock_at: Any) -> None:
    complaint = determined(dt.datetime(2026, 7, 3, 10))
    clock_at(dt.datetime(2026, 6, 1, 10))
    make_no_lesson_decision(complaint)
    assert qa.figures(JULY)["failing"]["transfer_ombudsman"] == [complaint.id]


# --- SMART ------------------------------------------------------------------------------------------------------


def test_figures_analysed_lesson_without_action_fails_smart() -> None:
    lesson = make_lesson(status="analysed", identified_on=dt.date(2026, 7, 1))
    counted = qa.figures(JULY)
    assert (counted["smart_met"], counted["smart_due"], counted["failing"]["smart"]) == (0, 1, [lesson.id])


def test_figures_lesson_with_smart_action_meets_smart() -> None:
    lesson = make_lesson(status="in_progress", identified_on=dt.date(2026, 7, 1))
    smart_action(lesson)
    assert (qa.figures(JULY)["smart_met"], qa.figures(JULY)["smart_due"]) == (1, 1)


@pytest.mark.parametrize(
    "missing",
    [
        {"owner": None},
        {"measure": " "},
        {"target": ""},
        {"due_on": None},
        {"authorised_at": None},
        {"status": "cancelled"},
    ],
)
def test_figures_action_missing_a_smart_part_fails_smart(missing: dict[str, Any]) -> None:
    lesson = make_lesson(status="actions_agreed", identified_on=dt.date(2026, 7, 1))
    smart_action(lesson, **missing)
    assert qa.figures(JULY)["failing"]["smart"] == [lesson.id]


@pytest.mark.parametrize("status", ["identified", "cancelled", "merged"])
def test_figures_lesson_not_needing_action_is_not_due(status: str) -> None:
    make_lesson(status=status, identified_on=dt.date(2026, 7, 1))
    assert qa.figures(JULY)["smart_due"] == 0


def test_figures_lesson_identified_after_the_month_is_not_due() -> None:
    make_lesson(status="analysed", identified_on=dt.date(2026, 8, 1))
    assert qa.figures(JULY)["smart_due"] == 0


# --- On time ----------------------------------------------------------------------------------------------------


def test_figures_action_completed_late_evening_on_due_day_is_on_time() -> None:
    # 10 July 22:30 UTC is 23:30 in London: still the due day.
    smart_action(make_lesson(), first_due_on=dt.date(2026, 7, 10), completed_at=dt.datetime(2026, 7, 10, 22, 30))
    counted = qa.figures(JULY)
    assert (counted["on_time_met"], counted["on_time_due"]) == (1, 1)


def test_figures_action_completed_after_midnight_uk_is_late() -> None:
    # 10 July 23:30 UTC is 00:30 on 11 July in London.
    action = smart_action(
        make_lesson(), first_due_on=dt.date(2026, 7, 10), completed_at=dt.datetime(2026, 7, 10, 23, 30)
    )
    assert qa.figures(JULY)["failing"]["on_time"] == [action.id]


def test_figures_on_time_measures_against_the_first_due_date() -> None:
    action = smart_action(
        make_lesson(),
        first_due_on=dt.date(2026, 7, 5),
        due_on=dt.date(2026, 7, 20),
        completed_at=dt.datetime(2026, 7, 15, 9),
    )
    assert qa.figures(JULY)["failing"]["on_time"] == [action.id]


def test_figures_action_never_authorised_is_not_on_time() -> None:
    action = smart_action(make_lesson(), first_due_on=None, completed_at=dt.datetime(2026, 7, 15, 9))
    assert qa.figures(JULY)["failing"]["on_time"] == [action.id]


def test_figures_no_action_completed_gives_no_on_time_rate() -> None:
    qa.compute_report(SYSTEM, JULY)
    report = QaReport.get(QaReport.month == JULY)
    assert (report.on_time_due, qa.rates(report)["on_time"]) == (0, None)


# --- Overdue ----------------------------------------------------------------------------------------------------


def test_figures_open_action_due_on_the_last_day_is_overdue() -> None:
    action = smart_action(make_lesson(), due_on=dt.date(2026, 7, 31), proposed_at=dt.datetime(2026, 7, 1, 9))
    assert qa.figures(JULY)["failing"]["overdue"] == [action.id]


def test_figures_action_due_next_month_is_not_overdue() -> None:
    smart_action(make_lesson(), due_on=dt.date(2026, 8, 1), proposed_at=dt.datetime(2026, 7, 1, 9))
    assert qa.figures(JULY)["overdue_count"] == 0


def test_figures_action_completed_after_the_month_was_overdue_at_its_end() -> None:
    action = smart_action(
        make_lesson(),
        status="done",
        due_on=dt.date(2026, 7, 20),
        proposed_at=dt.datetime(2026, 7, 1, 9),
        completed_at=dt.datetime(2026, 8, 2, 9),
    )
    assert qa.figures(JULY)["failing"]["overdue"] == [action.id]


@pytest.mark.parametrize("status", ["cancelled", "done", "signed_off", "verified"])
def test_figures_closed_action_is_not_overdue(status: str) -> None:
    smart_action(
        make_lesson(),
        status=status,
        due_on=dt.date(2026, 7, 20),
        proposed_at=dt.datetime(2026, 7, 1, 9),
        completed_at=None if status == "cancelled" else dt.datetime(2026, 7, 25, 9),
    )
    assert qa.figures(JULY)["overdue_count"] == 0


def test_figures_due_date_moved_after_the_month_counts_as_it_stood(clock_at: Any) -> None:
    action = smart_action(make_lesson(), due_on=dt.date(2026, 9, 30), proposed_at=dt.datetime(2026, 7, 1, 9))
    clock_at(dt.datetime(2026, 8, 3, 9))
    change = make_due_date_change(action)
    change.from_date, change.to_date = dt.date(2026, 7, 15), dt.date(2026, 9, 30)
    change.save()
    assert qa.figures(JULY)["failing"]["overdue"] == [action.id]


# --- Effectiveness ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("effect", "met"), [("addressed", 1), ("partly", 0), ("not_addressed", 0)])
def test_figures_effectiveness_counts_only_addressed(effect: str, met: int) -> None:
    smart_action(make_lesson(), status="verified", verified_at=dt.datetime(2026, 7, 20, 9), effect=effect)
    counted = qa.figures(JULY)
    assert (counted["effective_met"], counted["effective_due"]) == (met, 1)


def test_figures_action_verified_in_another_month_is_not_counted() -> None:
    smart_action(make_lesson(), status="verified", verified_at=dt.datetime(2026, 7, 31, 23, 30), effect="addressed")
    assert qa.figures(JULY)["effective_due"] == 0


def test_rate_zero_denominator_is_no_items() -> None:
    assert (qa.rate(0, 0), qa.rate(0, 4), qa.rate(3, 4)) == (None, 0.0, 75.0)


# --- Computing and sending --------------------------------------------------------------------------------------


def test_compute_report_by_staff_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        qa.compute_report(actor_of(make_user("staff")), JULY)


def test_compute_report_again_replaces_the_figures() -> None:
    manager = make_user("manager")
    first = qa.compute_report(actor_of(manager), JULY)
    closed_complaint(dt.datetime(2026, 7, 10, 12))
    again = qa.compute_report(actor_of(manager), "2026-07")
    assert (again.id, again.transfer_due, QaReport.select().count()) == (first.id, 1, 1)


def test_send_report_sends_once_to_each_manager() -> None:
    managers = [make_user("manager"), make_user("manager")]
    make_user("staff")
    report = qa.compute_report(SYSTEM, JULY)
    assert (qa.send_report(report.id), qa.send_report(report.id)) == (True, False)
    sent = OutboxEvent.select().where(OutboxEvent.name == "lessons.qa_report")
    assert sorted(event.payload["recipient_id"] for event in sent) == sorted(m.id for m in managers)


def test_run_monthly_before_the_first_working_day_does_nothing(clock_at: Any) -> None:
    clock_at(dt.datetime(2027, 1, 2, 9))
    # 1 January 2027 is a bank holiday, then a weekend: the first working day is Monday 4 January.
    assert qa.run_monthly(SYSTEM, dt.date(2027, 1, 2)) == {"month": None, "sent": False}
    assert QaReport.select().count() == 0


def test_run_monthly_on_the_first_working_day_sends_once(clock_at: Any) -> None:
    make_user("manager")
    clock_at(dt.datetime(2027, 1, 4, 9))
    assert qa.run_monthly(SYSTEM, dt.date(2027, 1, 4)) == {"month": "2026-12-01", "sent": True}
    assert qa.run_monthly(SYSTEM, dt.date(2027, 1, 4)) == {"month": "2026-12-01", "sent": False}
    assert OutboxEvent.select().where(OutboxEvent.name == "lessons.qa_report").count() == 1


def test_run_monthly_skips_a_closure_day(clock_at: Any) -> None:
    make_closure_day(dt.date(2026, 6, 1))
    clock_at(dt.datetime(2026, 6, 1, 9))
    assert qa.run_monthly(SYSTEM, dt.date(2026, 6, 1))["month"] is None
    assert qa.run_monthly(SYSTEM, dt.date(2026, 6, 2))["sent"] is True


def test_run_monthly_after_a_manager_computed_still_sends(clock_at: Any) -> None:
    make_user("manager")
    clock_at(dt.datetime(2026, 8, 3, 9))
    qa.compute_report(actor_of(make_user("manager")), JULY)
    assert qa.run_monthly(SYSTEM, dt.date(2026, 8, 3))["sent"] is True


def test_monthly_task_runs_the_monthly_qa(clock_at: Any) -> None:
    from tasks.lesson_qa import monthly_lesson_qa

    clock_at(dt.datetime(2026, 8, 3, 9))
    assert monthly_lesson_qa.call_local() == {"month": "2026-07-01", "sent": True}


@pytest.mark.parametrize("rows", [1, 20])
def test_figures_take_the_same_statements_however_many_rows(rows: int) -> None:
    from backend.db import count_statements

    for n in range(rows):
        closed_complaint(dt.datetime(2026, 7, 10, 12) + dt.timedelta(minutes=n))
        smart_action(make_lesson(status="analysed"), completed_at=dt.datetime(2026, 7, 11, 9))
    with count_statements() as statements:
        counted = qa.figures(JULY)
    assert counted["transfer_due"] == rows
    # Six lists of failing ids and five denominators (the overdue count is its list's length).
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 12


def test_report_message_says_no_items_for_an_empty_rate() -> None:
    from backend.lessons.qa_messages import report_values

    closed_complaint(dt.datetime(2026, 7, 10, 12))
    report = qa.compute_report(SYSTEM, JULY)
    values = report_values({"report_id": report.id}, None, "en")
    assert (values["month"], values["transfer"], values["on_time"]) == ("July 2026", "0 of 1", "no items")
