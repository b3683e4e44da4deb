"""TSM CH01 and CH02 against hand calculations: the issue's worked examples, year boundaries in UK time, stage 2
escalations of last year's complaints, refusals, withdrawals, extensions told late, and bank holidays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Complaint, ComplaintStage, Contact
from backend.reports import tsm_complaints
from backend.reports.periods import parse_period, regulator_year, uk_midnight
from backend.workdays import add_working_days
from tests.factories import make_complaint, make_home, make_stock_count, make_user

YEAR = regulator_year(2025)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A stored moment on a UK day."""
    return uk_midnight(day) + dt.timedelta(hours=hour)


def complaint(
    received: dt.date,
    *,
    tenure: str | None = "rented",
    nation: str = "england",
    acknowledged: dt.date | None = None,
    responded: dt.date | None = None,
    **stage_values: Any,
) -> Any:
    """A complaint received on a UK day, its stage 1 acknowledged and answered on the days given."""
    resident = make_user(home=make_home(nation=nation, tenure=tenure or "rented"))
    made = make_complaint(resident)
    Contact.update(received_at=at(received)).where(Contact.id == made.contact_id).execute()
    if tenure is None:
        Complaint.update(home=None).where(Complaint.id == made.id).execute()
    values = {"opened_at": at(received), **stage_values}
    if acknowledged:
        values["acknowledged_at"] = at(acknowledged)
    if responded:
        values["responded_at"] = at(responded, 15)
    ComplaintStage.update(values).where(ComplaintStage.complaint == made.id).execute()
    return Complaint.get_by_id(made.id)


def escalate(made: Any, requested: dt.date, acknowledged: dt.date | None = None, responded: dt.date | None = None,
             **values: Any) -> Any:  # fmt: skip
    """Open stage 2 on the day the escalation was asked for."""
    stage = ComplaintStage.create(
        complaint=made.id,
        number=2,
        opened_at=at(requested),
        acknowledged_at=at(acknowledged) if acknowledged else None,
        responded_at=at(responded, 15) if responded else None,
        **values,
    )
    Complaint.update(stage=2).where(Complaint.id == made.id).execute()
    return stage


def figures(period: Any = YEAR, tenure: str | None = "rented") -> Any:
    report = tsm_complaints.compute(period)
    return next(found for found in report.tenures if found.tenure == tenure), report


# --- The worked examples ---------------------------------------------------------------------------------


def test_ch01_worked_example() -> None:
    make_stock_count(year=2025, homes=2000)
    for n in range(45):
        made = complaint(dt.date(2025, 5, 1) + dt.timedelta(days=n))
        if n < 6:
            escalate(made, dt.date(2025, 9, 1) + dt.timedelta(days=n))
    found, _ = figures()
    assert (found.ch01[1].numerator, found.ch01[1].denominator) == (45, 2000)
    assert found.ch01[1].published == "22.5" and found.ch01[1].value == 22.5
    assert found.ch01[2].published == "3.0"


def test_ch02_worked_example() -> None:
    acknowledged = dt.date(2025, 6, 2)  # a Monday, with no bank holiday in the next five weeks
    due = add_working_days(acknowledged, 10, "england")
    cases = [(10, 0), (11, 0), (18, 10), (21, 10)]
    for days, extension in cases:
        complaint(
            dt.date(2025, 5, 30),
            acknowledged=acknowledged,
            responded=add_working_days(acknowledged, days, "england"),
            extended_days=extension,
            extension_told_on=due - dt.timedelta(days=2) if extension else None,
            extension_ombudsman_details_given=bool(extension),
        )
    found, _ = figures()
    assert (found.ch02[1].numerator, found.ch02[1].denominator) == (2, 4)
    assert found.ch02[1].published == "50.0"
    rows = {row["working_days"]: row["in_time"] for row in tsm_complaints.responded(YEAR, 1).dicts()}
    assert rows == {10: 1, 11: 0, 18: 1, 21: 0}


# --- CH01 ----------------------------------------------------------------------------------------------------------


def test_ch01_counts_by_uk_date_at_the_year_boundaries() -> None:
    make_stock_count(year=2025, homes=1000)
    # 31 March 2025 23:30 UTC is 1 April 00:30 in British Summer Time: in 2025/26.
    inside = complaint(dt.date(2025, 4, 1))
    ContactStage = ComplaintStage
    ContactStage.update(opened_at=dt.datetime(2025, 3, 31, 23, 30)).where(ContactStage.complaint == inside.id).execute()
    before = complaint(dt.date(2025, 3, 31))
    ContactStage.update(opened_at=dt.datetime(2025, 3, 31, 22, 59)).where(ContactStage.complaint == before.id).execute()
    complaint(dt.date(2026, 3, 31))  # the year's last day
    complaint(dt.date(2026, 4, 1))  # the next year's first
    found, _ = figures()
    assert found.ch01[1].numerator == 2


