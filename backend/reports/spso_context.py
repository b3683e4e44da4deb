"""What the SPSO's indicators put around the figures: the statements of learning, complainant experience and staff
training (indicators 1 to 3), and the areas with few or no complaints compared with their homes (the model
procedure's Part 4, paragraph 25: "areas where few or no complaints are received, which may indicate either good
practice or that there are barriers to complaining in that area").

Each is counted in SQL over the period; ``docs/reports.md`` (SPSO indicators) gives the definitions.

- **Learning**: the lessons closed in the period that came from a complaint in scope, and the improvement actions
  on such lessons completed (done) in the period.
- **Experience**: the answers, submitted in the period, to surveys that a complaint event invites people to;
  the share of ratings of 4 or 5 out of 5. With no answers there is no evidence yet.
- **Training**: the training log's sessions and attendees in the period (``backend.lessons.training``).
- **Areas**: complaints received per 1,000 homes by postcode district, against the Scottish homes on the system
  there, and by service area, against the homes at the year end. An area with none is flagged ``none``; one
  whose rate is under half the rate of all the areas listed together is flagged ``few`` (:data:`FEW_SHARE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Select, fn

from backend.accounts.models import Home
from backend.complaints.models import Complaint, ServiceArea
from backend.lessons.bulletins import closed_lessons
from backend.lessons.models import ImprovementAction, Lesson, LessonSource
from backend.lessons.training import training_counts
from backend.reports import spso
from backend.reports.periods import Period
from backend.reports.spso import NOTHING_TO_DIVIDE, Figure, ratio, share
from backend.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyRule

#: An area whose rate is under this share of the rate of all areas together has "few" complaints.
FEW_SHARE = 0.5
NONE, FEW = "none", "few"
#: The most lessons and actions a statement lists (the counts are always whole).
MAX_ITEMS = 50
#: Survey events about complaints: a survey a rule sends on one of them asks about the complaint's handling.
COMPLAINT_EVENTS = "complaint."


@dataclass(frozen=True)
class Learning:
    """Indicator 1: lessons closed and actions completed in the period, from complaints in scope."""

    lessons: int
    actions: int
    lesson_titles: tuple[tuple[str, str], ...]
    action_titles: tuple[str, ...]


@dataclass(frozen=True)
class Experience:
    """Indicator 2: complainants' survey answers in the period; ``satisfied`` is the share rating 4 or 5."""

    responses: int
    satisfied: Figure

    @property
    def evidence(self) -> bool:
        return self.responses > 0


@dataclass(frozen=True)
class Training:
    """Indicator 3: training sessions delivered in the period, and their attendees in all."""

    sessions: int
    attendees: int


@dataclass(frozen=True)
class Area:
    """Complaints received in one area against its homes, with a flag: ``none``, ``few`` or None."""

    key: str
    name: str
    homes: int | None
    complaints: int
    per_thousand: Figure
    flag: str | None


def _scoped_complaints() -> Select:
    spso_regime = spso.Regime.select(spso.Regime.id).where(spso.Regime.code == spso.SPSO)
    return Complaint.select(Complaint.id).where(Complaint.nation == spso.NATION, Complaint.regime.in_(spso_regime))


def learning(period: Period) -> Learning:
    """The lessons closed in the period from complaints in scope, and the actions on such lessons completed."""
    from_complaints = LessonSource.select(LessonSource.lesson).where(LessonSource.complaint.in_(_scoped_complaints()))
    closed_ids = [lesson.id for lesson in closed_lessons(period.first, period.last)]
    lessons = (
        Lesson.select(Lesson.reference, Lesson.title)
        .where(Lesson.id.in_(closed_ids), Lesson.id.in_(from_complaints))
        .order_by(Lesson.reference)
    )
    actions = (
        ImprovementAction.select(ImprovementAction.title)
        .where(
            ImprovementAction.lesson.in_(from_complaints),
            ImprovementAction.completed_at >= period.start,
            ImprovementAction.completed_at < period.end,
        )
        .order_by(ImprovementAction.completed_at, ImprovementAction.id)
    )
    return Learning(
        lessons=lessons.count(),
        actions=actions.count(),
        lesson_titles=tuple((row.reference, row.title) for row in lessons.limit(MAX_ITEMS)),
        action_titles=tuple(row.title for row in actions.limit(MAX_ITEMS)),
    )


