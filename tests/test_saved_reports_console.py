"""Saved reports in the console: saving one with helpful errors, running it as the reader (who sees only what they
may see, whoever saved it), its chart, and its CSV and XLSX downloads with formulas neutralised."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from backend import config
from backend.complaints import restricted
from backend.reports.models import SavedReport
from tests import factories

COMPLAINTS = "query Complaints { complaints(first: 50, orderBy: [{field: reference}]) { nodes { reference status } } }"


def test_console_saves_report_and_opens_it(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    factories.make_complaint()
    response = browser.submit(
        "/console/reports/saved/new",
        {"name": "All complaints", "query": COMPLAINTS, "display": "table", "sharing": "private", "schedule": "none"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    report = SavedReport.get()
    page = browser.client.get(f"/console/reports/saved/{report.id}").get_data(as_text=True)
    assert "<caption" in page and "All complaints: 1 rows" in page
    assert "Download as CSV" in page


def test_console_shows_query_problem_next_to_query(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    response = browser.submit(
        "/console/reports/saved/new",
        {
            "name": "Broken",
            "query": "{ complaints { nodes { referenz } } }",
            "display": "table",
            "sharing": "private",
            "schedule": "none",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#query"' in page
    assert "Line 1: “referenz” is not a field of Complaint that you can read." in page


def test_shared_report_runs_as_reader_who_cannot_see_restricted_case(browser: Any, signed_in: Any) -> None:
    """A case handler named in a complaint does not see it in a report a manager saved and shared."""
    manager = factories.make_user("manager")
    visible, hidden = factories.make_complaint(), factories.make_complaint()
    report = factories.make_saved_report(manager, query=COMPLAINTS, shared=True)
    handler = signed_in("staff")
    restricted.name_staff(factories.actor_of(manager), hidden.id, handler.id, "subject", "Took the call")
    page = browser.client.get(f"/console/reports/saved/{report.id}").get_data(as_text=True)
    assert visible.reference in page
    assert hidden.reference not in page
    csv_text = browser.client.get(f"/console/reports/saved/{report.id}.csv").get_data(as_text=True)
    assert visible.reference in csv_text and hidden.reference not in csv_text


def test_private_report_is_not_found_for_others(browser: Any, signed_in: Any) -> None:
    report = factories.make_saved_report(factories.make_staff())
    signed_in("staff")
    assert browser.client.get(f"/console/reports/saved/{report.id}").status_code == 404
    assert browser.client.get(f"/console/reports/saved/{report.id}.xlsx").status_code == 404
    assert "Complaints by status" not in browser.client.get("/console/reports/saved").get_data(as_text=True)


def test_exports_neutralise_formulas(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    complaint = factories.make_complaint()
    complaint.summary = '=HYPERLINK("http://example.com")'
    complaint.save()
    query = "{ complaints { nodes { summary stage } } }"
    report = factories.make_saved_report(owner, query=query, columns=["summary", "stage"])
    csv_text = browser.client.get(f"/console/reports/saved/{report.id}.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    response = browser.client.get(f"/console/reports/saved/{report.id}.xlsx")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("summary", "stage")
    assert rows[1] == ('\'=HYPERLINK("http://example.com")', 1)


def test_report_parameters_form_runs_with_values(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    factories.make_complaint()
    query = "query($status: ComplaintStatus!) { complaints(where: {status: {eq: $status}}) { nodes { reference } } }"
    report = factories.make_saved_report(owner, query=query, columns=["reference"])
    first = browser.client.get(f"/console/reports/saved/{report.id}").get_data(as_text=True)
    assert 'name="p_status"' in first and "<caption" not in first
    missing = browser.client.get(f"/console/reports/saved/{report.id}?run=1&p_status=")
    assert missing.status_code == 200 and "Give a value for status." in missing.get_data(as_text=True)
    ran = browser.client.get(f"/console/reports/saved/{report.id}?run=1&p_status=closed").get_data(as_text=True)
    assert "has no rows for you" in ran


def test_bar_chart_draws_svg_with_table(browser: Any, signed_in: Any) -> None:
    owner = signed_in("manager")
    factories.make_complaint()
    query = "{ complaintsAggregate(groupBy: [status]) { key { status } count } }"
    report = factories.make_saved_report(
        owner,
        query=query,
        display="bar",
        rows_path="complaintsAggregate",
        columns=["key.status", "count"],
        label_field="key.status",
        value_field="count",
    )
    page = browser.client.get(f"/console/reports/saved/{report.id}").get_data(as_text=True)
    assert "<svg" in page and 'class="chart-bar"' in page and "The figures as a table" in page


def test_report_over_cost_limit_is_refused(browser: Any, signed_in: Any, monkeypatch: Any) -> None:
    owner = signed_in("staff")
    report = factories.make_saved_report(owner)
    monkeypatch.setattr(config, "_current", config.current().with_overrides(graphql_max_cost_staff=2))
    response = browser.client.get(f"/console/reports/saved/{report.id}")
    assert response.status_code == 400
    assert "could return too much for you" in response.get_data(as_text=True)


def edit_values(**values: Any) -> dict[str, Any]:
    return {"name": "Renamed", "query": COMPLAINTS, "display": "table", "sharing": "private", "schedule": "none",
            **values}  # fmt: skip


def test_owner_edits_report_and_sees_problems_at_their_fields(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    report = factories.make_saved_report(owner)
    url = f"/console/reports/saved/{report.id}/edit"
    bad = browser.submit(url, edit_values(query="mutation { x }", schedule="weekly"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'id="query-error"' in page and "A report can only read: this is a mutation." in page
    assert 'id="schedule_weekday-error"' in page
    good = browser.submit(url, edit_values(schedule="weekly", schedule_weekday="1", recipients=str(owner.id)))
    assert good.status_code == 302
    saved = SavedReport.get_by_id(report.id)
    assert (saved.name, saved.schedule, saved.schedule_weekday) == ("Renamed", "weekly", 1)


def test_only_owner_may_edit_or_delete_in_console(browser: Any, signed_in: Any) -> None:
    report = factories.make_saved_report(factories.make_staff(), shared=True)
    signed_in("staff")
    assert browser.client.get(f"/console/reports/saved/{report.id}").status_code == 200
    assert browser.client.get(f"/console/reports/saved/{report.id}/edit").status_code == 403
    assert browser.client.get(f"/console/reports/saved/{report.id}/delete").status_code == 403


def test_owner_shares_then_deletes_in_console(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    report = factories.make_saved_report(owner)
    page = f"/console/reports/saved/{report.id}"
    assert browser.submit(f"{page}/share", {"shared": "true"}, page=page).status_code == 302
    assert SavedReport.get_by_id(report.id).shared is True
    assert browser.submit(f"{page}/delete", {}).status_code == 302
    assert SavedReport.get_or_none(SavedReport.id == report.id) is None