def test_last_years_complaint_escalated_this_year_counts_in_this_years_ch01_2() -> None:
    make_stock_count(year=2025, homes=1000)
    made = complaint(dt.date(2025, 2, 10), acknowledged=dt.date(2025, 2, 11), responded=dt.date(2025, 2, 20))
    escalate(made, dt.date(2025, 4, 3))
    found, _ = figures()
    assert (found.ch01[1].numerator, found.ch01[2].numerator) == (0, 1)
    last, _ = figures(regulator_year(2024))
    assert (last.ch01[1].numerator, last.ch01[2].numerator) == (1, 0)


def test_refused_complaints_are_left_out_and_listed_and_withdrawn_ones_count() -> None:
    make_stock_count(year=2025, homes=1000)
    complaint(dt.date(2025, 6, 1))
    refused = complaint(dt.date(2025, 6, 2))
    Complaint.update(status="refused", refusal_ground="over_twelve_months", refused_at=at(dt.date(2025, 6, 3))).where(
        Complaint.id == refused.id
    ).execute()
    withdrawn = complaint(dt.date(2025, 6, 4))
    Complaint.update(status="withdrawn", withdrawn_at=at(dt.date(2025, 6, 5))).where(
        Complaint.id == withdrawn.id
    ).execute()
    # Answered at stage 1, then its escalation refused: stage 1 counts, no stage 2 opened.
    escalation = complaint(dt.date(2025, 6, 6), acknowledged=dt.date(2025, 6, 9), responded=dt.date(2025, 6, 16))
    Complaint.update(status="refused", refusal_ground="over_twelve_months", refused_at=at(dt.date(2025, 7, 1))).where(
        Complaint.id == escalation.id
    ).execute()
    found, report = figures()
    assert found.ch01[1].numerator == 3
    assert report.refused == {1: 1, 2: 0}
    assert report.withdrawn[1] == 1
    assert report.refused_escalations == 1


def test_tenures_are_apart_and_complaints_without_a_home_are_an_exception() -> None:
    make_stock_count(year=2025, tenure="rented", homes=2000)
    make_stock_count(year=2025, tenure="shared_ownership", homes=500)
    complaint(dt.date(2025, 6, 1), tenure="rented")
    complaint(dt.date(2025, 6, 1), tenure="shared_ownership")
    complaint(dt.date(2025, 6, 1), tenure="shared_ownership")
    complaint(dt.date(2025, 6, 1), tenure=None)
    complaint(dt.date(2025, 6, 1), nation="scotland")  # not an English home: not a TSM
    rented, report = figures(tenure="rented")
    owned, _ = figures(tenure="shared_ownership")
    both, _ = figures(tenure=None)
    assert (rented.ch01[1].numerator, rented.ch01[1].published) == (1, "0.5")
    assert (owned.ch01[1].numerator, owned.ch01[1].published) == (2, "4.0")
    assert (both.ch01[1].numerator, both.ch01[1].denominator) == (3, 2500)
    assert report.no_home_received[1] == 1


def test_without_homes_entered_ch01_has_no_value() -> None:
    complaint(dt.date(2025, 6, 1))
    found, _ = figures()
    assert found.ch01[1].numerator == 1 and found.ch01[1].value is None and found.ch01[1].published is None
    both, _ = figures(tenure=None)
    assert both.ch01[1].denominator is None  # one tenure's homes are not all the homes


# --- CH02 ----------------------------------------------------------------------------------------------------------


def test_a_response_counts_in_the_year_it_was_issued_whatever_the_receipt() -> None:
    complaint(dt.date(2025, 3, 20), acknowledged=dt.date(2025, 3, 21), responded=dt.date(2025, 4, 2))
    complaint(dt.date(2026, 3, 20), acknowledged=dt.date(2026, 3, 23), responded=dt.date(2026, 4, 2))
    complaint(dt.date(2025, 6, 1))  # not answered: in neither part
    found, _ = figures()
    assert found.ch02[1].denominator == 1


def test_bank_holidays_are_not_working_days_and_closure_days_are() -> None:
    from tests.factories import make_closure_day

    # Acknowledged Thursday 17 April 2025: Good Friday, Easter Monday and the early May bank holiday (5 May) are
    # not working days, so the tenth working day is Tuesday 6 May.
    acknowledged = dt.date(2025, 4, 17)
    make_closure_day(dt.date(2025, 4, 30))  # the landlord's own closure moves nothing
    complaint(dt.date(2025, 4, 16), acknowledged=acknowledged, responded=dt.date(2025, 5, 6))
    complaint(dt.date(2025, 4, 16), acknowledged=acknowledged, responded=dt.date(2025, 5, 7))
    rows = sorted(row["working_days"] for row in tsm_complaints.responded(YEAR, 1).dicts())
    assert rows == [10, 11]
    found, _ = figures()
    assert (found.ch02[1].numerator, found.ch02[1].denominator) == (1, 2)


