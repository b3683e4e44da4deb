"""The SPSO's complaints performance indicators, against hand-built cases: quarter ends in British Summer Time,
Scottish bank holidays, stage 2 opened directly or after escalation, extensions that the 5 and 20 working-day
tests ignore, outcomes, nothing to divide by, and the complaints behind each figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Complaint, ComplaintResponse, ComplaintStaff, ComplaintStage, Regime
from backend.errors import Invalid
from backend.reports import spso
from backend.reports.periods import parse_period, regulator_year
from backend.timeutil import LOCAL_ZONE
from backend.workdays import working_days_between
from tests import factories

Q1 = "2025/26-Q1"  # April to June 2025
Q3 = "2025/26-Q3"  # October to December 2025


@pytest.fixture(autouse=True)
def _now(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))


def uk(text: str) -> dt.datetime:
    """A UK local time as stored: naive UTC."""
    local = dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def period(code: str) -> Any:
    return parse_period(code, today=dt.date(2026, 6, 1))


def complaint(received: str, postcode: str = "EH1 1AA", nation: str = "scotland", **values: Any) -> Complaint:
    home = factories.make_home(nation=nation)
    home.postcode = postcode
    home.save()
    made = factories.make_complaint(factories.make_user(home=home), received_at=uk(received))
    if values:
        Complaint.update(**values).where(Complaint.id == made.id).execute()
    return Complaint.get_by_id(made.id)


def respond(case: Complaint, stage: int, issued: str, outcome: str | None = "upheld", extended: int = 0) -> None:
    ComplaintStage.update(responded_at=uk(issued), extended_days=extended).where(
        ComplaintStage.complaint == case.id, ComplaintStage.number == stage
    ).execute()
    ComplaintResponse.create(
        complaint=case.id, stage=stage, reasons="Reasons.", next_steps="Next.", issued_at=uk(issued), outcome=outcome
    )


def escalate(case: Complaint, requested: str) -> None:
    ComplaintStage.create(complaint=case.id, number=2, opened_at=uk(requested), entry_route="escalated")
    Complaint.update(stage=2).where(Complaint.id == case.id).execute()


def direct(received: str, **values: Any) -> Complaint:
    """A complex complaint opened straight at stage 2, as ``investigation.start_investigation`` leaves it."""
    case = complaint(received, **values)
    ComplaintStage.delete().where(ComplaintStage.complaint == case.id).execute()
    ComplaintStage.create(complaint=case.id, number=2, opened_at=uk(received), entry_route="direct")
    Complaint.update(stage=2).where(Complaint.id == case.id).execute()
    return case


def stage(found: spso.Indicators, name: str) -> spso.StageFigures:
    return next(figures for figures in found.stages if figures.stage == name)


def behind(code: str, key: str, user_id: int | None = None) -> list[int]:
    return [row[0] for row in spso.complaints_behind(period(code), key, user_id).complaints]


# --- Received ----------------------------------------------------------------------------------------------------


def test_received_counts_by_uk_date_across_a_quarter_end_in_summer_time() -> None:
    last_of_june = complaint("2025-06-30 23:30")  # 22:30 UTC on 30 June
    first_of_july = complaint("2025-07-01 00:30")  # 23:30 UTC on 30 June: a July complaint
    assert behind(Q1, "received") == [last_of_june.id]
    assert behind("2025/26-Q2", "received") == [first_of_july.id]
    assert spso.indicators(period(Q1)).received.value == 1


def test_received_leaves_out_escalations_other_nations_and_complaints_refused_unanswered() -> None:
    earlier = complaint("2025-03-20 10:00")
    escalate(earlier, "2025-04-10 10:00")  # a stage 2 in Q1, but not a new complaint
    new = complaint("2025-04-02 10:00")
    opened_direct = direct("2025-05-02 10:00")
    complaint("2025-04-03 10:00", nation="england")
    refused = complaint("2025-04-04 10:00", status="refused")
    found = spso.indicators(period(Q1))
    assert behind(Q1, "received") == [new.id, opened_direct.id]
    assert (found.received.value, found.refused.value) == (2, 1)
    assert behind(Q1, "refused") == [refused.id]


def test_received_per_thousand_homes_divides_by_the_scottish_homes_at_the_year_end() -> None:
    factories.make_stock_count(year=2025, nation="scotland", tenure="rented", homes=1500)
    factories.make_stock_count(year=2025, nation="scotland", tenure="shared_ownership", homes=500)
    factories.make_stock_count(year=2025, nation="england", tenure="rented", homes=9000)
    for day in ("2025-04-01 09:00", "2025-05-01 09:00", "2025-06-02 09:00"):
        complaint(day)
    found = spso.indicators(period(Q1))
    assert (found.homes, found.stock_year) == (2000, 2025)
    assert found.per_thousand.value == pytest.approx(1.5)
    assert found.per_thousand.published == "1.5"


def test_received_per_thousand_homes_has_no_value_without_a_stock_count() -> None:
    complaint("2025-04-01 09:00")
    found = spso.indicators(period(Q1))
    assert found.homes is None
    assert (found.per_thousand.value, found.per_thousand.missing) == (None, spso.NO_STOCK)


# --- Closures, working days and timescales -------------------------------------------------------------------------


def test_closures_split_stage_1_stage_2_direct_and_after_escalation_as_shares_of_all() -> None:
    for _ in range(2):
        respond(complaint("2025-04-01 09:00"), 1, "2025-04-03 09:00")
    escalated = complaint("2025-03-03 09:00")
    respond(escalated, 1, "2025-03-05 09:00")  # closed at stage 1 last year: not in Q1
    escalate(escalated, "2025-04-07 09:00")
    respond(escalated, 2, "2025-04-28 09:00")
    respond(direct("2025-05-01 09:00"), 2, "2025-05-20 09:00")
    found = spso.indicators(period(Q1))
    assert found.closed.value == 4
    assert [(s.stage, s.closed.numerator, s.closed.value) for s in found.stages] == [
        ("stage1", 2, 50.0),
        ("stage2_direct", 1, 25.0),
        ("stage2_escalated", 1, 25.0),
    ]
    assert behind(Q1, "closed:stage2_escalated") == [escalated.id]


def test_stage_1_within_5_working_days_skips_st_andrews_day_substitute_holiday() -> None:
    # Thursday 27 November 2025; Monday 1 December is Scotland's substitute day for St Andrew's Day.
    in_time = complaint("2025-11-27 10:00")
    respond(in_time, 1, "2025-12-05 16:00")
    assert working_days_between(dt.date(2025, 11, 27), dt.date(2025, 12, 5), "scotland") == 5
    late = complaint("2025-11-27 11:00")
    respond(late, 1, "2025-12-08 09:00")
    figures = stage(spso.indicators(period(Q3)), "stage1")
    assert (figures.within.numerator, figures.within.denominator) == (1, 2)
    assert figures.average_days.value == pytest.approx(5.5)
    assert behind(Q3, "within:stage1") == [in_time.id]


def test_stage_1_over_new_year_skips_the_scottish_2_january() -> None:
    # Wednesday 31 December 2025: 1 and 2 January 2026 are both bank holidays in Scotland.
    in_time = complaint("2025-12-31 10:00")
    respond(in_time, 1, "2026-01-09 10:00")
    late = complaint("2025-12-31 11:00")
    respond(late, 1, "2026-01-12 10:00")
    figures = stage(spso.indicators(period("2025/26-Q4")), "stage1")
    assert figures.average_days.numerator == 5 + 6
    assert behind("2025/26-Q4", "within:stage1") == [in_time.id]


def test_extension_does_not_count_towards_the_base_timescale() -> None:
    # Received Tuesday 1 April 2025, extended by 5 working days, answered in 8: late against the base 5.
    extended = complaint("2025-04-01 10:00")
    respond(extended, 1, "2025-04-11 10:00", extended=5)
    plain = complaint("2025-04-01 11:00")
    respond(plain, 1, "2025-04-04 10:00")
    figures = stage(spso.indicators(period(Q1)), "stage1")
    assert (figures.within.numerator, figures.within.value) == (1, 50.0)
    assert (figures.extended.numerator, figures.extended.value) == (1, 50.0)
    assert behind(Q1, "extended:stage1") == [extended.id]
    assert behind(Q1, "within:stage1") == [plain.id]


def test_stage_2_times_escalated_from_the_request_and_direct_from_receipt() -> None:
    escalated = complaint("2025-04-01 09:00")
    respond(escalated, 1, "2025-04-02 09:00")
    escalate(escalated, "2025-04-14 09:00")  # Monday
    # Good Friday 18 April and Monday 5 May are bank holidays in Scotland (Easter Monday is not).
    respond(escalated, 2, "2025-05-14 09:00")  # 20 working days on
    opened_direct = direct("2025-04-14 09:00")
    respond(opened_direct, 2, "2025-05-15 09:00")  # 21 working days
    found = spso.indicators(period(Q1))
    assert working_days_between(dt.date(2025, 4, 14), dt.date(2025, 5, 14), "scotland") == 20
    assert (stage(found, "stage2_escalated").within.value, stage(found, "stage2_direct").within.value) == (100.0, 0.0)
    assert stage(found, "stage2_direct").average_days.value == 21
    assert stage(found, "stage2_escalated").timescale_days == 20


def test_same_day_counting_counts_the_day_of_receipt() -> None:
    Regime.update(counting="same_day").where(Regime.code == "spso").execute()
    case = complaint("2025-04-01 10:00")  # Tuesday
    respond(case, 1, "2025-04-08 10:00")  # Tuesday 1 to Monday 7 are 5 days; Tuesday 8 is the 6th
    figures = stage(spso.indicators(period(Q1)), "stage1")
    assert figures.average_days.value == 6
    assert figures.within.numerator == 0


def test_outcomes_are_shares_of_closures_at_their_stage() -> None:
    for outcome in ("upheld", "upheld", "partly_upheld", "resolved", None):
        respond(complaint("2025-04-01 09:00"), 1, "2025-04-02 09:00", outcome=outcome)
    respond(direct("2025-04-01 09:00"), 2, "2025-04-20 09:00", outcome="not_upheld")
    found = spso.indicators(period(Q1))
    outcomes = {code: figure for code, figure in stage(found, "stage1").outcomes}
    assert {code: figure.value for code, figure in outcomes.items()} == {
        "upheld": 40.0,
        "partly_upheld": 20.0,
        "not_upheld": 0.0,
        "resolved": 20.0,
        "not_recorded": 20.0,
    }
    assert dict(stage(found, "stage2_direct").outcomes)["not_upheld"].value == 100.0
    assert len(behind(Q1, "outcome:stage1:upheld")) == 2


def test_a_period_with_nothing_closed_has_no_shares_or_averages() -> None:
    found = spso.indicators(period(Q1))
    figures = stage(found, "stage1")
    for figure in (
        figures.closed,
        figures.within,
        figures.extended,
        figures.average_days,
        *dict(figures.outcomes).values(),
    ):
        assert (figure.value, figure.missing, figure.published) == (None, spso.NOTHING_TO_DIVIDE, None)
    assert found.received.value == 0


def test_a_year_counts_what_its_quarters_count() -> None:
    respond(complaint("2025-04-01 09:00"), 1, "2025-04-02 09:00")
    respond(complaint("2025-12-01 09:00"), 1, "2026-01-05 09:00")
    year = spso.indicators(regulator_year(2025))
    assert (year.received.value, year.closed.value) == (2, 2)


@pytest.mark.parametrize(("value", "shown"), [(22.25, "22.3"), (3.0, "3.0"), (2 / 3 * 100, "66.7"), (0.05, "0.1")])
def test_published_rounds_half_up_to_one_decimal_place(value: float, shown: str) -> None:
    assert spso.published(value) == shown


# --- Drilling down -----------------------------------------------------------------------------------------------


def test_drill_down_leaves_out_complaints_hidden_from_the_reader() -> None:
    reader = factories.make_staff()
    seen = complaint("2025-04-01 09:00")
    hidden = complaint("2025-04-02 09:00")
    ComplaintStaff.create(complaint=hidden.id, person=reader.id, part="subject")  # hidden from them from now on
    drill = spso.complaints_behind(period(Q1), "received", reader.id)
    assert [row[0] for row in drill.complaints] == [seen.id]
    assert (drill.hidden, drill.more) == (1, 0)
    assert spso.indicators(period(Q1)).received.value == 2


@pytest.mark.parametrize("key", ["", "nothing", "closed:stage3", "outcome:stage1:great", "within", "x" * 100])
def test_drill_down_refuses_a_key_no_figure_has(key: str) -> None:
    with pytest.raises(Invalid) as raised:
        spso.complaints_behind(period(Q1), key, None)
    assert (raised.value.field, raised.value.code) == ("figure", "unknown")


def test_default_period_is_the_last_complete_quarter() -> None:
    assert spso.default_period(dt.date(2025, 7, 1)).code == "2025/26-Q1"
    assert spso.default_period(dt.date(2026, 4, 30)).code == "2025/26-Q4"
