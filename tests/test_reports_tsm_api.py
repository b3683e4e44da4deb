"""CH01 and CH02 and the homes at each year's end through GraphQL: staff read, managers enter, residents see
nothing; bad periods and imports are refused with their problems named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints.models import Contact
from tests.factories import make_stock_count
from tests.test_reports_tsm_complaints import complaint

REPORT = """
query ($period: String) {
  tsmComplaints(period: $period) {
    period { code kind first last complete }
    annual stockYear
    tenures { tenure homes ch01Stage1 { code numerator denominator value published } ch02Stage1 { published } }
    exceptions { stage noHomeReceived refused withdrawn }
    refusedEscalations
  }
}
"""
BEHIND = """
query ($period: String, $list: TsmList!, $stage: Int, $limit: Int) {
  tsmComplaintsBehind(period: $period, list: $list, stage: $stage, limit: $limit) {
    total hidden complaints { reference tenure workingDays timescaleDays extensionAllowed inTime }
  }
}
"""
RECORD = """
mutation ($input: StockCountInput!) {
  stockCountRecord(input: $input) {
    __typename
    ... on StockCountRecorded { stockCount { year nation tenure homes source } }
    ... on ValidationError { problems { field code message } }
  }
}
"""
IMPORT = """
mutation ($csv: String!) {
  stockCountsImport(input: {csv: $csv}) {
    __typename
    ... on StockCountsImported { stockCounts }
    ... on ValidationError { problems { field code message } }
  }
}
"""


def run(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_staff_read_ch01_and_ch02_by_tenure(browser: Any, signed_in: Any) -> None:
    make_stock_count(year=2025, homes=2000)
    make_stock_count(year=2025, tenure="shared_ownership", homes=400)
    complaint(dt.date(2025, 6, 2), acknowledged=dt.date(2025, 6, 3), responded=dt.date(2025, 6, 10))
    signed_in("staff")
    report = run(browser, REPORT, period="2025/26")["tsmComplaints"]
    assert report["period"] == {
        "code": "2025/26", "kind": "year", "first": "2025-04-01", "last": "2026-03-31", "complete": True,
    }  # fmt: skip
    assert (report["annual"], report["stockYear"]) == (True, 2025)
    rented, owned, both = report["tenures"]
    assert rented["tenure"] == "rented" and owned["tenure"] == "shared_ownership" and both["tenure"] is None
    assert rented["ch01Stage1"] == {
        "code": "CH01(1)", "numerator": 1, "denominator": 2000, "value": 0.5, "published": "0.5",
    }  # fmt: skip
    assert rented["ch02Stage1"]["published"] == "100.0"
    assert both["homes"] == 2400 and owned["ch02Stage1"]["published"] is None


def test_a_bad_period_is_refused_in_the_viewers_words(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    for code, reason in (("2025", "invalid"), ("2025-06-30..2025-04-01", "reversed"), ("2099/00", "future")):
        body = browser.graphql(REPORT, {"period": code}).get_json()
        error = body["errors"][0]
        assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("BAD_USER_INPUT", reason)
        assert error["extensions"]["field"] == "period" and error["message"]


def test_residents_and_panel_members_have_no_such_query(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql(REPORT, {"period": "2025/26"}).get_json()
    assert "errors" in browser.graphql("{ stockCounts { edges { node { homes } } } }").get_json()


def test_the_complaints_behind_a_figure_leave_out_hidden_cases(browser: Any, signed_in: Any) -> None:
    acknowledged = dt.date(2025, 6, 2)
    complaint(dt.date(2025, 5, 30), acknowledged=acknowledged, responded=dt.date(2025, 6, 17))  # 11 days: late
    hidden = complaint(dt.date(2025, 5, 30), acknowledged=acknowledged, responded=dt.date(2025, 6, 17))
    Contact.update(restricted_kind="safeguarding", restricted_at=dt.datetime(2025, 6, 1)).where(
        Contact.id == hidden.contact_id
    ).execute()
    signed_in("staff")
    page = run(browser, BEHIND, period="2025/26", list="late", stage=1)["tsmComplaintsBehind"]
    assert (page["total"], page["hidden"]) == (1, 1)
    (row,) = page["complaints"]
    assert (row["workingDays"], row["timescaleDays"], row["extensionAllowed"], row["inTime"]) == (11, 10, 0, False)
    assert row["reference"] != hidden.reference


def test_bad_drill_down_arguments_are_refused(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(BEHIND, {"list": "received", "stage": 3, "limit": 0}).get_json()
    problems = body["errors"][0]["extensions"]["problems"]
    assert [(p["field"], p["code"]) for p in problems] == [("stage", "out_of_range"), ("limit", "out_of_range")]


ENTRY = {"year": 2025, "nation": "england", "tenure": "rented", "homes": 2000, "source": "SDR 2026"}


def test_staff_cannot_enter_homes(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert "errors" in browser.graphql(RECORD, {"input": ENTRY}).get_json()


def test_managers_enter_and_correct_homes(browser: Any, signed_in: Any) -> None:
    entry = ENTRY
    signed_in("manager")
    result = run(browser, RECORD, input=entry)["stockCountRecord"]
    assert result["stockCount"] == {**entry, "nation": "england", "tenure": "rented"}
    corrected = run(browser, RECORD, input={**entry, "homes": 2010})["stockCountRecord"]
    assert corrected["stockCount"]["homes"] == 2010
    assert run(browser, "{ stockCounts { edges { node { homes } } } }")["stockCounts"]["edges"] == [
        {"node": {"homes": 2010}}
    ]


def test_a_bad_entry_names_every_problem(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    entry = {"year": 1990, "nation": "france", "tenure": "", "homes": -1, "source": " "}
    result = run(browser, RECORD, input=entry)["stockCountRecord"]
    codes = {(p["field"], p["code"]) for p in result["problems"]}
    assert codes == {
        ("year", "out_of_range"), ("nation", "unsupported"), ("tenure", "required"), ("homes", "out_of_range"),
        ("source", "required"),
    }  # fmt: skip
    assert all(p["message"] and "%(" not in p["message"] for p in result["problems"])


def test_an_import_enters_every_row_or_none(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    good = 'year,nation,tenure,homes,source\n2024,england,rented,1990,SDR 2025\n2025,england,rented,"2,000",SDR\n'
    assert len(run(browser, IMPORT, csv=good)["stockCountsImport"]["stockCounts"]) == 2
    bad = "year,nation,tenure,homes,source\n2023,england,rented,1980,SDR\n2023,england,rented,x,SDR\n"
    result = run(browser, IMPORT, csv=bad)["stockCountsImport"]
    assert result["__typename"] == "ValidationError"
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("row[3].homes", "invalid")]
    missing = run(browser, IMPORT, csv="year,homes\n2023,5\n")["stockCountsImport"]
    assert [p["code"] for p in missing["problems"]] == ["columns"]
    assert "nation, tenure, source" in missing["problems"][0]["message"]
    counts = run(browser, "{ stockCounts { edges { node { year } } } }")["stockCounts"]["edges"]
    assert sorted(edge["node"]["year"] for edge in counts) == [2024, 2025]