@pytest.mark.parametrize(
    ("nation", "holiday"),
    [
        ("england", dt.date(2025, 8, 25)),  # the summer bank holiday in England, Wales and Northern Ireland
        ("scotland", dt.date(2025, 8, 4)),  # Scotland's is the first Monday in August
        ("northern_ireland", dt.date(2025, 7, 14)),  # the Battle of the Boyne (substitute day)
        ("wales", dt.date(2025, 8, 25)),
    ],
)
def test_each_nations_bank_holidays_in_the_calendar(nation: str, holiday: dt.date) -> None:
    from backend.reports.models import UkDay

    day_before = UkDay.get_by_id(holiday - dt.timedelta(days=3))  # the Friday before
    on_day = UkDay.get_by_id(holiday)
    assert getattr(on_day, nation) == getattr(day_before, nation)  # the Monday holiday adds no working day


def test_an_extension_told_after_the_original_due_date_is_not_allowed() -> None:
    acknowledged = dt.date(2025, 6, 2)
    due = add_working_days(acknowledged, 10, "england")
    for told in (due, due + dt.timedelta(days=1)):
        complaint(
            dt.date(2025, 5, 30),
            acknowledged=acknowledged,
            responded=add_working_days(acknowledged, 15, "england"),
            extended_days=10,
            extension_told_on=told,
            extension_ombudsman_details_given=True,
        )
    rows = sorted((row["extension_allowed"], row["in_time"]) for row in tsm_complaints.responded(YEAR, 1).dicts())
    assert rows == [(0, 0), (10, 1)]


def test_an_extension_without_the_ombudsmans_details_is_not_allowed() -> None:
    acknowledged = dt.date(2025, 6, 2)
    complaint(
        dt.date(2025, 5, 30),
        acknowledged=acknowledged,
        responded=add_working_days(acknowledged, 15, "england"),
        extended_days=10,
        extension_told_on=acknowledged,
        extension_ombudsman_details_given=False,
    )
    found, _ = figures()
    assert found.ch02[1].numerator == 0


def test_an_extension_is_capped_unless_a_good_reason_was_recorded() -> None:
    acknowledged = dt.date(2025, 6, 2)
    for reason in (None, "The independent surveyor could not attend until July."):
        complaint(
            dt.date(2025, 5, 30),
            acknowledged=acknowledged,
            responded=add_working_days(acknowledged, 24, "england"),
            extended_days=15,
            extension_told_on=acknowledged,
            extension_ombudsman_details_given=True,
            extension_good_reason=reason,
        )
    rows = sorted((row["extension_allowed"], row["in_time"]) for row in tsm_complaints.responded(YEAR, 1).dicts())
    assert rows == [(10, 0), (15, 1)]


def test_stage_2_runs_from_its_acknowledgement_with_20_days_and_a_cap_of_20() -> None:
    made = complaint(dt.date(2025, 5, 1), acknowledged=dt.date(2025, 5, 2), responded=dt.date(2025, 5, 9))
    acknowledged = dt.date(2025, 6, 2)
    escalate(made, dt.date(2025, 5, 30), acknowledged, add_working_days(acknowledged, 20, "england"))
    other = complaint(dt.date(2025, 5, 1), acknowledged=dt.date(2025, 5, 2), responded=dt.date(2025, 5, 9))
    escalate(
        other,
        dt.date(2025, 5, 30),
        acknowledged,
        add_working_days(acknowledged, 40, "england"),
        extended_days=20,
        extension_told_on=acknowledged,
        extension_ombudsman_details_given=True,
    )
    found, _ = figures()
    assert (found.ch02[2].numerator, found.ch02[2].denominator) == (2, 2)


def test_the_timescale_in_force_at_receipt_applies() -> None:
    """Received before 1 April 2024, stage 2 ran from the escalation request (the 2022 Code), not from its
    acknowledgement, and its extension was capped at 10 working days."""
    made = complaint(dt.date(2024, 3, 1), acknowledged=dt.date(2024, 3, 4), responded=dt.date(2024, 3, 12))
    requested = dt.date(2024, 4, 2)
    acknowledged = add_working_days(requested, 5, "england")
    # 20 working days from the acknowledgement would be in time under the 2024 Code; from the request it is late.
    escalate(made, requested, acknowledged, add_working_days(acknowledged, 20, "england"))
    rows = list(tsm_complaints.responded(regulator_year(2024), 2).dicts())
    assert [(row["working_days"], row["timescale_days"], row["in_time"]) for row in rows] == [(25, 20, 0)]
    assert "2022" in rows[0]["timescale_source"]


def test_an_unacknowledged_stage_is_timed_from_when_it_opened() -> None:
    complaint(dt.date(2025, 6, 2), responded=add_working_days(dt.date(2025, 6, 2), 10, "england"))
    found, _ = figures()
    assert (found.ch02[1].numerator, found.ch02[1].denominator) == (1, 1)


def test_shorter_periods_use_the_stock_of_the_year_they_end_in() -> None:
    make_stock_count(year=2025, homes=1000)
    complaint(dt.date(2025, 7, 1))
    report = tsm_complaints.compute(parse_period("2025/26-Q2", today=dt.date(2026, 1, 1)))
    assert report.stock_year == 2025 and not report.is_annual
    found = next(t for t in report.tenures if t.tenure == "rented")
    assert found.ch01[1].published == "1.0"
