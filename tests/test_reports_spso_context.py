"""What the SPSO indicators put around the figures: the statements of learning, experience and training, and the
areas with few or no complaints compared with their homes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints.models import Complaint
from backend.reports import spso_context
from backend.reports.periods import parse_period
from tests import factories
from tests.test_reports_spso import complaint, uk

Q1 = "2025/26-Q1"


@pytest.fixture(autouse=True)
def _now(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))


def period(code: str = Q1) -> Any:
    return parse_period(code, today=dt.date(2026, 6, 1))


def homes(postcode: str, number: int, nation: str = "scotland") -> None:
    for _ in range(number):
        home = factories.make_home(nation=nation)
        home.postcode = postcode
        home.save()


def test_postcode_districts_flag_none_and_few_against_the_rate_of_all_districts() -> None:
    complaint("2025-04-01 09:00", postcode="EH1 1AA")
    complaint("2025-04-02 09:00", postcode="eh11aa")  # the same district, written another way
    homes("EH1 2BB", 1)  # EH1: 3 homes, 2 complaints
    complaint("2025-04-03 09:00", postcode="G1 1XX")
    homes("G1 2YY", 39)  # G1: 40 homes, 1 complaint
    homes("EH11 1AA", 2)  # EH11: 2 homes, none
    homes("EH1 3CC", 5, nation="england")  # not Scottish homes
    complaint("2025-07-01 09:00", postcode="EH11 1AA")  # another quarter
    areas, without_home = spso_context.postcode_areas(period())
    found = {area.name: (area.homes, area.complaints, area.flag) for area in areas}
    # All: 3 complaints over 46 homes (65.2 a thousand); half of that is 32.6, and G1 has 25.0.
    assert found == {"EH1": (3, 2, None), "EH11": (3, 0, "none"), "G1": (40, 1, "few")}
    assert next(area for area in areas if area.name == "G1").per_thousand.published == "25.0"
    assert without_home == 0


def test_complaints_about_no_home_are_counted_apart_from_the_districts() -> None:
    factories.make_complaint(factories.make_user(), received_at=uk("2025-04-01 09:00"), nation="scotland")
    areas, without_home = spso_context.postcode_areas(period())
    assert (areas, without_home) == ([], 1)


def test_service_areas_flag_none_and_few_against_the_average_per_area() -> None:
    busy, quiet, _ = (factories.make_service_area(name) for name in ("Repairs", "Rent", "Lettings"))
    factories.make_stock_count(year=2025, nation="scotland", homes=2000)
    for number, area in enumerate((busy, busy, busy, busy, busy, quiet)):
        case = complaint(f"2025-04-0{number + 1} 09:00")
        Complaint.update(service_area=area.id).where(Complaint.id == case.id).execute()
    complaint("2025-04-09 09:00")  # filed under none
    found = {
        area.name: (area.complaints, area.flag, area.per_thousand.value)
        for area in spso_context.service_areas(period(), 2000)
    }
    # 6 complaints over 3 areas: 2 on average, so under 1 is few.
    assert found["Repairs"] == (5, None, 2.5)
    assert found["Rent"] == (1, None, 0.5)
    assert found["Lettings"] == (0, "none", 0.0)
    assert found[""] == (1, None, 0.5)


def test_service_areas_without_homes_entered_have_no_rate() -> None:
    factories.make_service_area("Repairs")
    (area,) = spso_context.service_areas(period(), None)
    assert (area.per_thousand.value, area.per_thousand.missing) == (None, "no_stock")


def test_learning_lists_lessons_closed_and_actions_done_from_complaints_in_scope() -> None:
    scottish = complaint("2025-03-01 09:00")
    english = complaint("2025-03-01 09:00", nation="england")
    ours = factories.make_lesson("Tell residents before a repair is moved", status="closed")
    theirs = factories.make_lesson("An English lesson", status="closed")
    factories.make_lesson_source(ours, scottish)
    factories.make_lesson_source(theirs, english)
    for lesson in (ours, theirs):
        AuditEvent.create(
            occurred_at=uk("2025-05-01 12:00"),
            actor_label="system",
            action="lesson.status_set",
            entity_type="lesson",
            entity_id=str(lesson.id),
            changes={"status": {"before": "measuring_impact", "after": "closed"}},
        )
    factories.make_improvement_action(ours, title="Text before each visit", completed_at=uk("2025-06-30 23:30"))
    factories.make_improvement_action(ours, title="Done in July", completed_at=uk("2025-07-01 00:30"))
    found = spso_context.learning(period())
    assert (found.lessons, found.actions) == (1, 1)
    assert found.lesson_titles == ((ours.reference, "Tell residents before a repair is moved"),)
    assert found.action_titles == ("Text before each visit",)


def test_experience_is_no_evidence_until_complainants_answer_a_complaint_survey() -> None:
    assert not spso_context.experience(period()).evidence
    survey = factories.make_survey()
    factories.make_survey_rule(survey, event_name="complaint.closed")
    question = factories.make_survey_question(survey)
    other = factories.make_survey()
    factories.make_survey_rule(other, event_name="change.published")
    for chosen, rating in ((survey, "5"), (survey, "3"), (other, "5")):
        response = factories.make_survey_response(chosen)
        response.submitted_at = uk("2025-05-01 10:00")
        response.save()
        factories.make_survey_answer(response, question if chosen is survey else None, value=rating)
    found = spso_context.experience(period())
    assert found.evidence and found.responses == 2
    assert (found.satisfied.numerator, found.satisfied.value) == (1, 50.0)


def test_training_counts_the_sessions_delivered_in_the_period() -> None:
    record = factories.make_training_record()
    record.delivered_on, record.attendees = dt.date(2025, 6, 30), 12
    record.save()
    assert spso_context.training(period()) == spso_context.Training(sessions=1, attendees=12)
