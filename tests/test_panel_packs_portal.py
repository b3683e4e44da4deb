"""The pack builder in the console and the evidence pages of the panel workspace."""

from __future__ import annotations

import io
from typing import Any

from backend.panels import packs
from backend.panels.models import EvidenceRequest, ItemStatus, PackItem, PackItemView
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member_of(review: Any, user: Any) -> None:
    factories.make_panel_membership(review.panel, user)


def test_staff_add_a_link_preview_and_confirm_it(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    url = f"/console/panels/reviews/{review.id}/pack/link"
    response = browser.submit(url, {"title": "Complaints policy", "url": "https://example.org/policy", "note": ""})
    assert response.status_code == 302
    item = PackItem.get(PackItem.review == review.id)
    assert item.status == ItemStatus.DRAFT
    page = browser.client.get(f"/console/panels/items/{item.id}").get_data(as_text=True)
    assert "Complaints policy" in page and "Confirm" in page
    browser.submit(f"/console/panels/items/{item.id}/confirm", {}, page=f"/console/panels/items/{item.id}")
    assert PackItem.get_by_id(item.id).status == ItemStatus.CONFIRMED
    assert "In the pack" in browser.client.get(f"/console/panels/reviews/{review.id}/pack").get_data(as_text=True)


def test_a_bad_link_is_shown_on_the_form(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    url = f"/console/panels/reviews/{review.id}/pack/link"
    response = browser.submit(url, {"title": "Policy", "url": "http://example.org"})
    assert response.status_code == 400
    assert "https://" in response.get_data(as_text=True)


def test_staff_upload_a_document(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    url = f"/console/panels/reviews/{review.id}/pack/document"
    data = {"title": "Stage 1 letter", "note": "", "file": (io.BytesIO(PDF), "letter.pdf")}
    response = browser.submit(url, data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    item = PackItem.get(PackItem.review == review.id)
    assert item.kind == "document" and item.media_type == "application/pdf"


def test_staff_withdraw_with_a_reason(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    item = factories.make_pack_item()
    page = f"/console/panels/items/{item.id}"
    assert browser.submit(f"{page}/withdraw", {"reason": ""}, page=page).status_code == 400
    browser.submit(f"{page}/withdraw", {"reason": "Out of date."}, page=page)
    assert PackItem.get_by_id(item.id).status == ItemStatus.WITHDRAWN


def test_member_reads_the_pack_and_an_item_and_the_view_is_logged(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    item = factories.make_pack_item(review, title="Complaints policy")
    draft = factories.make_pack_item(review, title="Unchecked letter", status="draft")
    member = signed_in("resident", "panel_member")
    member_of(review, member)
    page = browser.client.get(f"/panel/reviews/{review.id}/pack").get_data(as_text=True)
    assert "Complaints policy" in page and "Unchecked letter" not in page
    response = browser.client.get(f"/panel/items/{item.id}")
    assert response.status_code == 200
    assert PackItemView.select().where(PackItemView.item == item.id, PackItemView.person == member.id).exists()
    assert browser.client.get(f"/panel/items/{draft.id}").status_code == 404


def test_member_downloads_a_document_and_the_view_is_logged(browser: Any, signed_in: Any) -> None:
    from backend.complaints.files import Upload

    review = factories.make_scrutiny_review()
    staff = actor_of(factories.make_staff())
    item = packs.add_document(staff, review.id, "Letter", Upload("letter.pdf", io.BytesIO(PDF)))
    packs.confirm_item(staff, item.id)
    member = signed_in("resident", "panel_member")
    member_of(review, member)
    response = browser.client.get(f"/panel/items/{item.id}/file")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert PackItemView.select().where(PackItemView.item == item.id).count() == 1


def test_another_panels_member_gets_404_for_the_pack_items_and_requests(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    item = factories.make_pack_item(review)
    member = signed_in("resident", "panel_member")
    member_of(factories.make_scrutiny_review(), member)
    assert browser.client.get(f"/panel/reviews/{review.id}/pack").status_code == 404
    assert browser.client.get(f"/panel/items/{item.id}").status_code == 404
    assert browser.client.get(f"/panel/items/{item.id}/file").status_code == 404
    assert browser.client.get(f"/panel/reviews/{review.id}/requests").status_code == 404


def test_member_asks_for_evidence_and_sees_the_answer(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    member = signed_in("resident", "panel_member")
    member_of(review, member)
    url = f"/panel/reviews/{review.id}/requests"
    response = browser.submit(url, {"asked": "Stage 1 letters from March.", "due_on": local_date().isoformat()})
    assert response.status_code == 302
    request = EvidenceRequest.get(EvidenceRequest.review == review.id)
    assert request.asked_by_id == member.id  # type: ignore[attr-defined]
    from backend.panels import requests

    requests.decline_evidence(actor_of(factories.make_staff()), request.id, "They hold personal data.")
    page = browser.client.get(url).get_data(as_text=True)
    assert "They hold personal data." in page and "Declined" in page


def test_member_sees_the_standing_data(browser: Any, signed_in: Any) -> None:
    member = signed_in("resident", "panel_member")
    member_of(factories.make_scrutiny_review(), member)
    page = browser.client.get("/panel/standing").get_data(as_text=True)
    assert "CH01(1)" in page and "Hidden" in page


def test_staff_draw_a_sample_page_shows_problems(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    url = f"/console/panels/reviews/{review.id}/pack/sample"
    assert browser.client.get(url).status_code == 200
    response = browser.submit(url, {"period": "nonsense", "size": "3", "method": "random", "outcome": ""})
    assert response.status_code == 400


def test_every_add_page_and_the_request_pages_show_their_form(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    factories.make_lesson()
    factories.make_survey()
    request = factories.make_evidence_request(review)
    base = f"/console/panels/reviews/{review.id}"
    for page in ("link", "document", "lesson", "survey", "snapshot", "sample"):
        assert browser.client.get(f"{base}/pack/{page}").status_code == 200, page
    for page in ("requests/new", f"requests/{request.id}/supply", f"requests/{request.id}/decline"):
        assert browser.client.get(f"{base}/{page}").status_code == 200, page


def test_staff_add_a_lesson_through_the_form(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    lesson = factories.make_lesson()
    url = f"/console/panels/reviews/{review.id}/pack/lesson"
    assert browser.submit(url, {"lesson": str(lesson.id), "note": ""}).status_code == 302
    item = PackItem.get(PackItem.review == review.id)
    assert item.kind == "lesson" and item.lesson_id == lesson.id  # type: ignore[attr-defined]
    page = browser.client.get(f"/console/panels/items/{item.id}").get_data(as_text=True)
    assert "What happened" in page


def test_staff_preview_a_sampled_case_as_members_will_read_it(browser: Any, signed_in: Any) -> None:
    from backend.complaints.models import Complaint
    from backend.panels import samples
    from backend.timeutil import utcnow

    staff = signed_in("staff")
    review = factories.make_scrutiny_review()
    complaint = factories.make_complaint()
    Complaint.update(status="closed", closed_at=utcnow()).where(Complaint.id == complaint.id).execute()
    samples.draw_sample(actor_of(staff), review.id, period=local_date().strftime("%Y-%m"), size=1)
    item = PackItem.get(PackItem.review == review.id)
    page = browser.client.get(f"/console/panels/items/{item.id}").get_data(as_text=True)
    assert "Case 1" in page and "Received on" in page and complaint.reference not in page


def test_the_review_pages_link_to_the_pack_and_the_requests(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    member_of(review, signed_in("resident", "panel_member"))
    page = browser.client.get(f"/panel/reviews/{review.id}").get_data(as_text=True)
    assert f"/panel/reviews/{review.id}/pack" in page and f"/panel/reviews/{review.id}/requests" in page
    browser.sign_out()
    signed_in("staff")
    page = browser.client.get(f"/console/panels/reviews/{review.id}").get_data(as_text=True)
    assert f"/console/panels/reviews/{review.id}/pack" in page


def _case_content() -> dict[str, Any]:
    import datetime as dt

    from backend.complaints import case_view as cv

    day = dt.date(2026, 3, 2)
    case = cv.RedactedCase(
        label="Case 3",
        nation="england",
        regime="hoc",
        service_area="Repairs",
        category=None,
        channel="face_to_face",
        kind="complaint",
        kind_reason=None,
        represented=True,
        representative_kind="family_member",
        status="closed",
        stages_reached=2,
        received_on=day,
        opened_on=day,
        closed_on=dt.date(2026, 5, 1),
        extended=True,
        contractor_named=False,
        description="The boiler broke twice.",
        summary=None,
        outcomes_sought="Fix it for good.",
        mediation_offered_on=None,
        mediation_note=None,
        refusal_ground=None,
        refusal_reasons=None,
        refused_on=None,
        withdrawn_on=None,
        withdrawal_reason=None,
        underlying_cause=None,
        remedial_action=None,
        ombudsman_referred_on=None,
        ombudsman_determination="service_failure",
        ombudsman_orders=None,
        stages=(
            cv.StageView(
                number=1,
                entry_route=None,
                opened_on=day,
                acknowledged_on=dt.date(2026, 3, 4),
                responded_on=dt.date(2026, 3, 20),
                acknowledge_working_days=2,
                respond_working_days=14,
                acknowledge_breached=False,
                respond_breached=True,
                extended=True,
                extended_days=5,
                extension_authorised=True,
                extension_reason="Waiting for the contractor.",
                extension_good_reason=None,
                escalation_reason=None,
                escalation_backdate_reason=None,
                extension_backdate_reason=None,
                entry_reason=None,
            ),
        ),
        points=(
            cv.PointView(
                position=1,
                stage=1,
                text="The repair was late.",
                outcome_sought="An apology.",
                contractor_named=False,
                landlord_responsible=True,
                signposted_to=None,
                decisions=(cv.DecisionView(stage=1, decision="partly_upheld", reasons="Late by a week."),),
            ),
        ),
        responses=(
            cv.ResponseView(
                stage=1,
                issued_on=dt.date(2026, 3, 20),
                outcome="partly_upheld",
                signed_off=True,
                reasons="We were late.",
                next_steps="Ask for stage 2.",
                underlying_cause=None,
                remedial_action=None,
            ),
        ),
        remedies=(
            cv.RemedyView(
                stage=1,
                kind="financial_redress",
                description="For the delay.",
                amount="50.00",
                due_on=dt.date(2026, 4, 1),
                completed_on=None,
            ),
        ),
        actions=(),
        orders=(),
        updates=(cv.UpdateView(stage=1, every_days=5, method="email", agreed_on=day, note=""),),
        messages=(
            cv.MessageView(
                written_on=day, direction="to_resident", kind="acknowledgement", stage=1, body="We have it."
            ),
        ),
        further_contacts=(),
    )
    return case.as_dict()


def _assert_reads_as_words(page: str) -> None:
    import re

    for text in (
        "The Housing Ombudsman&#39;s Complaint Handling Code",
        "England",
        "Face to face",
        "Family member",
        "2 March 2026",
        "Partly upheld",
        "Financial redress",
        "£50.00",
        "Service failure",
        "We acknowledged your complaint",
        "From the landlord to the resident",
        "By email",
        "14 working days",
        "later than the procedure allows",
    ):
        assert text in page, text
    for heading in ("The complaint", "Stages", "Points of complaint", "Remedies", "Messages with the resident"):
        assert re.search(rf"<h2[^>]*>{heading}", page), heading
    for raw in ("hoc", "england", "face_to_face", "partly_upheld", "financial_redress", "to_resident", "2026-03-02"):
        assert not re.search(rf"(?<![\w-]){raw}(?![\w-])", page), raw
    assert not re.search(r"<dt>[a-z]+_[a-z_]+</dt>", page)


def test_a_case_item_reads_as_a_document_for_members_and_in_the_staff_preview(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    item = factories.make_pack_item(review, kind="case", url="", title="Case 3", content=_case_content())
    user = factories.make_user("resident", "panel_member")
    member_of(review, user)
    browser.sign_in(user.email)
    _assert_reads_as_words(browser.client.get(f"/panel/items/{item.id}").get_data(as_text=True))
    browser.sign_out()
    signed_in("staff")
    _assert_reads_as_words(browser.client.get(f"/console/panels/items/{item.id}").get_data(as_text=True))


def test_a_lesson_item_reads_as_a_document(browser: Any) -> None:
    review = factories.make_scrutiny_review()
    content = {
        "title": "Late repairs",
        "status": "actions_agreed",
        "identifiedOn": "2026-02-03",
        "whatHappened": "Repairs were late.",
        "laterFindings": "",
        "actionsTaken": "",
        "impact": {"business": 3, "residents": 4},
        "rootCauses": [{"cause": "Scheduling", "contributing": True, "detail": "One planner."}],
        "actions": [
            {
                "title": "Second planner",
                "description": "Hire one.",
                "measure": "Late jobs",
                "target": "Under 5%",
                "status": "in_progress",
                "dueOn": "2026-06-30",
                "completedOn": None,
                "effect": "partly",
            }
        ],
    }
    item = factories.make_pack_item(review, kind="lesson", url="", title="Lesson", content=content)
    user = factories.make_user("resident", "panel_member")
    member_of(review, user)
    browser.sign_in(user.email)
    page = browser.client.get(f"/panel/items/{item.id}").get_data(as_text=True)
    for text in ("Actions agreed", "3 February 2026", "In progress", "30 June 2026", "Partly addressed the problem"):
        assert text in page, text
    for raw in ("actions_agreed", "in_progress", "2026-06-30", "identifiedOn", "rootCauses"):
        assert raw not in page, raw


def test_survey_and_snapshot_items_show_words_not_keys(browser: Any) -> None:
    review = factories.make_scrutiny_review()
    survey = {
        "survey": "After your repair",
        "questions": [
            {
                "question": "How satisfied are you?",
                "kind": "single",
                "total": 3,
                "counts": [
                    {"value": "very_satisfied", "count": 2, "label": "Very satisfied"},
                    {"value": "not_satisfied", "count": 1},
                ],
                "mean": None,
            }
        ],
    }
    snapshot = {
        "report": "Stage 1 answers",
        "columns": ["serviceArea.name", "closedAt", "status"],
        "rows": [["Repairs", "2026-04-01", "partly_upheld"]],
        "more": False,
    }
    items = [
        factories.make_pack_item(review, kind="survey", url="", title="Survey", content=survey),
        factories.make_pack_item(review, kind="snapshot", url="", title="Figures", content=snapshot),
    ]
    user = factories.make_user("resident", "panel_member")
    member_of(review, user)
    browser.sign_in(user.email)
    pages = [browser.client.get(f"/panel/items/{item.id}").get_data(as_text=True) for item in items]
    assert "Very satisfied" in pages[0] and "Not satisfied" in pages[0]
    assert "very_satisfied" not in pages[0] and "not_satisfied" not in pages[0]
    for text in ("Service area: Name", "Closed at", "1 April 2026", "Partly upheld"):
        assert text in pages[1], text
    for raw in ("serviceArea", "closedAt", "2026-04-01", "partly_upheld"):
        assert raw not in pages[1], raw


def test_a_survey_item_freezes_each_answers_words() -> None:
    survey = factories.make_survey()
    factories.make_survey_question(survey, kind="single", text={"en": "What about?"})
    figures = packs.survey_figures(factories.actor_of(factories.make_user("admin")), survey)
    counts = next(q["counts"] for q in figures["questions"] if q["question"] == "What about?")
    assert {"value": "repairs", "count": 0, "label": "Repairs"} in counts
