"""Quality checks by people: the month's random sample, scoring against the checklist, and the scores back to the
team."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Complaint, Contact
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.lessons import quality
from backend.lessons.models import QualityCheckItem, QualityReview, QualityScore
from backend.lessons.quality import ScoreInput
from tests.factories import actor_of, make_complaint, make_staff, make_user

JULY = dt.date(2026, 7, 1)


def closed(at: dt.datetime = dt.datetime(2026, 7, 10, 12), team: str = "Repairs team", **values: Any) -> Any:
    complaint = make_complaint()
    values = {"status": "closed", **values}
    Complaint.update(closed_at=at, team=team, **values).where(Complaint.id == complaint.id).execute()
    return Complaint.get_by_id(complaint.id)


def hide(complaint: Any) -> None:
    Contact.update(restricted_kind="safeguarding").where(Contact.id == complaint.contact_id).execute()


def full_marks(result: str = "met") -> list[ScoreInput]:
    return [ScoreInput(item.id, result, "") for item in quality.checklist()]


@pytest.fixture
def reviewer() -> Any:
    return actor_of(make_user("manager"))


def test_draw_sample_takes_only_complaints_closed_in_the_uk_month(reviewer: Any) -> None:
    inside = closed(dt.datetime(2026, 6, 30, 23, 30))  # 1 July, 00:30 in London
    closed(dt.datetime(2026, 7, 31, 23, 30))  # 1 August in London
    closed(dt.datetime(2026, 7, 12), status="refused")
    drawn = quality.draw_sample(reviewer, "2026-07")
    assert [review.complaint_id for review in drawn] == [inside.id]


def test_draw_sample_leaves_out_cases_hidden_from_the_reviewer(reviewer: Any) -> None:
    hidden = closed()
    hide(hidden)
    seen = closed()
    assert [review.complaint_id for review in quality.draw_sample(reviewer, JULY)] == [seen.id]


def test_draw_sample_stops_at_the_sample_size(reviewer: Any) -> None:
    for _ in range(4):
        closed()
    assert len(quality.draw_sample(reviewer, JULY, size=3)) == 3


def test_draw_sample_again_adds_nothing_once_full(reviewer: Any) -> None:
    for _ in range(3):
        closed()
    first = [review.id for review in quality.draw_sample(reviewer, JULY, size=2)]
    assert [review.id for review in quality.draw_sample(reviewer, JULY, size=2)] == first


def test_draw_sample_keeps_the_complaints_team(reviewer: Any) -> None:
    closed(team="Lettings team")
    assert quality.draw_sample(reviewer, JULY)[0].team == "Lettings team"


def test_draw_sample_by_staff_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        quality.draw_sample(actor_of(make_user("staff")), JULY)


def test_score_review_records_a_result_for_each_item(reviewer: Any) -> None:
    closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    quality.score_review(reviewer, review.id, full_marks("partly"), "Clear letter.")
    assert QualityScore.select().where(QualityScore.review == review.id).count() == len(quality.checklist())
    assert quality.review_score(review.id) == 50.0


def test_score_review_again_replaces_the_scores(reviewer: Any) -> None:
    closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    quality.score_review(reviewer, review.id, full_marks("not_met"))
    quality.score_review(reviewer, review.id, full_marks("met"))
    assert quality.review_score(review.id) == 100.0


def bad_scores() -> list[tuple[str, Any, tuple[Any, ...]]]:
    return [
        ("unknown item", lambda items: [*items, ScoreInput(999_999, "met")], ("scores", -1, "item_id")),
        ("repeated item", lambda items: [*items, items[0]], ("scores", -1, "item_id")),
        (
            "unsupported result",
            lambda items: [ScoreInput(items[0].item_id, "great"), *items[1:]],
            ("scores", 0, "result"),
        ),
        (
            "note too long",
            lambda items: [ScoreInput(items[0].item_id, "met", "x" * 10_001), *items[1:]],
            ("scores", 0, "note"),
        ),
        ("item left out", lambda items: items[1:], ("scores",)),
    ]


@pytest.mark.parametrize(("case", "change", "at"), bad_scores(), ids=[case for case, _, _ in bad_scores()])
def test_score_review_bad_scores_are_invalid(reviewer: Any, case: str, change: Any, at: tuple[Any, ...]) -> None:
    closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    given = change(full_marks())
    with pytest.raises(Invalid) as raised:
        quality.score_review(reviewer, review.id, given)
    expected = tuple(len(given) - 1 if part == -1 else part for part in at)
    assert [problem.at for problem in raised.value.problems] == [expected]
    assert QualityReview.get_by_id(review.id).reviewed_at is None


def test_score_review_comments_too_long_is_invalid(reviewer: Any) -> None:
    closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    with pytest.raises(Invalid) as raised:
        quality.score_review(reviewer, review.id, full_marks(), "x" * 10_001)
    assert raised.value.field == "comments"


def test_score_review_of_a_hidden_case_is_not_found(reviewer: Any) -> None:
    complaint = closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    hide(complaint)
    with pytest.raises(NotFound):
        quality.score_review(reviewer, review.id, full_marks())


def test_score_review_archived_item_is_not_asked_for(reviewer: Any) -> None:
    closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    archived = quality.checklist()[0]
    QualityCheckItem.update(archived_at=dt.datetime(2026, 1, 1)).where(QualityCheckItem.id == archived.id).execute()
    quality.score_review(reviewer, review.id, full_marks())
    assert QualityScore.select().where(QualityScore.item == archived.id).count() == 0


def test_return_to_team_tells_the_handler_and_the_teams_managers_once(reviewer: Any) -> None:
    team_manager = make_user("manager")
    team_manager.team = "Repairs team"
    team_manager.save()
    handler = make_staff(manager=make_user("manager"))
    closed(handler=handler.id)
    make_user("manager")  # of another team: not told
    review = quality.draw_sample(reviewer, JULY)[0]
    quality.score_review(reviewer, review.id, full_marks())
    quality.return_to_team(reviewer, review.id)
    told = sorted(e.payload["recipient_id"] for e in OutboxEvent.select().where(OutboxEvent.name.contains("quality")))
    assert told == sorted([team_manager.id, handler.id, handler.manager_id])
    with pytest.raises(Conflict):
        quality.return_to_team(reviewer, review.id)


def test_return_to_team_before_scoring_is_a_conflict(reviewer: Any) -> None:
    closed(handler=make_staff().id)
    review = quality.draw_sample(reviewer, JULY)[0]
    with pytest.raises(Conflict) as raised:
        quality.return_to_team(reviewer, review.id)
    assert raised.value.code == "not_scored"


def test_score_review_after_return_is_a_conflict(reviewer: Any) -> None:
    closed(handler=make_staff().id)
    review = quality.draw_sample(reviewer, JULY)[0]
    quality.score_review(reviewer, review.id, full_marks())
    quality.return_to_team(reviewer, review.id)
    with pytest.raises(Conflict):
        quality.score_review(reviewer, review.id, full_marks("not_met"))


def test_team_scores_average_per_team_leaving_out_not_applicable(reviewer: Any) -> None:
    results = {
        closed(team="Repairs team").id: "met",
        closed(team="Repairs team").id: "not_met",
        closed(team="Lettings team").id: "not_applicable",
    }
    for review in quality.draw_sample(reviewer, JULY):
        quality.score_review(reviewer, review.id, full_marks(results[review.complaint_id]))
    by_team = {row["team"]: (row["reviews"], row["score"]) for row in quality.team_scores(JULY)}
    assert by_team == {"Lettings team": (1, None), "Repairs team": (2, 50.0)}


def test_score_review_is_in_the_complaints_audit_trail(reviewer: Any) -> None:
    from backend.audit.models import AuditEvent

    complaint = closed()
    review = quality.draw_sample(reviewer, JULY)[0]
    quality.score_review(reviewer, review.id, full_marks())
    entry = AuditEvent.get(AuditEvent.action == "quality_review.scored")
    assert (entry.entity_type, entry.entity_id, entry.changes["review_id"]["after"]) == (
        "complaint",
        str(complaint.id),
        review.id,
    )


@pytest.mark.parametrize(("value", "expected"), [(78.571, 79), (62.5, 63), (62.49, 62), (0.5, 1), (100.0, 100)])
def test_whole_percent_rounds_halves_up(value: float, expected: int) -> None:
    assert quality.whole_percent(value) == expected


def test_the_score_sent_to_the_team_is_the_score_on_the_page(reviewer: Any) -> None:
    from backend.lessons import qa_messages
    from portal.console.lessons.qa import review_score

    closed()
    review = quality.draw_sample(reviewer, "2026-07", size=1)[0]
    items = quality.checklist()
    results = ["met"] * (len(items) - 2) + ["partly", "not_met"]  # 5.5 of 7: 78.57%
    quality.score_review(reviewer, review.id, [ScoreInput(i.id, r, "") for i, r in zip(items, results, strict=True)])
    sent = qa_messages.review_values({"review_id": review.id, "complaint_id": review.complaint_id}, None, "en")
    scores = [{"result": score.result} for score in QualityScore.select().where(QualityScore.review == review.id)]
    shown = review_score({"scores": scores, "reviewedAt": "2026-07-20T10:00:00"})
    assert len(items) == 7 and sent["score"] == shown == "79%"
