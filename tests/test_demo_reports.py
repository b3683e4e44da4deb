"""The demo's data for the reports: after ``load_demo`` the annual report, CH01, CH02 and the perception measures have
real figures for the last complete regulator's year and the current one, and nothing is approved or published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.complaints.models import Complaint, ComplaintStage, Contact
from backend.demo import load_demo
from backend.reports import annual, signals, tsm_complaints
from backend.reports.annual_report import annual_document
from backend.reports.models import (
    AssessmentStatus,
    EqualityProfile,
    OmbudsmanPublication,
    ReportPublication,
    SelfAssessment,
    SelfAssessmentItem,
    SignalCount,
    StockCount,
)
from backend.reports.periods import Period, regulator_year, year_of
from backend.reports.tsm_perception import perception_measures
from backend.surveys.models import SurveyResponse, TsmSurveyMethod
from backend.timeutil import local_date, utcnow


def years() -> tuple[Period, Period]:
    current = year_of(local_date())
    return regulator_year(current.first.year - 1), current


def rented(period: Period) -> tsm_complaints.TenureFigures:
    return next(figures for figures in tsm_complaints.compute(period).tenures if figures.tenure == "rented")


def manager() -> Any:
    return actor_for_user(User.get(User.email == "manager@example.org"))


#: When the demo is loaded: a day well into a regulator's year, so that the test does not depend on today.
LOADED_AT = dt.datetime(2026, 11, 16, 10)


@pytest.fixture
def demo(clock_at: Any) -> None:
    clock_at(LOADED_AT)
    load_demo()


@pytest.mark.usefixtures("demo")
def test_demo_gives_ch01_ch02_and_the_annual_report_for_last_year_and_this_year() -> None:
    last, current = years()
    for period in (last, current):
        figures = rented(period)
        assert figures.homes, period.code
        assert figures.ch01[1].numerator > 0 and figures.ch01[1].value is not None, period.code
        assert figures.ch02[1].numerator > 0, period.code
    stage_1 = rented(last).ch02[1]
    assert stage_1.denominator is not None and stage_1.numerator < stage_1.denominator  # some answers were late
    assert rented(last).ch01[2].numerator > 0  # and some complaints went to stage 2
    both = next(f for f in tsm_complaints.compute(last).tenures if f.tenure is None)
    assert both.ch01[1].value is not None  # both tenures' homes were entered
    # The annual report of last year has every kind of figure (one load of the demo for both: it is slow).
    analysis = annual.analyse(last)
    assert analysis.escalation.numerator > 0
    assert analysis.times[1].extended.numerator > 0
    assert analysis.refusals and sum(analysis.refusals.values()) > 0
    assert analysis.ombudsman.referred >= 1 and analysis.ombudsman.orders_made >= 1
    assert analysis.remedies.compensation_paid > 0
    assert tsm_complaints.compute(last).withdrawn[1] > 0
    sections = {section.code: section for section in annual_document(last).sections}
    assert sections["non_compliance"].tables and sections["ombudsman_annual_report"].tables


@pytest.mark.usefixtures("demo")
def test_demo_enters_the_reports_data_and_approves_or_publishes_nothing() -> None:
    last, current = years()
    for period in (last, current):
        report = perception_measures(manager(), period)
        measures = {measure.code: measure for measure in report.group("all").measures}
        assert all(measures[f"tp{n:02d}"].value is not None for n in range(1, 13)), period.code
        assert report.group("lcra").respondents > 0 and report.group("lcho").respondents > 0
        assert [method.year for method in report.methods] == [period.first.year]
    weights = {float(row.weight) for row in SurveyResponse.select(SurveyResponse.weight)}
    assert len(weights) > 1
    assert {(s.nation, s.tenure) for s in StockCount.select().where(StockCount.year == last.first.year)} == {
        ("england", "rented"),
        ("england", "shared_ownership"),
        ("scotland", "rented"),
    }
    assert all(row.source for row in StockCount.select())
    assert StockCount.select().where(StockCount.year == current.first.year - 2).count() == 3
    assert OmbudsmanPublication.select().count() >= 2
    assert signals.signal_totals(manager(), year_of(local_date() - dt.timedelta(days=31)))
    assert EqualityProfile.select().where(EqualityProfile.user.is_null(False)).count() >= 3
    assessment = SelfAssessment.get(SelfAssessment.period == last.code)
    assert assessment.status == AssessmentStatus.DRAFT
    filled = SelfAssessmentItem.select().where(
        SelfAssessmentItem.assessment == assessment.id, SelfAssessmentItem.complies.is_null(False)
    )
    assert filled.count() >= 3
    assert ReportPublication.select().count() == 0


@pytest.mark.usefixtures("demo")
def test_demo_history_happened_in_order_in_the_past_and_loads_once() -> None:
    now = utcnow()
    stages = ComplaintStage.select(ComplaintStage, Complaint, Contact).join(Complaint).join(Contact)
    assert stages.count() > 40
    for stage in stages:
        received = stage.complaint.contact.received_at
        assert received <= stage.opened_at <= now
        if stage.acknowledged_at:
            assert stage.opened_at <= stage.acknowledged_at <= now
        if stage.responded_at:
            assert stage.acknowledged_at and stage.acknowledged_at <= stage.responded_at <= now

    def counts() -> tuple[int, ...]:
        tables = (Complaint, StockCount, OmbudsmanPublication, SignalCount, SurveyResponse, TsmSurveyMethod)
        return (*(table.select().count() for table in tables), EqualityProfile.select().count())

    before = counts()
    load_demo()
    assert counts() == before


def test_demo_loaded_as_a_year_begins_still_has_last_year_complete(clock_at: Any) -> None:
    clock_at(dt.datetime(2027, 4, 2, 9))  # the current year is a day old: nothing of it can be answered yet
    load_demo()
    last, _current = years()
    figures = rented(last)
    assert figures.ch01[1].value is not None and figures.ch02[1].numerator > 0
    assert SelfAssessment.select().where(SelfAssessment.period == last.code).count() == 1
