"""Signals for the board report: a CSV import that saves every row or none, replaces what it imported before (and
audits it), and reading the figures back by period, month and service area; and who may do each through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.errors import Invalid, NotAllowed
from backend.reports import signals
from backend.reports.models import SignalCount
from backend.reports.periods import parse_period
from tests.factories import actor_of, make_service_area, make_staff, make_user

HEADER = "month,service_area,kind,count\n"


def manager() -> Any:
    return actor_of(make_user("manager"))


@pytest.fixture
def areas() -> None:
    make_service_area("Repairs")
    make_service_area("Estates")


def test_import_saves_every_row(areas: None) -> None:
    text = HEADER + "2025-04,Repairs,damp_mould,12\n2025-04,estates,disrepair,3\n2025-05,Repairs,insurance,0\n"
    result = signals.import_signals(manager(), text, "Legal team log")
    assert (result.created, result.replaced, result.unchanged) == (3, 0, 0)
    rows = SignalCount.select().order_by(SignalCount.month, SignalCount.kind)
    assert [(row.month, row.kind, row.count, row.source) for row in rows] == [
        (dt.date(2025, 4, 1), "damp_mould", 12, "Legal team log"),
        (dt.date(2025, 4, 1), "disrepair", 3, "Legal team log"),
        (dt.date(2025, 5, 1), "insurance", 0, "Legal team log"),
    ]


def test_import_accepts_columns_in_any_order_and_a_byte_order_mark(areas: None) -> None:
    text = "\ufeffCount,Kind,Service_Area,Month\n7,disrepair,Repairs,2025-06\n"
    assert signals.import_signals(manager(), text, "Export").created == 1


def test_reimporting_a_month_area_and_kind_replaces_it_and_audits_the_change(areas: None) -> None:
    actor = manager()
    signals.import_signals(actor, HEADER + "2025-04,Repairs,damp_mould,12\n2025-04,Repairs,disrepair,2\n", "First")
    result = signals.import_signals(actor, HEADER + "2025-04,Repairs,damp_mould,15\n", "Corrected")
    assert (result.created, result.replaced) == (0, 1)
    figure = SignalCount.get(SignalCount.kind == "damp_mould")
    assert (figure.count, figure.source) == (15, "Corrected")
    assert SignalCount.get(SignalCount.kind == "disrepair").count == 2  # not in the second file: kept
    event = AuditEvent.get((AuditEvent.action == "signal_count.replaced") & (AuditEvent.entity_id == str(figure.id)))
    assert event.changes["count"] == {"before": 12, "after": 15}
    assert event.changes["source"] == {"before": "First", "after": "Corrected"}


def test_reimporting_the_same_figure_counts_it_unchanged(areas: None) -> None:
    actor = manager()
    signals.import_signals(actor, HEADER + "2025-04,Repairs,damp_mould,12\n", "Log")
    assert signals.import_signals(actor, HEADER + "2025-04,Repairs,damp_mould,12\n", "Log").unchanged == 1


def problems_of(text: str, source: str = "Log") -> list[tuple[str, str, tuple[Any, ...]]]:
    with pytest.raises(Invalid) as refused:
        signals.import_signals(manager(), text, source)
    assert SignalCount.select().count() == 0  # nothing of the file is saved
    return [(problem.field, problem.code, problem.at) for problem in refused.value.problems]


def test_a_file_with_bad_rows_lists_each_with_its_row_and_saves_nothing(areas: None) -> None:
    text = (
        HEADER
        + "2025-04,Repairs,damp_mould,12\n"  # row 2: good
        + "April 2025,Repairs,damp_mould,3\n"  # row 3
        + "2025-04,Gardens,disrepair,3\n"  # row 4
        + "2025-05,Repairs,floods,3\n"  # row 5
        + "2025-05,Repairs,insurance,-1\n"  # row 6
        + "2025-04,Repairs,damp_mould,9\n"  # row 7: row 2 again
        + "2099-01,Repairs,insurance,1\n"  # row 8
    )
    assert problems_of(text) == [
        ("signal_month", "invalid", ("csv", 3, "month")),
        ("signal_service_area", "unknown", ("csv", 4, "service_area")),
        ("signal_kind", "unsupported", ("csv", 5, "kind")),
        ("signal_count", "invalid", ("csv", 6, "count")),
        ("signal_month", "duplicate", ("csv", 7, "month")),
        ("signal_month", "future", ("csv", 8, "month")),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("csv", "empty")),
        ("month,service_area,kind\n2025-04,Repairs,disrepair\n", ("csv", "missing_columns")),
        (HEADER.strip() + ",notes\n2025-04,Repairs,disrepair,1,x\n", ("csv", "unknown_columns")),
        (HEADER, ("csv", "no_rows")),
        ("x" * (signals.MAX_CHARACTERS + 1), ("csv", "too_large")),
        (HEADER + "2025-04,R,d,1\n" * (signals.MAX_ROWS + 1), ("csv", "too_many_rows")),
    ],
)
def test_a_file_that_is_not_right_is_refused_whole(areas: None, text: str, expected: tuple[str, str]) -> None:
    assert [problem[:2] for problem in problems_of(text)] == [expected]


@pytest.mark.parametrize(("source", "code"), [("  ", "required"), ("x" * 201, "too_long")])
def test_the_source_is_required_and_limited(areas: None, source: str, code: str) -> None:
    assert problems_of(HEADER + "2025-04,Repairs,disrepair,1\n", source)[0][:2] == ("source", code)


def test_only_managers_import() -> None:
    with pytest.raises(NotAllowed):
        signals.import_signals(actor_of(make_staff()), HEADER, "Log")


def test_signal_counts_reads_the_months_a_period_touches_by_area_and_kind(areas: None) -> None:
    actor = manager()
    text = HEADER + "".join(
        f"{month},{area},{kind},{count}\n"
        for month, area, kind, count in (
            ("2025-03", "Repairs", "disrepair", 1),  # before the year
            ("2025-04", "Repairs", "disrepair", 2),
            ("2025-06", "Repairs", "disrepair", 3),
            ("2025-06", "Estates", "disrepair", 4),
            ("2025-06", "Repairs", "insurance", 5),
            ("2026-04", "Repairs", "disrepair", 6),  # after the year
        )
    )
    signals.import_signals(actor, text, "Log")
    year = parse_period("2025/26")
    found = signals.signal_counts(actor, year)
    assert [(row.month.month, row.service_area.name, row.kind, row.count) for row in found] == [
        (4, "Repairs", "disrepair", 2),
        (6, "Estates", "disrepair", 4),
        (6, "Repairs", "disrepair", 3),
        (6, "Repairs", "insurance", 5),
    ]
    assert signals.signal_totals(actor, year, kind="disrepair") == [
        (found[1].service_area.id, "Estates", "disrepair", 4),
        (found[0].service_area.id, "Repairs", "disrepair", 5),
    ]
    june = parse_period("2025-06")
    assert [row.count for row in signals.signal_counts(actor, june, found[0].service_area.id)] == [3, 5]


# --- Through the API -------------------------------------------------------------------------------------------

IMPORT = """
mutation ($input: SignalsImportInput!) {
  signalsImport(input: $input) {
    __typename
    ... on SignalsImported { created replaced unchanged }
    ... on ValidationError { problems { field code message } }
  }
}
"""
READ = '{ signals(period: "2025/26") { months { month serviceArea kind count } totals { serviceArea total } } }'
BREAKDOWNS = (
    '{ equalityBreakdowns(period: "2025/26", dimensions: [language]) { tables { total { stages { received } } } } }'
)


def test_a_manager_imports_and_staff_read_through_the_api(browser: Any, signed_in: Any, areas: None) -> None:
    signed_in("manager")
    body = browser.graphql(IMPORT, {"input": {"csv": HEADER + "2025-04,Repairs,damp_mould,12\n", "source": "Log"}})
    assert body.get_json()["data"]["signalsImport"] == {
        "__typename": "SignalsImported",
        "created": 1,
        "replaced": 0,
        "unchanged": 0,
    }
    read = browser.graphql(READ).get_json()["data"]["signals"]
    assert read["months"] == [{"month": "2025-04-01", "serviceArea": "Repairs", "kind": "damp_mould", "count": 12}]
    assert read["totals"] == [{"serviceArea": "Repairs", "total": 12}]


def test_bad_rows_come_back_with_their_rows_through_the_api(browser: Any, signed_in: Any, areas: None) -> None:
    signed_in("manager")
    body = browser.graphql(IMPORT, {"input": {"csv": HEADER + "2025-04,Gardens,damp_mould,12\n", "source": "Log"}})
    problems = body.get_json()["data"]["signalsImport"]["problems"]
    assert [(p["field"], p["code"]) for p in problems] == [("csv[2].serviceArea", "unknown")]
    assert problems[0]["message"].startswith("Row 2: there is no service area called “Gardens”")


@pytest.mark.parametrize("role", ["staff", "resident", "advocate", "panel_member"])
def test_only_managers_have_the_import_mutation(browser: Any, signed_in: Any, role: str) -> None:
    signed_in(role)
    body = browser.graphql(IMPORT, {"input": {"csv": HEADER, "source": "Log"}}).get_json()
    assert body.get("errors") and SignalCount.select().count() == 0


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_only_staff_read_signals_and_breakdowns(browser: Any, signed_in: Any, role: str) -> None:
    signed_in(role)
    for query in (READ, BREAKDOWNS):
        assert browser.graphql(query).get_json().get("errors")


def test_staff_read_breakdowns_with_small_numbers_hidden(browser: Any, signed_in: Any) -> None:
    from tests.factories import make_complaint

    signed_in("staff")
    make_complaint(received_at=dt.datetime(2025, 6, 2, 10))
    body = browser.graphql(BREAKDOWNS).get_json()
    assert body["data"]["equalityBreakdowns"]["tables"][0]["total"]["stages"] == [{"received": None}] * 2


def test_a_bad_period_is_refused_with_its_reason(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql('{ equalityBreakdowns(period: "2025/27") { period } }').get_json()
    assert body["errors"][0]["extensions"]["reason"] == "invalid"
    assert body["errors"][0]["extensions"]["field"] == "period"