def experience(period: Period) -> Experience:
    """Answers submitted in the period to surveys sent on complaint events (held anonymous answers left out)."""
    surveys = SurveyRule.select(SurveyRule.survey).where(SurveyRule.event_name.startswith(COMPLAINT_EVENTS))
    responses = SurveyResponse.select(SurveyResponse.id).where(
        SurveyResponse.survey.in_(surveys),
        SurveyResponse.submitted_at >= period.start,
        SurveyResponse.submitted_at < period.end,
        SurveyResponse.held == False,  # noqa: E712
    )
    ratings = (
        SurveyAnswer.select(SurveyAnswer.number)
        .join(SurveyQuestion, on=SurveyAnswer.question == SurveyQuestion.id)
        .where(
            SurveyAnswer.response.in_(responses),
            SurveyQuestion.kind == "rating",
            SurveyAnswer.number.is_null(False),
        )
    )
    answered = ratings.count()
    satisfied = ratings.where(SurveyAnswer.number >= 4).count()
    return Experience(responses=responses.count(), satisfied=share("experience", satisfied, answered))


def training(period: Period) -> Training:
    sessions, attendees = training_counts(period.first, period.last)
    return Training(sessions=sessions, attendees=attendees)


def _flagged(areas: Sequence[tuple[str, str, int | None, int]], homes_of_all: int | None) -> list[Area]:
    """Each area with its rate and flag, against the rate of all of them together (over ``homes_of_all``)."""
    complaints_of_all = sum(row[3] for row in areas)
    overall = ratio("all", complaints_of_all, homes_of_all, 1000.0, NOTHING_TO_DIVIDE).value
    found = []
    for key, name, homes, complaints in areas:
        rate = ratio(key, complaints, homes, 1000.0, NOTHING_TO_DIVIDE)
        flag = None
        if complaints == 0:
            flag = NONE
        elif rate.value is not None and overall and rate.value < FEW_SHARE * overall:
            flag = FEW
        found.append(Area(key, name, homes, complaints, rate, flag))
    return found


def postcode_areas(period: Period) -> tuple[list[Area], int]:
    """Complaints received per 1,000 Scottish homes on the system by postcode district, every district with homes
    (and any with complaints); and the complaints received about no home on record, which no district holds."""
    homes_rows = Home.select(spso.district(Home.postcode).alias("district")).where(Home.nation == spso.NATION)
    homes = homes_rows.alias("h")
    homes_by = dict(spso.grouped_rows([homes.c.district, fn.COUNT(homes.c.district)], homes, homes.c.district))
    received = spso.receipts(period).alias("r")
    grouped = spso.grouped_rows(
        [received.c.has_home, received.c.district, fn.COUNT(received.c.complaint_id)],
        received,
        received.c.has_home,
        received.c.district,
    )
    complaints_by = {district: int(number) for has_home, district, number in grouped if has_home}
    without_home = sum(int(number) for has_home, _, number in grouped if not has_home)
    districts = sorted(set(homes_by) | set(complaints_by))
    rows = [(f"area:{name}", name, int(homes_by.get(name, 0)), complaints_by.get(name, 0)) for name in districts]
    return _flagged(rows, sum(int(n) for n in homes_by.values())), without_home


def service_areas(period: Period, homes: int | None) -> list[Area]:
    """Complaints received per 1,000 homes at the year end by service area: every area in use (and any archived
    one with complaints), then the complaints filed under none."""
    received = spso.receipts(period).alias("r")
    grouped = dict(
        spso.grouped_rows(
            [received.c.service_area_id, fn.COUNT(received.c.complaint_id)], received, received.c.service_area_id
        )
    )
    named = ServiceArea.select(ServiceArea.id, ServiceArea.name).where(
        ServiceArea.archived_at.is_null() | ServiceArea.id.in_([key for key in grouped if key is not None])
    )
    rows = [
        (f"service_area:{area.id}", area.name, homes, int(grouped.get(area.id, 0)))
        for area in named.order_by(ServiceArea.name)
    ]
    flagged = _average_flags(rows)
    if grouped.get(None):
        number = int(grouped[None])
        flagged.append(
            Area(
                "service_area:none",
                "",
                homes,
                number,
                ratio("service_area:none", number, homes, 1000.0, NOTHING_TO_DIVIDE),
                None,
            )
        )
    return flagged


def _average_flags(rows: Sequence[tuple[str, str, int | None, int]]) -> list[Area]:
    """Service areas share one denominator, so "few" is under half the average complaints per area."""
    average = sum(row[3] for row in rows) / len(rows) if rows else 0.0
    found = []
    for key, name, homes, complaints in rows:
        flag = NONE if complaints == 0 else (FEW if complaints < FEW_SHARE * average else None)
        found.append(Area(key, name, homes, complaints, ratio(key, complaints, homes, 1000.0, NOTHING_TO_DIVIDE), flag))
    return found
