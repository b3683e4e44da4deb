"""The SPSO indicators page in the console: a quarter or a year chosen without script, tables of figures, and the
complaints behind each figure on their own page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import ComplaintStaff
from tests import factories
from tests.test_reports_spso import complaint, direct, respond


@pytest.fixture(autouse=True)
def _now(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))


def test_staff_see_a_quarters_tables_with_links_to_the_complaints(client: Any, signed_in: Any) -> None:
    signed_in("staff")
    factories.make_stock_count(year=2025, nation="scotland", homes=1000)
    respond(complaint("2025-04-01 10:00"), 1, "2025-04-04 10:00")
    respond(direct("2025-04-02 10:00"), 2, "2025-04-20 10:00", outcome="not_upheld")
    page = client.get("/console/reports/spso?period=2025/26-Q1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2025/26, quarter 1 (April 2025 to June 2025)" in html
    assert "Indicator 5: complaints closed at each stage" in html
    assert '<th scope="row">Complaints received per 1,000 homes</th><td>2.0</td>' in html
    assert "/console/reports/spso/complaints?period=2025/26-Q1&amp;figure=within:stage1" in html
    assert '<option selected value="2025/26-Q1">' in html or 'value="2025/26-Q1" selected' in html


def test_without_a_period_the_page_shows_the_last_complete_quarter(client: Any, signed_in: Any) -> None:
    signed_in("staff")
    html = client.get("/console/reports/spso").get_data(as_text=True)
    assert "2025/26, quarter 4 (January 2026 to March 2026)" in html
    assert "No value: no homes are entered for the year" in html


@pytest.mark.parametrize(
    ("period", "message"), [("2025/27", "Give a period as a year"), ("2030/31", "has not started")]
)
def test_a_period_that_cannot_be_shown_is_an_error_on_the_form(
    client: Any, signed_in: Any, period: str, message: str
) -> None:
    signed_in("staff")
    page = client.get(f"/console/reports/spso?period={period}")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'class="error-summary"' in html and 'href="#period"' in html
    assert message in html
    assert "Indicator 4" not in html


def test_residents_may_not_open_the_page(client: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert client.get("/console/reports/spso").status_code == 403
    assert client.get("/console/reports/spso/complaints?figure=received").status_code == 403


def test_the_complaints_behind_a_figure_leave_out_those_hidden_from_the_reader(client: Any, signed_in: Any) -> None:
    reader = signed_in("staff")
    seen = complaint("2025-04-01 10:00")
    hidden = complaint("2025-04-02 10:00")
    ComplaintStaff.create(complaint=hidden.id, person=reader.id, part="subject")
    html = client.get("/console/reports/spso/complaints?period=2025/26-Q1&figure=received").get_data(as_text=True)
    assert seen.reference in html and hidden.reference not in html
    assert "1 more is hidden from you" in html
    assert client.get("/console/reports/spso/complaints?period=2025/26-Q1&figure=nonsense").status_code == 404
