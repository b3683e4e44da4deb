"""TSM codes on survey questions, and the method statement per survey and regulator's year."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.audit.models import AuditEvent
from backend.context import Actor
from backend.errors import Conflict, Invalid, NotAllowed
from backend.surveys import services, tsm
from tests import factories


def actor(role: str) -> Actor:
    user = factories.make_user(role)
    return Actor(user_id=user.id, roles=frozenset({role}), label=f"user:{user.id}")


def test_a_question_takes_a_tsm_code_and_the_change_is_audited() -> None:
    survey = factories.make_survey(status="draft")
    question = services.add_question(actor("staff"), survey.id, "rating", {"en": "Overall?"}, tsm_code="tp01")
    assert question.tsm_code == "tp01"
    event = AuditEvent.get(AuditEvent.action == "survey_question.added")
    assert event.changes["tsm_code"]["after"] == "tp01"
    services.update_question(actor("staff"), question.id, tsm_code=None)
    assert services.get_question(question.id).tsm_code is None


@pytest.mark.parametrize(
    ("kind", "code", "problem"),
    [
        ("rating", "TP13", "unsupported"),
        ("yes_partly_no", "TP01", "needs_rating"),
        ("rating", "TP09_FILTER", "needs_yes_no"),
    ],
)
def test_a_tsm_code_must_fit_the_question(kind: str, code: str, problem: str) -> None:
    survey = factories.make_survey(status="draft")
    with pytest.raises(Invalid) as refused:
        services.add_question(actor("staff"), survey.id, kind, {"en": "Q"}, tsm_code=code)
    assert (refused.value.field, refused.value.code) == ("tsm_code", problem)


def test_each_tsm_code_once_per_survey() -> None:
    survey = factories.make_survey(status="draft")
    factories.make_survey_question(survey, tsm_code="tp01")
    other = factories.make_survey_question(survey)
    with pytest.raises(Invalid) as refused:
        services.update_question(actor("staff"), other.id, tsm_code="tp01")
    assert refused.value.code == "taken"
    # Another survey may use the same code.
    assert services.add_question(
        actor("staff"), factories.make_survey(status="draft").id, "rating", {"en": "Q"}, tsm_code="tp01"
    )


METHOD = {
    "method": "telephone",
    "sample_size": 520,
    "population": 4100,
    "weighting": "Weighted by age and area to the tenant profile.",
    "fieldwork_start": dt.date(2025, 9, 1),
    "fieldwork_end": dt.date(2025, 11, 30),
}


def test_a_manager_records_the_method_and_it_is_audited() -> None:
    manager = actor("manager")
    survey = factories.make_survey()
    made = tsm.record_method(manager, survey.id, 2025, **METHOD)
    assert (made.recorded_by_id, made.sample_size, made.method) == (manager.user_id, 520, "telephone")
    assert AuditEvent.get(AuditEvent.action == "tsm_survey_method.created").entity_id == str(made.id)
    other = actor("admin")
    changed = tsm.update_method(other, made.id, sample_size=600, method="mixed")
    assert (changed.sample_size, changed.method, changed.recorded_by_id) == (600, "mixed", other.user_id)
    event = AuditEvent.get(AuditEvent.action == "tsm_survey_method.updated")
    assert event.changes["sample_size"] == {"before": 520, "after": 600}


def test_staff_who_are_not_managers_may_not_record_the_method() -> None:
    with pytest.raises(NotAllowed):
        tsm.record_method(actor("staff"), factories.make_survey().id, 2025, **METHOD)


def test_one_method_record_per_survey_and_year() -> None:
    survey = factories.make_survey()
    tsm.record_method(actor("manager"), survey.id, 2025, **METHOD)
    with pytest.raises(Conflict):
        tsm.record_method(actor("manager"), survey.id, 2025, **METHOD)
    later = {**METHOD, "fieldwork_start": dt.date(2026, 9, 1), "fieldwork_end": dt.date(2026, 10, 1)}
    assert tsm.record_method(actor("manager"), survey.id, 2026, **later).year == 2026


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"sample_size": 5000}, [("sample_size", "above_population")]),
        ({"fieldwork_end": dt.date(2025, 8, 1)}, [("fieldwork_end", "before_start")]),
        ({"fieldwork_end": dt.date(2026, 4, 1)}, [("fieldwork_end", "outside_year")]),
        ({"method": "carrier_pigeon"}, [("method", "unsupported")]),
        ({"sample_size": 0, "population": True}, [("sample_size", "out_of_range"), ("population", "out_of_range")]),
        ({"weighting": "x" * 2001}, [("weighting", "too_long")]),
        ({"fieldwork_start": None}, [("fieldwork_start", "required")]),
    ],
)
def test_the_method_record_is_checked(changes: dict, problems: list[tuple[str, str]]) -> None:
    with pytest.raises(Invalid) as refused:
        tsm.record_method(actor("manager"), factories.make_survey().id, 2025, **{**METHOD, **changes})
    assert [(p.field, p.code) for p in refused.value.problems] == problems
