"""Pages for lesson review, findings, responses and publication: the workspace, the console and the public pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.panels import findings, publication, responses
from backend.panels.models import FindingsVersion, LessonAnnotation, PanelQuestion, Recommendation
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def setting() -> dict[str, Any]:
    panel = factories.make_panel()
    review = factories.make_scrutiny_review(panel)
    lesson = factories.make_lesson()
    item = factories.make_pack_item(review, kind="lesson", lesson=lesson.id, url="", title="Lesson: late repairs")
    chair = factories.make_panel_membership(panel, role="chair").person
    member = factories.make_panel_membership(panel).person
    return {"panel": panel, "review": review, "item": item, "lesson": lesson, "chair": chair, "member": member}


def test_member_annotates_a_lesson_item(browser: Any) -> None:
    s = setting()
    browser.sign_in(s["member"].email)
    url = f"/panel/reviews/{s['review'].id}/items/{s['item'].id}/annotations"
    assert browser.client.get(url).status_code == 200
    response = browser.submit(url, {"comment": "Only the letters change.", "rating": "partly"})
    assert response.status_code == 302
    assert LessonAnnotation.get().rating == "partly"
    assert "Only the letters change." in browser.client.get(url).get_data(as_text=True)


def test_annotation_without_comment_or_rating_shows_the_problem(browser: Any) -> None:
    s = setting()
    browser.sign_in(s["member"].email)
    url = f"/panel/reviews/{s['review'].id}/items/{s['item'].id}/annotations"
    response = browser.submit(url, {"comment": ""})
    assert response.status_code == 400
    assert "Write a comment, or choose a rating, or both." in response.get_data(as_text=True)


def test_other_panels_pages_are_not_found(browser: Any) -> None:
    s = setting()
    outsider = factories.make_panel_membership(factories.make_panel()).person
    browser.sign_in(outsider.email)
    review = s["review"].id
    for url in (
        f"/panel/reviews/{review}/findings",
        f"/panel/reviews/{review}/questions",
        f"/panel/reviews/{review}/items/{s['item'].id}/annotations",
    ):
        assert browser.client.get(url).status_code == 404, url


def test_question_asked_in_workspace_and_answered_in_console(browser: Any, signed_in: Any) -> None:
    s = setting()
    browser.sign_in(s["member"].email)
    url = f"/panel/reviews/{s['review'].id}/questions"
    assert browser.submit(url, {"text": "How many were late?"}).status_code == 302
    question = PanelQuestion.get()
    browser.sign_out()
    signed_in("staff")
    page = browser.client.get("/console/panels/questions").get_data(as_text=True)
    assert "How many were late?" in page
    answer = browser.submit(
        f"/console/panels/questions/{question.id}/answer", {"answer": "Twelve."}, page="/console/panels/questions"
    )
    assert answer.status_code == 302
    assert PanelQuestion.get_by_id(question.id).answer == "Twelve."


def test_member_saves_draft_and_chair_signs_off_in_workspace(browser: Any) -> None:
    s = setting()
    browser.sign_in(s["member"].email)
    url = f"/panel/reviews/{s['review'].id}/findings"
    response = browser.submit(
        url, {"summary": "S", "findings": "F", "recommendations": "Shorten letters\nPublish times"}
    )
    assert response.status_code == 302
    version = FindingsVersion.get()
    assert version.recommendations == ["Shorten letters", "Publish times"]
    page = browser.client.get(url).get_data(as_text=True)
    assert "Sign off" not in page
    browser.sign_out()
    browser.sign_in(s["chair"].email)
    assert "Sign off version 1" in browser.client.get(url).get_data(as_text=True)
    browser.submit(f"{url}/{version.id}/sign-off", {"confirm": "y"}, page=url)
    assert FindingsVersion.get_by_id(version.id).signed_off_at is not None
    assert Recommendation.select().count() == 2


def signed(s: dict[str, Any]) -> Recommendation:
    version = findings.save_draft(actor_of(s["chair"]), s["review"].id, "S", "F", ["Shorten the letter."])
    findings.sign_off(actor_of(s["chair"]), version.id)
    return Recommendation.get(Recommendation.review == s["review"].id)


def test_manager_responds_in_console_and_owner_is_hidden_from_members(browser: Any, signed_in: Any) -> None:
    s = setting()
    rec = signed(s)
    signed_in("manager")
    owner = factories.make_staff()
    url = f"/console/panels/reviews/{s['review'].id}/findings"
    refused = browser.submit(
        f"/console/panels/reviews/{s['review'].id}/recommendations/{rec.id}/respond",
        {"decision": "accepted", "reason": "Yes", "owner_id": "", "due_on": ""},
        page=url,
    )
    assert refused.status_code == 400
    assert "Choose who owns the actions." in refused.get_data(as_text=True)
    due = (local_date() + dt.timedelta(days=30)).isoformat()
    browser.submit(
        f"/console/panels/reviews/{s['review'].id}/recommendations/{rec.id}/respond",
        {"decision": "accepted", "reason": "We agree.", "owner_id": str(owner.id), "due_on": due},
        page=url,
    )
    assert Recommendation.get_by_id(rec.id).action_id is not None
    assert owner.display_name in browser.client.get(url).get_data(as_text=True)
    browser.sign_out()
    browser.sign_in(s["member"].email)
    page = browser.client.get(f"/panel/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert "We agree." in page and "Planned" in page
    assert owner.display_name not in page


def test_published_report_is_public_without_staff_names(browser: Any) -> None:
    s = setting()
    rec = signed(s)
    boss, other, owner = factories.make_user("manager"), factories.make_user("manager"), factories.make_staff()
    responses.respond(actor_of(boss), rec.id, "accepted", "We agree.", owner.id, local_date() + dt.timedelta(days=9))
    responses.approve(actor_of(boss), rec.id, local_date())
    publication.draft_summary(actor_of(boss), s["review"].id, "The panel reviewed the complaints journey.")
    assert browser.client.get(f"/scrutiny/{s['review'].reference}").status_code == 404
    publication.publish(actor_of(other), s["review"].id)
    listing = browser.client.get("/scrutiny").get_data(as_text=True)
    assert s["review"].reference in listing
    page = browser.client.get(f"/scrutiny/{s['review'].reference}").get_data(as_text=True)
    assert "We agree." in page and "Planned" in page
    for name in (owner.display_name, boss.display_name, other.display_name):
        assert name not in page
    assert browser.client.get("/scrutiny/SR-1999-99").status_code == 404


def test_console_publication_by_a_second_manager(browser: Any, signed_in: Any) -> None:
    s = setting()
    rec = signed(s)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "Too costly.")
    responses.approve(actor_of(boss), rec.id, local_date())
    writer = signed_in("manager")
    url = f"/console/panels/reviews/{s['review'].id}/findings"
    browser.submit(f"/console/panels/reviews/{s['review'].id}/summary", {"summary": "Summary."}, page=url)
    assert publication.drafted_by(s["review"].id) == writer.id
    browser.submit(f"/console/panels/reviews/{s['review'].id}/publish", {}, page=url)
    assert publication.public_report(s["review"].reference) is None
    browser.sign_out()
    signed_in("manager")
    browser.submit(f"/console/panels/reviews/{s['review'].id}/publish", {}, page=url)
    assert publication.public_report(s["review"].reference) is not None


def test_console_lesson_page_shows_the_panels_annotations(browser: Any, signed_in: Any) -> None:
    s = setting()
    factories.make_lesson_annotation(s["item"], lesson=s["lesson"].id, author=s["member"].id)
    signed_in("staff")
    page = browser.client.get(f"/console/lessons/{s['lesson'].id}").get_data(as_text=True)
    assert "The scrutiny panel&#39;s annotations" in page or "The scrutiny panel's annotations" in page
    assert "The actions fix the letters but not the missed appointments." in page


def test_manager_adds_an_approval_meeting(browser: Any, signed_in: Any) -> None:
    from backend.panels.models import ApprovalMeeting

    signed_in("manager")
    url = "/console/panels/approval-meetings"
    assert browser.client.get(url).status_code == 200
    day = (local_date() + dt.timedelta(days=20)).isoformat()
    assert browser.submit(url, {"body": "board", "meets_on": day}).status_code == 302
    assert ApprovalMeeting.get().body == "board"
    refused = browser.submit(url, {"body": "board", "meets_on": day})
    assert refused.status_code == 409
    assert "That body already has a meeting on that day." in refused.get_data(as_text=True)


def test_console_findings_of_a_missing_review_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/panels/reviews/999999/findings").status_code == 404


def test_staff_enter_a_members_question_and_annotation_given_by_phone(browser: Any, signed_in: Any) -> None:
    s = setting()
    officer = signed_in("staff")
    url = f"/console/panels/reviews/{s['review'].id}/on-behalf"
    assert browser.client.get(url).status_code == 200
    asked = browser.submit(url, {"member_id": str(s["member"].id), "channel": "phone", "text": "Why so late?"})
    assert asked.status_code == 302
    question = PanelQuestion.get()
    assert (question.asked_by_id, question.entered_by_id, question.channel) == (s["member"].id, officer.id, "phone")
    values = {"member_id": str(s["member"].id), "channel": "paper", "item_id": str(s["item"].id), "rating": "does_not"}
    assert browser.submit(url, {**values, "text": "Letters only."}).status_code == 302
    note = LessonAnnotation.get()
    assert (note.author_id, note.entered_by_id, note.rating) == (s["member"].id, officer.id, "does_not")
    outsider = factories.make_user("resident", "panel_member")
    refused = browser.submit(url, {"member_id": str(outsider.id), "channel": "phone", "text": "Hello"})
    assert refused.status_code == 400
    assert "Choose a current member of this panel." in refused.get_data(as_text=True)


def test_draft_form_gives_way_to_a_sentence_once_the_landlord_responds(browser: Any) -> None:
    s = setting()
    rec = signed(s)
    browser.sign_in(s["member"].email)
    url = f"/panel/reviews/{s['review'].id}/findings"
    assert "Save as a new version" in browser.client.get(url).get_data(as_text=True)
    responses.respond(actor_of(factories.make_user("manager")), rec.id, "not_accepted", "Too costly.")
    page = browser.client.get(url).get_data(as_text=True)
    assert "Save as a new version" not in page
    assert "The draft can no longer be changed: the landlord has started responding" in page


def test_console_publishing_controls_only_when_the_report_can_be_published(browser: Any, signed_in: Any) -> None:
    s = setting()
    rec = signed(s)
    signed_in("manager")
    url = f"/console/panels/reviews/{s['review'].id}/findings"
    page = browser.client.get(url).get_data(as_text=True)
    assert "Publish the report" not in page and "Save the summary" not in page
    assert "The report can be published once the panel has signed it off" in page
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "Too costly.")
    responses.approve(actor_of(boss), rec.id, local_date())
    page = browser.client.get(url).get_data(as_text=True)
    assert "Save the summary" in page and "Publish the report" not in page
    assert "Before the report can be published, save its public summary." in page
    publication.draft_summary(actor_of(boss), s["review"].id, "Summary.")
    assert "Publish the report" in browser.client.get(url).get_data(as_text=True)
    publication.publish(actor_of(factories.make_user("manager")), s["review"].id)
    page = browser.client.get(url).get_data(as_text=True)
    assert "Publish the report" not in page and "Save the summary" not in page
    assert "The report is published on the public page." in page


def test_drafter_of_the_summary_is_told_another_manager_publishes(browser: Any, signed_in: Any) -> None:
    s = setting()
    rec = signed(s)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "Too costly.")
    responses.approve(actor_of(boss), rec.id, local_date())
    writer = signed_in("manager")
    publication.draft_summary(actor_of(writer), s["review"].id, "Summary.")
    page = browser.client.get(f"/console/panels/reviews/{s['review'].id}/findings").get_data(as_text=True)
    assert "Publish the report" not in page
    assert "You saved the public summary, so another manager checks it and publishes the report." in page
