"""Pages fixed after review of the scrutiny panels: the member's findings page, the console's findings page."""

from __future__ import annotations

from typing import Any

from backend.panels import findings, responses
from backend.panels.models import Recommendation
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_panel_findings_pages import setting


def named(user: Any, name: str) -> Any:
    user.display_name = name
    user.save()
    return user


def signed_and_approved(s: dict[str, Any]) -> Any:
    version = findings.save_draft(
        actor_of(s["member"]), s["review"].id, "The short summary.", "The long findings text.", ["Shorten it."]
    )
    findings.add_comment(actor_of(factories.make_staff()), version.id, "It was 84, not 48.")
    comment = version.comments.get()
    findings.decide_comment(actor_of(s["member"]), comment.id, True)
    findings.sign_off(actor_of(s["chair"]), version.id)
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "It costs too much.")
    responses.approve(actor_of(boss), rec.id, local_date())
    return rec


def test_the_members_findings_page_shows_the_findings_signer_and_staff_in_words(browser: Any) -> None:
    s = setting()
    named(s["chair"], "Alex Morgan")
    signed_and_approved(s)
    browser.sign_in(s["member"].email)
    page = browser.client.get(f"/panel/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert "The long findings text." in page
    assert "Signed off by Alex Morgan, chair." in page
    assert "A member of staff: It was 84, not 48." in page and "[staff member]:" not in page
    assert "Record the panel&#39;s view" not in page and "Record the panel's view" not in page


def test_the_chair_sees_the_form_for_the_panels_view(browser: Any) -> None:
    s = setting()
    signed_and_approved(s)
    browser.sign_in(s["chair"].email)
    page = browser.client.get(f"/panel/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert "Record the panel" in page and "s view</button>" in page


def test_only_the_chair_sees_the_decision_buttons_and_not_on_their_own_wording(browser: Any) -> None:
    from tests.test_panel_ledger_pages import documents_review, member, sign_in

    chair, review, document = documents_review()
    other = member(chair.panel)
    theirs = factories.make_document_proposal(document, author=other.person_id)
    url = f"/panel/reviews/{review.id}/documents"
    sign_in(browser, other.person)
    page = browser.client.get(url).get_data(as_text=True)
    assert "Approve for the panel (chair)" not in page and "Do not take it forward" not in page
    browser.sign_out()
    sign_in(browser, chair.person)
    page = browser.client.get(url).get_data(as_text=True)
    assert f"/proposals/{theirs.id}/approve" in page and "Do not take it forward" in page
    own = factories.make_document_proposal(document, author=chair.person_id)
    page = browser.client.get(url).get_data(as_text=True)
    assert f"/proposals/{own.id}/approve" not in page and f"/proposals/{own.id}/decline" in page


def test_the_console_findings_page_shows_the_saved_summary_and_says_text_is_redacted(
    browser: Any, signed_in: Any
) -> None:
    from backend.panels import publication

    s = setting()
    signed_and_approved(s)
    named(s["chair"], "Alex Morgan")
    writer = factories.make_user("manager")
    publication.draft_summary(
        actor_of(writer), s["review"].id, "The panel, chaired by Alex Morgan, looked at LL-2026-000042."
    )
    signed_in("manager")
    page = browser.client.get(f"/console/panels/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert "The summary as saved" in page
    assert "Signed off by Alex Morgan, chair." in page
    assert "The panel, chaired by [panel member], looked at [reference]." in page
    assert page.index("The summary as saved") < page.index("Publish the report")
    assert "Names and contact details are taken out as it is saved." in page


def test_the_response_form_says_names_are_taken_out(browser: Any, signed_in: Any) -> None:
    s = setting()
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary.", "", ["Shorten it."])
    findings.sign_off(actor_of(s["chair"]), version.id)
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    signed_in("manager")
    page = browser.client.get(f"/console/panels/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert f'aria-describedby="reason-{rec.id}-hint"' in page
    assert f'id="reason-{rec.id}-hint">Names and contact details are taken out as it is saved.</p>' in page


def test_the_staff_wording_list_names_the_language(browser: Any, signed_in: Any) -> None:
    from tests.test_panel_ledger_pages import documents_review, member

    chair, review, document = documents_review()
    factories.make_document_proposal(document, author=member(chair.panel).person_id)
    signed_in("staff")
    page = browser.client.get(f"/console/panels/reviews/{review.id}/documents").get_data(as_text=True)
    assert ", English: " in page and ", en: " not in page


def test_the_answer_form_says_names_are_taken_out(browser: Any, signed_in: Any) -> None:
    s = setting()
    factories.make_panel_question(s["review"])
    signed_in("staff")
    page = browser.client.get("/console/panels/questions").get_data(as_text=True)
    assert "Names and contact details are taken out as it is saved." in page
