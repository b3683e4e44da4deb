"""The day the resident was told of an extension: never before the stage began, never in the future, whoever records
it (the handler, a manager within the limit, a manager beyond it) and however (service, API, console), each time
with the same words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints import journey
from backend.complaints.models import ComplaintStage
from backend.errors import Invalid
from schema.error_texts import INVALID
from tests import factories
from tests.factories import actor_of

MONDAY = dt.datetime(2026, 3, 2, 10)  # Mon 2 March 2026, GMT: the stage begins
TUESDAY = dt.datetime(2026, 3, 3, 10)  # the extension is recorded the day after
BAD_DAYS = [
    pytest.param(dt.date(2019, 6, 3), "before_stage", id="2019"),
    pytest.param(dt.date(2026, 3, 1), "before_stage", id="day-before-stage"),
    pytest.param(dt.date(2026, 3, 4), "in_future", id="tomorrow"),
]
# Who records it: the handler within the limit, a manager within it, a manager beyond it with a good reason.
PATHS = [
    pytest.param("staff", 2, "", id="handler"),
    pytest.param("manager", 2, "", id="manager-within-limit"),
    pytest.param("manager", 12, "Structural survey.", id="manager-beyond-limit"),
]
EXTEND = """
mutation ($input: ComplaintExtendInput!) {
  complaintExtend(input: $input) {
    __typename
    ... on ValidationError { field code message }
  }
}
"""


def complaint_handled_by(handler: Any) -> Any:
    complaint = factories.make_complaint(factories.make_user(home=factories.make_home(nation="england")))
    return journey.acknowledge_complaint(actor_of(handler), complaint.id, [("The tap leaks", "Fix it")], "A repair")


def recorder(role: str, handler: Any) -> Any:
    """The handler themselves for "staff"; else a manager who does not handle the complaint."""
    return handler if role == "staff" else factories.make_user(role)


def extended_days(complaint: Any) -> int:
    return ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days


@pytest.mark.parametrize(("told_on", "code"), BAD_DAYS)
@pytest.mark.parametrize(("role", "days", "good_reason"), PATHS)
def test_extend_complaint_refuses_a_told_date_outside_the_stage(
    clock_at: Any, role: str, days: int, good_reason: str, told_on: dt.date, code: str
) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = complaint_handled_by(handler)
    clock_at(TUESDAY)
    with pytest.raises(Invalid) as refused:
        journey.extend_complaint(
            actor_of(recorder(role, handler)),
            complaint.id,
            days,
            "Survey.",
            told_on,
            True,
            good_reason=good_reason,
            backdate_reason="Told by phone.",
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [("told_on", code)]
    assert extended_days(complaint) == 0


@pytest.mark.parametrize(("told_on", "code"), BAD_DAYS)
@pytest.mark.parametrize(("role", "days", "good_reason"), PATHS)
def test_complaint_extend_mutation_refuses_a_told_date_outside_the_stage(
    browser: Any, clock_at: Any, role: str, days: int, good_reason: str, told_on: dt.date, code: str
) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = complaint_handled_by(handler)
    clock_at(TUESDAY)
    browser.sign_in(recorder(role, handler).email)
    values = {
        "id": str(complaint.id),
        "days": days,
        "reason": "Survey.",
        "toldOn": told_on.isoformat(),
        "ombudsmanDetailsGiven": True,
        "goodReason": good_reason,
        "backdateReason": "Told by phone.",
    }
    body = browser.graphql(EXTEND, {"input": values}).get_json()
    assert "errors" not in body, body
    result = body["data"]["complaintExtend"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "toldOn", code)
    assert result["message"] == INVALID[("told_on", code)]
    assert extended_days(complaint) == 0


@pytest.mark.parametrize(("told_on", "code"), BAD_DAYS)
@pytest.mark.parametrize(("role", "days", "good_reason"), PATHS)
def test_console_extend_refuses_a_told_date_outside_the_stage_next_to_the_field(
    browser: Any, clock_at: Any, role: str, days: int, good_reason: str, told_on: dt.date, code: str
) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = complaint_handled_by(handler)
    clock_at(TUESDAY)
    browser.sign_in(recorder(role, handler).email)
    page = f"/console/complaints/{complaint.id}"
    sent = browser.submit(
        f"{page}/extend",
        {
            "extend-days": str(days),
            "extend-reason": "Survey booked for the 20th.",
            "extend-told_on": told_on.isoformat(),
            "extend-ombudsman_details_given": "y",
            "extend-good_reason": good_reason,
            "extend-backdate_reason": "Told by phone.",
        },
        page=page,
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400
    error = html[html.index('id="extend-told_on-error"') :][:400]
    assert INVALID[("told_on", code)].replace("'", "&#39;") in error
    assert "Survey booked for the 20th." in html and told_on.isoformat() in html
    assert extended_days(complaint) == 0
