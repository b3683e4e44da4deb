"""The ledger's and the letters-and-leaflets review's pages: the console's ledger, member page, rewards, CSV and
documents review; the workspace's My involvement and documents under review. Every page showing rewards carries the
benefits note; members reach only their own."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from backend.notifications.templates import effective_source
from backend.panels.models import DocumentProposal, InvolvementEntry, PanelMembership
from backend.timeutil import local_date, utcnow
from tests import factories

BENEFITS = "Universal Credit"


def member(panel: Any = None, **values: Any) -> Any:
    return factories.make_panel_membership(panel, **values)


def sign_in(browser: Any, user: Any) -> None:
    assert browser.sign_in(user.email).status_code == 302


def test_console_ledger_shows_each_member_and_the_benefits_note(browser: Any, signed_in: Any) -> None:
    mine = member()
    factories.make_involvement_entry(mine, kind="expense", minutes_given=0, amount_pence=1250)
    signed_in("staff")
    page = browser.client.get("/console/panels/ledger").get_data(as_text=True)
    assert mine.person.display_name in page and "£12.50" in page and BENEFITS in page


def test_console_ledger_offers_waiting_meetings_and_records_them(browser: Any, signed_in: Any) -> None:
    mine = member()
    review = factories.make_scrutiny_review(mine.panel)
    meeting = factories.make_panel_meeting(review, starts_at=utcnow() - dt.timedelta(days=1))
    factories.make_panel_attendance(meeting, mine.person)
    signed_in("staff")
    page = browser.client.get("/console/panels/ledger").get_data(as_text=True)
    assert "Record attendance" in page
    response = browser.submit(f"/console/panels/ledger/record/meeting/{meeting.id}", {}, page="/console/panels/ledger")
    assert response.status_code == 302
    assert InvolvementEntry.get(InvolvementEntry.meeting == meeting.id).membership_id == mine.id


def test_console_ledger_csv_has_a_row_per_member(browser: Any, signed_in: Any) -> None:
    mine = member()
    factories.make_involvement_entry(mine, kind="meeting", minutes_given=90)
    factories.make_involvement_entry(mine, kind="reward", minutes_given=0, amount_pence=2500, approved_at=utcnow())
    signed_in("staff")
    response = browser.client.get(f"/console/panels/ledger.csv?panel={mine.panel_id}")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Panel", "Member"]
    assert (
        rows[1][1] == mine.person.display_name and rows[1][4] == "1" and rows[1][6] == "1.5" and rows[1][9] == "25.00"
    )


def test_console_member_page_records_an_expense(browser: Any, signed_in: Any) -> None:
    mine = member()
    signed_in("staff")
    url = f"/console/panels/ledger/members/{mine.id}"
    data = {"kind": "expense", "occurred_on": local_date().isoformat(), "amount": "£7.40", "note": "Bus fares"}
    assert browser.submit(url, data).status_code == 302
    entry = InvolvementEntry.get(InvolvementEntry.membership == mine.id)
    assert (entry.kind, entry.amount_pence) == ("expense", 740)
    assert "Bus fares" in browser.client.get(url).get_data(as_text=True)


def test_console_member_page_shows_problems_by_their_fields(browser: Any, signed_in: Any) -> None:
    mine = member()
    signed_in("staff")
    url = f"/console/panels/ledger/members/{mine.id}"
    response = browser.submit(url, {"kind": "expense", "occurred_on": local_date().isoformat(), "amount": "12.345"})
    assert response.status_code == 400 and "pounds and pence" in response.get_data(as_text=True)
    response = browser.submit(url, {"kind": "expense", "occurred_on": local_date().isoformat(), "amount": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page and "what the expense was for" in page
    assert not InvolvementEntry.select().exists()


def test_console_member_page_of_no_member_is_404(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/panels/ledger/members/999999").status_code == 404


def test_console_rewards_page_approves_a_reward(browser: Any, signed_in: Any) -> None:
    mine = member()
    reward = factories.make_involvement_entry(mine, kind="reward", minutes_given=0, amount_pence=2500)
    signed_in("manager")
    page = browser.client.get("/console/panels/rewards").get_data(as_text=True)
    assert "£25.00" in page and BENEFITS in page
    response = browser.submit(f"/console/panels/rewards/{reward.id}/approve", {}, page="/console/panels/rewards")
    assert response.status_code == 302
    assert InvolvementEntry.get_by_id(reward.id).approved_at is not None


def test_console_pages_are_for_staff_only(browser: Any) -> None:
    mine = member()
    sign_in(browser, mine.person)
    for url in ("/console/panels/ledger", "/console/panels/rewards", "/console/panels/ledger.csv"):
        assert browser.client.get(url).status_code in (302, 403, 404)


def test_my_involvement_shows_my_own_record_and_the_benefits_note(browser: Any) -> None:
    mine = member()
    other = member(mine.panel)
    factories.make_involvement_entry(mine, kind="hours", minutes_given=60, note="Reading the pack")
    factories.make_involvement_entry(other, kind="hours", minutes_given=60, note="Someone else's time")
    sign_in(browser, mine.person)
    page = browser.client.get("/panel/involvement").get_data(as_text=True)
    assert "Reading the pack" in page and "Someone else" not in page and BENEFITS in page


def test_my_involvement_opts_out_of_rewards_and_back_in(browser: Any) -> None:
    mine = member()
    sign_in(browser, mine.person)
    url = f"/panel/involvement/{mine.id}/rewards"
    assert browser.submit(url, {"opt_out": "yes"}, page="/panel/involvement").status_code == 302
    assert PanelMembership.get_by_id(mine.id).rewards_opt_out is True
    assert "Opt back in" in browser.client.get("/panel/involvement").get_data(as_text=True)
    browser.submit(url, {"opt_out": "no"}, page="/panel/involvement")
    assert PanelMembership.get_by_id(mine.id).rewards_opt_out is False


def test_opting_out_for_someone_else_is_404(browser: Any) -> None:
    mine = member()
    other = member(mine.panel)
    sign_in(browser, mine.person)
    response = browser.submit(f"/panel/involvement/{other.id}/rewards", {"opt_out": "yes"}, page="/panel/involvement")
    assert response.status_code == 404
    assert PanelMembership.get_by_id(other.id).rewards_opt_out is False


def documents_review() -> tuple[Any, Any, Any]:
    chair = member(role="chair")
    review = factories.make_scrutiny_review(chair.panel, kind="documents", topic="Our complaint letters")
    document = factories.make_review_document(review)
    return chair, review, document


def test_workspace_documents_page_shows_the_wording_in_use_and_takes_a_proposal(browser: Any) -> None:
    chair, review, document = documents_review()
    mine = member(chair.panel)
    sign_in(browser, mine.person)
    assert "Our complaint letters" in browser.client.get("/panel/documents").get_data(as_text=True)
    url = f"/panel/reviews/{review.id}/documents"
    page = browser.client.get(url).get_data(as_text=True)
    assert "{{ team }}" in page and "Propose wording" in page
    prefix = f"d{document.id}-"
    data = {prefix + "locale": "en", prefix + "subject": "", prefix + "text": "Dear {{ name }}, we have it."}
    response = browser.submit(f"{url}/{document.id}/propose", data, page=url)
    assert response.status_code == 302
    assert DocumentProposal.get().author_id == mine.person_id


def test_workspace_proposal_with_a_bad_placeholder_is_shown_by_the_field(browser: Any) -> None:
    chair, review, document = documents_review()
    sign_in(browser, chair.person)
    url = f"/panel/reviews/{review.id}/documents"
    prefix = f"d{document.id}-"
    data = {prefix + "locale": "en", prefix + "text": "Dear {{ nickname }}"}
    response = browser.submit(f"{url}/{document.id}/propose", data, page=url)
    assert response.status_code == 400 and "nickname" in response.get_data(as_text=True)


def test_workspace_documents_of_another_panel_are_404(browser: Any) -> None:
    _chair, review, _document = documents_review()
    outsider = member()
    sign_in(browser, outsider.person)
    assert browser.client.get(f"/panel/reviews/{review.id}/documents").status_code == 404


def test_chair_approves_and_staff_adopt_the_wording(browser: Any, signed_in: Any) -> None:
    chair, review, document = documents_review()
    proposal = factories.make_document_proposal(document, author=member(chair.panel).person_id)
    sign_in(browser, chair.person)
    url = f"/panel/reviews/{review.id}/documents"
    response = browser.submit(f"/panel/reviews/{review.id}/proposals/{proposal.id}/approve", {}, page=url)
    assert response.status_code == 302 and DocumentProposal.get_by_id(proposal.id).status == "approved"
    browser.sign_out()
    signed_in("manager")
    console = f"/console/panels/reviews/{review.id}/documents"
    assert "Adopt this wording" in browser.client.get(console).get_data(as_text=True)
    response = browser.submit(f"/console/panels/reviews/{review.id}/proposals/{proposal.id}/adopt", {}, page=console)
    assert response.status_code == 302 and DocumentProposal.get_by_id(proposal.id).status == "adopted"
    assert effective_source("complaint.acknowledged", "email", "en")[1] == proposal.text
    edit = browser.client.get("/console/templates/complaint.acknowledged/email/en").get_data(as_text=True)
    assert "approved by the scrutiny panel" in edit


def test_console_puts_a_document_under_review(browser: Any, signed_in: Any) -> None:
    chair = member(role="chair")
    review = factories.make_scrutiny_review(chair.panel, kind="documents")
    signed_in("staff")
    url = f"/console/panels/reviews/{review.id}/documents"
    assert "Put a document under review" in browser.client.get(url).get_data(as_text=True)
    data = {"kind": "wording", "title": "Stage 2 letter", "event": "complaint.escalated", "channel": "letter"}
    assert browser.submit(url, data).status_code == 302
    response = browser.submit(url, {**data, "channel": "pigeon"})
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_stage_page_says_the_leaflet_in_use_was_approved_by_the_panel(browser: Any, signed_in: Any) -> None:
    from backend.panels import documents
    from tests.factories import actor_of
    from tests.test_panel_documents import leaflet_pdf

    chair, review, _document = documents_review()
    stage = factories.make_regime_stage()
    admin = signed_in("admin")
    document = documents.add_document(actor_of(admin), review.id, "leaflet", "Stage 1 leaflet", stage_id=stage.id)
    proposal = documents.propose_wording(actor_of(chair.person), document.id, "en", "How we handle complaints.")
    documents.approve_proposal(actor_of(admin), proposal.id)  # the panel approved it at a meeting
    console = f"/console/panels/reviews/{review.id}/documents"
    assert "Attach the leaflet" in browser.client.get(console).get_data(as_text=True)
    data = {"file": (io.BytesIO(leaflet_pdf()), "leaflet.pdf"), "title": "How we handle complaints"}
    response = browser.submit(
        f"/console/panels/reviews/{review.id}/proposals/{proposal.id}/adopt",
        data,
        page=console,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and DocumentProposal.get_by_id(proposal.id).status == "adopted"
    page = browser.client.get(f"/console/complaint-settings/stages/{stage.id}").get_data(as_text=True)
    assert "approved by the scrutiny panel" in page
