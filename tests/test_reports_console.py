"""The reports pages of the console: CH01 and CH02 for a period with their drill-downs and CSV, and the homes at
each year's end that managers enter and import."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from backend.reports.models import StockCount
from tests.factories import make_stock_count
from tests.test_reports_tsm_complaints import complaint


def page(browser: Any, url: str, status: int = 200) -> str:
    response = browser.client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_staff_see_ch01_and_ch02_with_how_each_is_worked_out(browser: Any, signed_in: Any) -> None:
    make_stock_count(year=2025, homes=2000)
    for n in range(3):
        complaint(dt.date(2025, 6, 2 + n), acknowledged=dt.date(2025, 6, 9), responded=dt.date(2025, 6, 16))
    signed_in("staff")
    html = page(browser, "/console/reports/tsm?period=2025/26")
    assert "CH01(1)" in html and "1.5" in html and "3 ÷ 2,000 homes × 1,000" in html
    assert "100.0%" in html and "3 of 3" in html
    assert "Low-cost home ownership" in html and "no value" in html
    csv = page(browser, "/console/reports/tsm.csv?period=2025/26")
    assert "CH01(1),Low-cost rental,1.5,1.5,3,2000" in csv


def test_a_bad_period_is_shown_on_the_form_in_the_readers_words(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    html = page(browser, "/console/reports/tsm?period=last+year", status=400)
    assert "There is a problem" in html and "Enter a period as a year" in html
    assert 'value="last year"' in html and 'aria-invalid="true"' in html


def test_the_drill_down_lists_each_complaint_with_its_working_days(browser: Any, signed_in: Any) -> None:
    made = complaint(dt.date(2025, 6, 2), acknowledged=dt.date(2025, 6, 2), responded=dt.date(2025, 6, 17))
    signed_in("staff")
    html = page(browser, "/console/reports/tsm/complaints?period=2025/26&list=late&stage=1&tenure=rented")
    assert made.reference in html and ">11<" in html
    csv = page(browser, "/console/reports/tsm/complaints.csv?period=2025/26&list=late&stage=1&tenure=rented")
    assert made.reference in csv and ",11,10,0,0,no," in csv
    page(browser, "/console/reports/tsm/complaints?period=2025/26&list=nonsense", status=404)
    page(browser, "/console/reports/tsm/complaints?period=2025/26&list=late&stage=9", status=404)


def test_residents_cannot_open_reports(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert browser.client.get("/console/reports/tsm").status_code in (302, 403, 404)
    assert browser.client.get("/console/reports/stock").status_code in (302, 403, 404)


def test_staff_read_the_homes_but_cannot_enter_them(browser: Any, signed_in: Any) -> None:
    make_stock_count(year=2025, homes=2000)
    signed_in("staff")
    html = page(browser, "/console/reports/stock")
    assert "2025/26" in html and "2,000" in html and "Enter the homes" not in html
    response = browser.submit(
        "/console/reports/stock",
        {"year": "2025", "nation": "england", "tenure": "rented", "homes": "1", "source": "x"},
        page="/console/reports/stock",
    )
    assert response.status_code == 403


def test_a_manager_enters_corrects_and_removes_homes(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    form = {"year": "2025", "nation": "england", "tenure": "rented", "homes": "2000", "source": "SDR 2026"}
    response = browser.submit("/console/reports/stock", form, page="/console/reports/stock")
    assert response.status_code == 302
    browser.submit("/console/reports/stock", {**form, "homes": "2010"}, page="/console/reports/stock")
    (entry,) = StockCount.select()
    assert entry.homes == 2010
    response = browser.submit(f"/console/reports/stock/{entry.id}/delete", {}, page="/console/reports/stock")
    assert response.status_code == 302 and StockCount.select().count() == 0


def test_a_bad_entry_keeps_what_was_typed(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    form = {"year": "2025", "nation": "england", "tenure": "rented", "homes": "", "source": "SDR 2026"}
    response = browser.submit("/console/reports/stock", form, page="/console/reports/stock")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give the number of homes." in html and 'value="SDR 2026"' in html


def test_an_import_names_each_bad_row_and_keeps_the_rows(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    text = "year,nation,tenure,homes,source\n2024,england,rented,1990,SDR\n2024,england,shared_ownership,lots,SDR\n"
    response = browser.submit("/console/reports/stock/import", {"text": text}, page="/console/reports/stock")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Row 3:" in html and "lots" in html
    assert StockCount.select().count() == 0
    upload = {"file": (io.BytesIO(text.replace("lots", "400").encode()), "stock.csv"), "text": ""}
    response = browser.submit("/console/reports/stock/import", upload, page="/console/reports/stock")
    assert response.status_code == 302 and StockCount.select().count() == 2
