"""The monthly QA pages of the console: counting a month, its failing items, the sample, scoring and the checklist."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from backend.complaints import restricted
from backend.complaints.models import Complaint, ComplaintPoint, ComplaintResponse, PointDecision
from backend.context import SYSTEM
from backend.lessons import qa, quality
from backend.lessons.models import QaReport, QualityCheckItem, QualityReview
from portal.console.lessons import qa as qa_pages
from tests.factories import actor_of, make_complaint, make_improvement_action, make_lesson, make_staff, make_user


def closed_upheld() -> Any:
    complaint = make_complaint()
    point = ComplaintPoint.create(complaint=complaint.id, position=1, text="The tap leaks.")
    response = ComplaintResponse.create(complaint=complaint.id, stage=1, reasons="R.", next_steps="N.")
    PointDecision.create(response=response.id, point=point.id, decision="upheld")
    Complaint.update(
        status="closed", closed_at=dt.datetime(2026, 7, 10, 12), team="Repairs team", handler=make_staff().id
    ).where(Complaint.id == complaint.id).execute()
    return Complaint.get_by_id(complaint.id)


def test_manager_counts_a_month_and_sees_its_failing_items(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    complaint = closed_upheld()
    response = browser.submit("/console/lessons/qa/compute", {"month": "2026-07"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/lessons/qa/2026-07")
    page = browser.client.get("/console/lessons/qa/2026-07").get_data(as_text=True)
    assert f'href="/console/complaints/{complaint.id}"' in page
    assert "0 of 1 (0%)" in page and "no items" in page


def test_month_page_links_failing_actions_and_lessons(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = make_lesson(status="analysed", identified_on=dt.date(2026, 7, 1))
    action = make_improvement_action(lesson, due_on=dt.date(2026, 7, 2), proposed_at=dt.datetime(2026, 7, 1, 9))
    qa.compute_report(SYSTEM, "2026-07")
    page = browser.client.get("/console/lessons/qa/2026-07").get_data(as_text=True)
    assert f'href="/console/lessons/{lesson.id}"' in page
    assert f'href="/console/lessons/actions/{action.id}"' in page


def test_month_page_names_failing_items_by_reference_and_title(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    complaint = closed_upheld()
    lesson = make_lesson(title="Missed visits", status="analysed", identified_on=dt.date(2026, 7, 1))
    action = make_improvement_action(
        lesson, title="Text before visits", due_on=dt.date(2026, 7, 2), proposed_at=dt.datetime(2026, 7, 1, 9)
    )
    qa.compute_report(SYSTEM, "2026-07")
    page = browser.client.get("/console/lessons/qa/2026-07").get_data(as_text=True)
    assert f'<a href="/console/complaints/{complaint.id}">{complaint.reference}</a>' in page
    assert f'<a href="/console/lessons/{lesson.id}">{lesson.reference}: Missed visits</a>' in page
    assert f'<a href="/console/lessons/actions/{action.id}">Text before visits (lesson {lesson.reference})</a>' in page
    assert f"Complaint {complaint.id}<" not in page and f"Action {action.id}<" not in page
    body = browser.client.get("/console/lessons/qa/2026-07/failing.csv").get_data(as_text=True)
    assert "Reference,Title,Due" in body.splitlines()[0]
    assert f",{complaint.reference},," in body and f",{lesson.reference},Text before visits,2026-07-02," in body


def test_month_page_neither_names_nor_links_a_complaint_hidden_from_the_viewer(browser: Any, signed_in: Any) -> None:
    viewer = signed_in("manager")
    complaint = closed_upheld()
    restricted.name_staff(actor_of(make_user("manager")), complaint.id, viewer.id, "subject", "Took the call")
    qa.compute_report(SYSTEM, "2026-07")
    page = browser.client.get("/console/lessons/qa/2026-07").get_data(as_text=True)
    assert complaint.reference not in page and f"/console/complaints/{complaint.id}" not in page
    body = browser.client.get("/console/lessons/qa/2026-07/failing.csv").get_data(as_text=True)
    assert complaint.reference not in body


def test_compute_bad_month_keeps_the_value_and_says_why(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    response = browser.submit("/console/lessons/qa/compute", {"month": "2026-13"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="2026-13"' in page and "Enter a month as year and month" in page
    assert QaReport.select().count() == 0


def test_staff_cannot_count_a_month(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons/qa/compute").status_code == 403


def test_qa_page_shows_the_trend_chart_and_table(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    qa.compute_report(SYSTEM, "2026-06")
    qa.compute_report(SYSTEM, "2026-07")
    page = browser.client.get("/console/lessons/qa").get_data(as_text=True)
    assert page.count('role="img"') == 5 and "The figures as a table" in page


def test_qa_csv_lists_each_month(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    qa.compute_report(SYSTEM, "2026-07")
    body = browser.client.get("/console/lessons/qa.csv").get_data(as_text=True)
    assert "2026-07" in body and "no items" in body


def test_failing_csv_lists_the_complaint(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    complaint = closed_upheld()
    qa.compute_report(SYSTEM, "2026-07")
    body = browser.client.get("/console/lessons/qa/2026-07/failing.csv").get_data(as_text=True)
    assert f"/console/complaints/{complaint.id}" in body


def test_month_page_for_a_bad_month_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons/qa/2026-13").status_code == 404


def test_manager_draws_the_sample_and_scores_a_complaint(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    closed_upheld()
    assert (
        browser.submit("/console/lessons/qa/2026-07/sample", {}, page="/console/lessons/qa/2026-07").status_code == 302
    )
    review = QualityReview.get()
    values = {f"result_{item.id}": "met" for item in quality.checklist()}
    response = browser.submit(f"/console/lessons/qa/reviews/{review.id}", {**values, "comments": "Clear."})
    assert response.status_code == 302
    assert QualityReview.get_by_id(review.id).reviewed_at is not None


def test_scoring_with_an_item_left_out_keeps_what_was_given(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    closed_upheld()
    review = quality.draw_sample(actor_of(manager), "2026-07")[0]
    first, *rest = quality.checklist()
    values = {f"result_{item.id}": "partly" for item in rest}
    response = browser.submit(f"/console/lessons/qa/reviews/{review.id}", {**values, "comments": "Kept words."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kept words." in page and html.escape(f"Choose how the complaint met “{first.text}”.") in page
    assert QualityReview.get_by_id(review.id).reviewed_at is None


def test_blank_scoring_names_each_item_in_its_error_and_note_label(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    closed_upheld()
    review = quality.draw_sample(actor_of(manager), "2026-07")[0]
    items = quality.checklist()
    page = browser.submit(f"/console/lessons/qa/reviews/{review.id}", {"comments": ""}).get_data(as_text=True)
    summary = page[page.index('class="error-summary"') : page.index("</ul>", page.index('class="error-summary"'))]
    errors = re.findall(r"<li><a [^>]*>([^<]*)</a></li>", summary)
    assert len(errors) == len(items) == len(set(errors))
    labels = re.findall(r'<label class="label" for="note_\d+">(.*?)</label>', page)
    assert len(labels) == len(items) == len(set(labels))
    for item in items:
        named = html.escape(qa_pages.short_item(item.text))
        assert f'<span class="visually-hidden"> – {named}</span>' in page
        assert f'<legend class="label">{html.escape(item.text)}</legend>' in page


def test_a_long_checklist_item_is_named_by_its_beginning() -> None:
    named = qa_pages.short_item("The remedy fitted the impact " + "and more words " * 20)
    assert named.startswith("The remedy fitted the impact") and named.endswith("…") and len(named) <= 91


def test_manager_sends_scores_to_the_team(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    closed_upheld()
    review = quality.draw_sample(actor_of(manager), "2026-07")[0]
    quality.score_review(actor_of(manager), review.id, [quality.ScoreInput(i.id, "met") for i in quality.checklist()])
    response = browser.submit(f"/console/lessons/qa/reviews/{review.id}/return", {})
    assert response.status_code == 302
    assert QualityReview.get_by_id(review.id).team_told_at is not None


def test_admin_adds_a_checklist_item(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    response = browser.submit("/console/lessons/qa/checklist/new", {"text": "The letter was clear.", "position": "5"})
    assert response.status_code == 302
    assert QualityCheckItem.get_or_none(QualityCheckItem.text == "The letter was clear.") is not None


def test_checklist_item_without_text_is_refused(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    response = browser.submit("/console/lessons/qa/checklist/new", {"text": " ", "position": "5"})
    assert response.status_code == 400 and "Say what is checked." in response.get_data(as_text=True)


def test_managers_cannot_edit_the_checklist(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    assert browser.client.get("/console/lessons/qa/checklist").status_code == 403


def test_drawing_a_month_with_no_closed_complaints_says_nothing_was_drawn(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    response = browser.submit(
        "/console/lessons/qa/2026-07/sample", {}, page="/console/lessons/qa/2026-07", follow_redirects=True
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "No complaints closed in that month, so there was nothing to sample." in page
    assert "The sample is drawn" not in page
    assert QualityReview.select().count() == 0


def test_drawing_a_month_with_a_closed_complaint_says_the_sample_is_drawn(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    closed_upheld()
    response = browser.submit(
        "/console/lessons/qa/2026-07/sample", {}, page="/console/lessons/qa/2026-07", follow_redirects=True
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "The sample is drawn. Score each complaint in it." in page and "nothing to sample" not in page
