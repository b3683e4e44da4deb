"""The SPSO indicators in the API: staff read every figure with its numerator and denominator, and the complaints
behind it; residents have no such field; a period that can't be used is an argument error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import ComplaintStaff
from tests import factories
from tests.test_reports_spso import complaint, respond

QUERY = """
query ($period: String) {
  spsoIndicators(period: $period) {
    code first last stockYear homes
    received { key numerator value published complaints { complaints { id reference } hidden more } }
    receivedPerThousand { numerator denominator value published missing }
    closed { value }
    stages {
      stage timescaleDays
      closed { numerator denominator value published }
      withinTimescale { key numerator denominator value published complaints { complaints { id } } }
      extended { numerator value }
      averageWorkingDays { numerator denominator value published }
      outcomes { outcome figure { numerator value published } }
    }
    learning { lessons actions lessonList { reference title } actionTitles }
    experience { evidence responses satisfied { value missing } }
    training { sessions attendees }
    serviceAreas { key name homes complaints flag perThousand { value } }
    areas { key name homes complaints flag perThousand { value published } }
    receivedWithoutHome
  }
}
"""


@pytest.fixture(autouse=True)
def _now(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))


def ask(browser: Any, query: str = QUERY, **variables: Any) -> dict[str, Any]:
    return browser.graphql(query, variables).get_json()


def test_staff_read_every_figure_with_numerator_and_denominator(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    factories.make_stock_count(year=2025, nation="scotland", homes=2000)
    respond(complaint("2025-04-01 10:00"), 1, "2025-04-04 10:00")
    respond(complaint("2025-04-01 11:00", postcode="eh11 2aa"), 1, "2025-04-14 10:00", extended=5)
    found = ask(browser, period="2025/26-Q1")["data"]["spsoIndicators"]
    assert (found["code"], found["first"], found["last"]) == ("2025/26-Q1", "2025-04-01", "2025-06-30")
    assert found["received"]["value"] == 2
    assert len(found["received"]["complaints"]["complaints"]) == 2
    assert found["receivedPerThousand"] == {
        "numerator": 2,
        "denominator": 2000,
        "value": 1.0,
        "published": "1.0",
        "missing": None,
    }
    stage1 = found["stages"][0]
    assert stage1["stage"] == "stage1" and stage1["timescaleDays"] == 5
    assert stage1["withinTimescale"]["numerator"] == 1 and stage1["withinTimescale"]["published"] == "50.0"
    assert stage1["averageWorkingDays"] == {"numerator": 12, "denominator": 2, "value": 6.0, "published": "6.0"}
    assert stage1["extended"] == {"numerator": 1, "value": 50.0}
    assert {area["name"] for area in found["areas"]} == {"EH1", "EH11"}
    assert found["experience"] == {
        "evidence": False,
        "responses": 0,
        "satisfied": {"value": None, "missing": "zero_denominator"},
    }


def test_residents_have_no_spso_fields(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    body = ask(browser, period="2025/26-Q1")
    assert "data" not in body or body["data"] is None
    assert "spsoIndicators" in body["errors"][0]["message"]


def test_the_default_period_is_the_last_complete_quarter(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    found = ask(browser, "query { spsoIndicators { code } }")["data"]["spsoIndicators"]
    assert found["code"] == "2025/26-Q4"


@pytest.mark.parametrize(
    ("period", "reason"),
    [("2025/27", "invalid"), ("last year", "invalid"), ("2027/28-Q1", "future"), ("x" * 500, "invalid")],
)
def test_a_period_that_cannot_be_used_is_an_argument_error(
    browser: Any, signed_in: Any, period: str, reason: str
) -> None:
    signed_in("staff")
    body = ask(browser, "query ($period: String) { spsoIndicators(period: $period) { code } }", period=period)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == (reason, "period")
    assert "period" in error["message"].lower()


def test_drill_down_by_key_leaves_out_what_is_hidden_from_the_viewer(browser: Any, signed_in: Any) -> None:
    viewer = signed_in("staff")
    seen = complaint("2025-04-01 10:00")
    hidden = complaint("2025-04-02 10:00")
    ComplaintStaff.create(complaint=hidden.id, person=viewer.id, part="subject")
    query = "query ($f: String!, $p: String) { spsoComplaints(figure: $f, period: $p) { complaints { id reference } hidden more } }"
    found = ask(browser, query, f="received", p="2025/26-Q1")["data"]["spsoComplaints"]
    assert found == {"complaints": [{"id": str(seen.id), "reference": seen.reference}], "hidden": 1, "more": 0}
    error = ask(browser, query, f="nonsense", p="2025/26-Q1")["errors"][0]
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == ("unknown", "figure")
