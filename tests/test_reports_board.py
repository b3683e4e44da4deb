"""The board report's figures, on hand-built complaints either side of the period's UK boundaries.

The period is the regulator's first quarter of 2025/26: 1 April to 30 June 2025, all in British Summer Time, so
it starts at 23:00 UTC on 31 March and ends at 23:00 UTC on 30 June. The escalation window is 20 working days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Complaint, ComplaintResponse, ComplaintStage, OmbudsmanOrder
from backend.reports import board
from backend.reports.documents import document_from_dict
from backend.reports.periods import parse_period
from tests import factories

Q1 = parse_period("2025/26-Q1")
AS_AT = dt.datetime(2025, 12, 1, 12)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts)


def complaint(received: dt.datetime, **values: Any) -> Any:
    made = factories.make_complaint(received_at=received)
    ComplaintStage.update(opened_at=received).where(
        ComplaintStage.complaint == made.id, ComplaintStage.number == 1
    ).execute()
    if values:
        Complaint.update(**values).where(Complaint.id == made.id).execute()
    return Complaint.get_by_id(made.id)


def answer(made: Any, issued: dt.datetime, stage: int = 1, outcome: str = "not_upheld") -> Any:
    ComplaintStage.update(responded_at=issued).where(
        ComplaintStage.complaint == made.id, ComplaintStage.number == stage
    ).execute()
    return ComplaintResponse.create(
        complaint=made.id, stage=stage, reasons="Reasons.", next_steps="Next.", issued_at=issued, outcome=outcome
    )


def escalate(made: Any, requested: dt.datetime, route: str = "escalated") -> Any:
    Complaint.update(stage=2, status="open", closed_at=None).where(Complaint.id == made.id).execute()
    return ComplaintStage.create(complaint=made.id, number=2, opened_at=requested, entry_route=route)


def test_period_bounds_are_uk_midnights_in_summer_time() -> None:
    assert Q1.start == utc(2025, 3, 31, 23) and Q1.end == utc(2025, 6, 30, 23)


def test_received_counts_complaints_by_the_uk_day_they_were_received() -> None:
    complaint(utc(2025, 3, 31, 23, 30))  # 00:30 on 1 April in the UK: in
    complaint(utc(2025, 3, 31, 22, 30))  # 23:30 on 31 March: out
    complaint(utc(2025, 6, 30, 22, 59))  # 23:59 on 30 June: in
    complaint(utc(2025, 6, 30, 23, 0))  # midnight, 1 July: out
    figures = board.board_figures(Q1, AS_AT)
    assert figures.received == 2


def test_received_includes_refused_and_withdrawn_and_says_how_many() -> None:
    complaint(utc(2025, 4, 2, 9), status="refused", refused_at=utc(2025, 4, 3, 9), refusal_ground="legal_proceedings")
    complaint(utc(2025, 4, 2, 9), status="withdrawn", withdrawn_at=utc(2025, 4, 4, 9))
    complaint(utc(2025, 4, 2, 9))
    figures = board.board_figures(Q1, AS_AT)
    assert (figures.received, figures.received_refused, figures.received_withdrawn) == (3, 1, 1)


def test_escalation_requests_and_direct_investigations_count_when_stage_2_began() -> None:
    last_year = complaint(utc(2025, 2, 1, 9))
    answer(last_year, utc(2025, 3, 1, 9))
    escalate(last_year, utc(2025, 4, 10, 9))  # last year's complaint, escalated in the quarter
    direct = complaint(utc(2025, 4, 10, 9))
    escalate(direct, utc(2025, 4, 11, 9), route="direct")
    late = complaint(utc(2025, 6, 1, 9))
    escalate(late, utc(2025, 6, 30, 23, 30))  # 1 July in the UK
    figures = board.board_figures(Q1, AS_AT)
    assert (figures.escalation_requests, figures.direct_investigations) == (1, 1)


def test_an_answer_not_escalated_within_the_window_is_resolved_at_the_frontline() -> None:
    # Answered on Thursday 1 May 2025: 20 working days (5 and 26 May are bank holidays) end on Monday 2 June.
    made = complaint(utc(2025, 4, 20, 9))
    answer(made, utc(2025, 5, 1, 10))
    figures = board.board_figures(Q1, AS_AT)
    assert (figures.stage1_answered, figures.frontline_resolved, figures.escalated_within_window) == (1, 1, 0)


def test_escalation_on_the_windows_last_uk_day_is_within_it() -> None:
    made = complaint(utc(2025, 4, 20, 9))
    answer(made, utc(2025, 5, 1, 10))
    escalate(made, utc(2025, 6, 2, 22, 30))  # 23:30 on 2 June in the UK
    figures = board.board_figures(Q1, AS_AT)
    assert (figures.frontline_resolved, figures.escalated_within_window) == (0, 1)


def test_escalation_after_the_window_leaves_the_answer_resolved_at_the_frontline() -> None:
    made = complaint(utc(2025, 4, 20, 9))
    answer(made, utc(2025, 5, 1, 10))
    escalate(made, utc(2025, 6, 2, 23, 30))  # 00:30 on 3 June in the UK
    figures = board.board_figures(Q1, AS_AT)
    assert (figures.frontline_resolved, figures.escalated_within_window) == (1, 0)


def test_an_answer_whose_window_is_still_open_waits_unless_resolved_by_agreement() -> None:
    waiting = complaint(utc(2025, 6, 1, 9))
    answer(waiting, utc(2025, 6, 25, 10))
    agreed = complaint(utc(2025, 6, 1, 9))
    answer(agreed, utc(2025, 6, 25, 10), outcome="resolved")
    figures = board.board_figures(Q1, as_at=utc(2025, 7, 1, 9))
    assert (figures.stage1_answered, figures.frontline_resolved, figures.frontline_awaiting_window) == (2, 1, 1)
    assert board.frontline_share(figures) == 100.0
    later = board.board_figures(Q1, AS_AT)
    assert (later.frontline_resolved, later.frontline_awaiting_window) == (2, 0)


def test_answers_outside_the_period_are_not_counted_at_the_frontline() -> None:
    before = complaint(utc(2025, 3, 1, 9))
    answer(before, utc(2025, 3, 31, 22, 30))  # 23:30 on 31 March
    after = complaint(utc(2025, 6, 1, 9))
    answer(after, utc(2025, 6, 30, 23, 30))  # 00:30 on 1 July
    assert board.board_figures(Q1, AS_AT).stage1_answered == 0


def test_under_investigation_counts_stage_2_active_at_the_periods_uk_end() -> None:
    active = complaint(utc(2025, 5, 1, 9))
    escalate(active, utc(2025, 6, 10, 9))
    answered_in_time = complaint(utc(2025, 5, 1, 9))
    escalate(answered_in_time, utc(2025, 6, 10, 9))
    answer(answered_in_time, utc(2025, 6, 30, 22, 30), stage=2)  # 23:30 on 30 June: answered before the end
    answered_after = complaint(utc(2025, 5, 1, 9))
    escalate(answered_after, utc(2025, 6, 10, 9))
    answer(answered_after, utc(2025, 6, 30, 23, 30), stage=2)  # 1 July: still under investigation at the end
    begun_after = complaint(utc(2025, 5, 1, 9))
    escalate(begun_after, utc(2025, 6, 30, 23, 30))
    withdrawn = complaint(utc(2025, 5, 1, 9))
    escalate(withdrawn, utc(2025, 6, 10, 9))
    Complaint.update(withdrawn_at=utc(2025, 6, 20, 9), status="withdrawn").where(Complaint.id == withdrawn.id).execute()
    assert board.board_figures(Q1, AS_AT).under_investigation_at_end == 2


def test_closed_in_the_period_by_outcome_with_lessons_and_actions() -> None:
    upheld = complaint(utc(2025, 4, 1, 9))
    answer(upheld, utc(2025, 5, 1, 9), outcome="upheld")
    Complaint.update(status="closed", closed_at=utc(2025, 6, 2, 9)).where(Complaint.id == upheld.id).execute()
    not_upheld = complaint(utc(2025, 4, 1, 9))
    answer(not_upheld, utc(2025, 5, 1, 9))
    Complaint.update(status="closed", closed_at=utc(2025, 6, 30, 22)).where(Complaint.id == not_upheld.id).execute()
    after = complaint(utc(2025, 4, 1, 9))
    answer(after, utc(2025, 5, 1, 9), outcome="upheld")
    Complaint.update(status="closed", closed_at=utc(2025, 6, 30, 23, 30)).where(Complaint.id == after.id).execute()
    lesson = factories.make_lesson("Repairs booked without the contractor's diary", status="in_progress")
    factories.make_lesson_source(lesson, upheld)
    factories.make_improvement_action(lesson, status="verified")
    factories.make_improvement_action(lesson, status="in_progress")
    factories.make_improvement_action(lesson, status="cancelled")
    hr = factories.make_lesson("A conduct matter", status="analysed", referred_to_hr=True)
    factories.make_lesson_source(hr, upheld)
    cancelled = factories.make_lesson("Not a lesson after all", status="cancelled")
    factories.make_lesson_source(cancelled, not_upheld)
    figures = board.board_figures(Q1, AS_AT)
    assert figures.closed == 2
    assert figures.closed_by_outcome["upheld"] == 1 and figures.closed_by_outcome["not_upheld"] == 1
    assert (figures.closed_with_lesson, figures.lessons) == (1, 2)
    assert (figures.lesson_actions, figures.lesson_actions_finished) == (2, 1)
    listed = board.lesson_rows(Q1)
    assert [(row[1], row[3], row[4]) for row in listed] == [("Repairs booked without the contractor's diary", 2, 1)]


def test_ombudsman_referrals_determinations_and_orders_at_the_periods_end() -> None:
    referred = complaint(
        utc(2025, 1, 5, 9),
        ombudsman_referred_at=utc(2025, 4, 1, 9),
        ombudsman_determination="maladministration",
        ombudsman_determined_at=utc(2025, 6, 1, 9),
    )
    complaint(utc(2025, 1, 5, 9), ombudsman_referred_at=utc(2025, 3, 31, 22))  # 31 March in the UK: out
    overdue = OmbudsmanOrder.create(complaint=referred.id, text="Pay £150.", due_on=dt.date(2025, 6, 30))
    not_due = OmbudsmanOrder.create(complaint=referred.id, text="Apologise.", due_on=dt.date(2025, 7, 15))
    done = OmbudsmanOrder.create(
        complaint=referred.id, text="Repair.", due_on=dt.date(2025, 6, 30), complied_on=dt.date(2025, 6, 30)
    )
    later = OmbudsmanOrder.create(complaint=referred.id, text="Review.", due_on=dt.date(2025, 8, 1))
    for order, made in ((overdue, utc(2025, 6, 2, 9)), (not_due, utc(2025, 6, 2, 9)), (done, utc(2025, 6, 2, 9))):
        OmbudsmanOrder.update(created_at=made).where(OmbudsmanOrder.id == order.id).execute()
    OmbudsmanOrder.update(created_at=utc(2025, 6, 30, 23, 30)).where(OmbudsmanOrder.id == later.id).execute()
    figures = board.board_figures(Q1, AS_AT)
    assert figures.ombudsman_referrals == 1
    assert figures.determinations["maladministration"] == 1 and sum(figures.determinations.values()) == 1
    assert (figures.orders_made, figures.orders_complied) == (3, 1)
    assert (figures.orders_open_at_end, figures.orders_overdue_at_end) == (2, 1)


def test_overdue_actions_at_the_periods_end() -> None:
    lesson = factories.make_lesson(status="in_progress")
    proposed = utc(2025, 4, 1, 9)
    factories.make_improvement_action(lesson, status="in_progress", due_on=dt.date(2025, 6, 30), proposed_at=proposed)
    factories.make_improvement_action(lesson, status="in_progress", due_on=dt.date(2025, 7, 1), proposed_at=proposed)
    factories.make_improvement_action(
        lesson,
        status="done",
        due_on=dt.date(2025, 6, 1),
        proposed_at=proposed,
        completed_at=utc(2025, 6, 30, 22, 30),  # finished on 30 June in the UK
    )
    assert board.board_figures(Q1, AS_AT).overdue_actions_at_end == 1


def test_complaints_by_month_and_service_area_use_uk_months() -> None:
    repairs = factories.make_service_area("Repairs")
    complaint(utc(2025, 4, 30, 23, 30), service_area=repairs.id)  # 1 May in the UK
    complaint(utc(2025, 4, 30, 22, 30), service_area=repairs.id)  # 30 April
    complaint(utc(2025, 4, 2, 9))
    rows = board.received_by_month_and_area(Q1)
    assert rows == [
        (dt.date(2025, 4, 1), None, 1),
        (dt.date(2025, 4, 1), "Repairs", 1),
        (dt.date(2025, 5, 1), "Repairs", 1),
    ]
    document = board.board_document(Q1, "en", AS_AT)
    table = next(t for t in document.tables() if t.code == "by_month_and_area")
    assert table.columns == ("Month", "No service area", "Repairs", "All")
    assert table.rows == (("April 2025", 1, 1, 2), ("May 2025", 0, 1, 1), ("June 2025", 0, 0, 0))


def test_the_document_goes_to_json_and_back_unchanged() -> None:
    made = complaint(utc(2025, 4, 20, 9))
    answer(made, utc(2025, 5, 1, 10))
    document = board.board_document(Q1, "en", AS_AT)
    assert document.figure("received").value == 1 and document.figure("frontline_resolved").text == "1"
    assert document_from_dict(document.as_dict()) == document
    assert [s.code for s in document.sections][-1] == "signals" and document.sections[-1].slot


@pytest.mark.parametrize("locale", ["cy", "ar"])
def test_the_document_is_written_in_its_language(locale: str) -> None:
    document = board.board_document(Q1, locale, AS_AT)
    assert document.locale == locale and document.period_code == "2025/26-Q1"


def test_imported_signals_stand_beside_the_complaints_by_area_and_month() -> None:
    from backend.complaints.models import ServiceArea
    from tests.factories import make_signal_count

    made = complaint(utc(2025, 4, 20, 9))
    signal = make_signal_count(dt.date(2025, 4, 1), "damp_mould", 12)
    Complaint.update(service_area=signal.service_area_id).where(Complaint.id == made.id).execute()
    make_signal_count(dt.date(2025, 7, 1), "damp_mould", 99)  # after the quarter
    area = ServiceArea.get_by_id(signal.service_area_id).name
    document = board.board_document(Q1, "en", AS_AT)
    section = document.sections[-1]
    assert not section.slot
    by_area = next(t for t in section.tables if t.code == "signals_by_area")
    assert by_area.columns == (
        "Service area",
        "Complaints",
        "Disrepair claims",
        "Damp and mould cases",
        "Insurance claims",
    )
    assert (area, 1, 0, 12, 0) in by_area.rows
    by_month = next(t for t in section.tables if t.code == "signals_by_month")
    assert by_month.rows[0] == ("April 2025", 1, 0, 12, 0) and by_month.rows[1] == ("May 2025", 0, 0, 0, 0)
