"""The annual report's analysis against hand counts: by stage and category, outcomes, timeliness, extensions, mean
and median working days, escalations, the Ombudsman, remedies, refusals and improvements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from backend.complaints.models import Complaint, ComplaintResponse, OmbudsmanOrder, Remedy
from backend.reports import annual
from backend.reports.periods import regulator_year
from backend.workdays import add_working_days
from tests.factories import make_category, make_improvement_action, make_lesson, make_staff
from tests.test_reports_tsm_complaints import at, complaint, escalate

YEAR = regulator_year(2025)
ACK = dt.date(2025, 6, 2)


def respond(made: Complaint, stage: int, on: dt.date, outcome: str = "upheld") -> ComplaintResponse:
    return ComplaintResponse.create(
        complaint=made.id, stage=stage, reasons="R.", next_steps="N.", outcome=outcome, issued_at=at(on, 15)
    )


def test_received_refused_and_withdrawn_by_stage_and_category() -> None:
    repairs, noise = make_category("Repairs"), make_category("Noise")
    for category in (repairs, repairs, noise):
        made = complaint(dt.date(2025, 6, 2))
        Complaint.update(category=category.id).where(Complaint.id == made.id).execute()
    refused = complaint(dt.date(2025, 6, 3))
    Complaint.update(category=repairs.id, status="refused", refusal_ground="over_twelve_months",
                     refused_at=at(dt.date(2025, 6, 4))).where(Complaint.id == refused.id).execute()  # fmt: skip
    withdrawn = complaint(dt.date(2025, 6, 3))
    Complaint.update(category=noise.id, status="withdrawn").where(Complaint.id == withdrawn.id).execute()
    rows = {(row.stage, row.category): (row.received, row.refused, row.withdrawn) for row in annual.by_category(YEAR)}
    assert rows == {(1, "Noise"): (2, 0, 1), (1, "Repairs"): (3, 1, 0)}
    assert annual.refusals(YEAR) == {"over_twelve_months": 1}


def test_outcomes_by_stage() -> None:
    made = complaint(dt.date(2025, 6, 2))
    respond(made, 1, dt.date(2025, 6, 10), "not_upheld")
    other = complaint(dt.date(2025, 6, 2))
    respond(other, 1, dt.date(2025, 6, 10), "partly_upheld")
    respond(other, 2, dt.date(2025, 7, 30), "upheld")
    assert annual.outcomes(YEAR) == {1: {"not_upheld": 1, "partly_upheld": 1}, 2: {"upheld": 1}}


def test_acknowledged_within_five_working_days() -> None:
    opened = dt.date(2025, 5, 22)  # Thursday; 26 May is a bank holiday, so 5 working days end on 30 May
    complaint(opened, acknowledged=dt.date(2025, 5, 30))
    complaint(opened, acknowledged=dt.date(2025, 6, 2))
    figure = annual.acknowledged_on_time(YEAR, 1)
    assert (figure.numerator, figure.denominator, figure.published) == (1, 2, "50.0")


def test_mean_and_median_working_days_and_extensions() -> None:
    due = add_working_days(ACK, 10, "england")
    for days, extension in ((10, 0), (11, 0), (18, 10), (21, 10)):
        complaint(
            dt.date(2025, 5, 30),
            acknowledged=ACK,
            responded=add_working_days(ACK, days, "england"),
            extended_days=extension,
            extension_told_on=due if extension else None,
            extension_ombudsman_details_given=bool(extension),
        )
    times = annual.response_times(YEAR, 1)
    assert times.responded == 4 and times.in_time.published == "50.0"
    assert (times.mean_days, times.median_days) == (Decimal("15.0"), Decimal("14.5"))
    assert (times.extended.numerator, times.extended_beyond_cap) == (2, 0)


def test_the_median_of_an_odd_count_is_the_middle_one() -> None:
    for days in (3, 9, 4):
        complaint(dt.date(2025, 5, 30), acknowledged=ACK, responded=add_working_days(ACK, days, "england"))
    assert annual.response_times(YEAR, 1).median_days == Decimal("4.0")
    assert annual.response_times(YEAR, 2).median_days is None


def test_escalation_rate_follows_stage_1_responses_of_the_period() -> None:
    escalated = complaint(dt.date(2025, 5, 1), acknowledged=dt.date(2025, 5, 2), responded=dt.date(2025, 5, 9))
    escalate(escalated, dt.date(2025, 5, 20))
    complaint(dt.date(2025, 5, 1), acknowledged=dt.date(2025, 5, 2), responded=dt.date(2025, 5, 9))
    complaint(dt.date(2025, 5, 1), acknowledged=dt.date(2025, 5, 2), responded=dt.date(2025, 5, 9))
    complaint(dt.date(2025, 2, 1), acknowledged=dt.date(2025, 2, 3), responded=dt.date(2025, 2, 10))  # last year
    figure = annual.escalation_rate(YEAR)
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_ombudsman_cases_findings_and_orders() -> None:
    made = complaint(dt.date(2025, 5, 1))
    Complaint.update(
        ombudsman_referred_at=at(dt.date(2025, 7, 1)),
        ombudsman_determination="maladministration",
        ombudsman_determined_at=at(dt.date(2025, 11, 1)),
    ).where(Complaint.id == made.id).execute()
    for due, complied in ((dt.date(2025, 12, 1), dt.date(2025, 11, 20)), (dt.date(2026, 1, 5), None),
                          (dt.date(2026, 6, 1), None)):  # fmt: skip
        OmbudsmanOrder.create(complaint=made.id, text="Apologise.", due_on=due, complied_on=complied,
                              created_at=at(dt.date(2025, 11, 1)))  # fmt: skip
    found = annual.ombudsman(YEAR)
    assert (found.referred, found.determinations) == (1, {"maladministration": 1})
    assert (found.orders_made, found.orders_complied, found.orders_outstanding, found.orders_overdue) == (3, 1, 2, 1)


def test_remedies_and_compensation_offered_and_paid() -> None:
    made = complaint(dt.date(2025, 5, 1))
    response = respond(made, 1, dt.date(2025, 5, 15))
    owner = make_staff()
    for kind, amount, done in (("financial_redress", "150.00", True), ("financial_redress", "75.50", False),
                               ("apology", None, True)):  # fmt: skip
        Remedy.create(complaint=made.id, response=response.id, kind=kind, description="D.", amount=amount,
                      owner=owner.id, due_on=dt.date(2025, 6, 1),
                      completed_at=at(dt.date(2025, 5, 20)) if done else None)  # fmt: skip
    found = annual.remedies(YEAR)
    assert found.by_kind == {"financial_redress": 2, "apology": 1}
    assert (found.compensation_offered, found.compensation_paid) == (Decimal("225.50"), Decimal("150.00"))


def test_improvements_made_from_learning() -> None:
    lesson = make_lesson(status="closed")
    make_improvement_action(lesson, status="verified", verified_at=at(dt.date(2025, 9, 1)))
    make_improvement_action(lesson, status="signed_off", signed_off_at=at(dt.date(2025, 8, 1)))
    make_improvement_action(lesson, status="done", completed_at=at(dt.date(2025, 8, 1)))
    make_improvement_action(lesson, status="verified", verified_at=at(dt.date(2024, 9, 1)))
    found = annual.improvements(YEAR)
    assert found.actions_finished == 2
    assert [item.finished_at.date() for item in found.listed] == [dt.date(2025, 9, 1), dt.date(2025, 8, 1)]
    assert found.listed[0].lesson_reference == lesson.reference


def test_the_whole_analysis_runs_on_an_empty_year() -> None:
    found = annual.analyse(YEAR)
    assert found.escalation.value is None and found.times[1].mean_days is None
    assert found.remedies.compensation_offered == Decimal("0.00")
