"""Comments on changes: posting, redaction holding a comment, replies one level deep, reports hiding one, deleting
one's own, the moderators' actions and making a contact of a dissatisfied comment."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import User
from backend.cocreation import comments, moderation
from backend.cocreation.models import ChangeComment, CommentReport, ModerationAction
from backend.complaints.models import Contact
from backend.config import current
from backend.context import ANONYMOUS
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Throttled
from backend.events.models import OutboxEvent
from backend.notifications.registry import EVENTS
from tests import factories
from tests.factories import actor_of


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def events(name: str) -> list[dict[str, Any]]:
    return [event.payload for event in OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id)]


@pytest.fixture
def change() -> Any:
    return factories.make_change()


@pytest.fixture
def resident() -> Any:
    user = factories.make_user("resident", email="gwen@example.net", home=factories.make_home(nation="wales"))
    user.display_name = "Gwen Pritchard"
    user.save()
    return user


def test_post_comment_without_personal_data_is_published_at_once(change, resident) -> None:
    row = comments.post_comment(actor_of(resident), change.reference, "  The text reminder works well.  ", "cy")
    assert (row.status, row.body, row.body_public, row.locale) == (
        "published",
        "The text reminder works well.",
        "The text reminder works well.",
        "cy",
    )
    assert events("cocreation.comment_posted")[-1]["status"] == "published"


@pytest.mark.parametrize(
    ("words", "gone"),
    [
        ("Gwen Pritchard here, it still leaks.", "Pritchard"),
        ("Ring me on 07700 900123 about it.", "07700"),
        ("Email gwen@example.net please.", "gwen@example.net"),
        ("Mrs Okafor next door agrees.", "Okafor"),
    ],
)
def test_post_comment_with_personal_data_is_held_with_redacted_public_text(change, resident, words, gone) -> None:
    row = comments.post_comment(actor_of(resident), change.reference, words)
    assert (row.status, row.held_reason, row.body) == ("held", "personal_data", words)
    assert gone not in row.body_public and row.body_public != words


def test_post_comment_naming_the_commenters_home_address_is_held(change, resident) -> None:
    home = resident.home
    row = comments.post_comment(actor_of(resident), change.reference, f"At {home.address} the damp is back.")
    assert row.status == "held" and home.address not in row.body_public


@pytest.mark.parametrize(
    ("body", "problem"),
    [("", "required"), ("   \u200b ", "required"), ("x" * 2_001, "too_long")],
)
def test_post_comment_with_bad_body_is_refused_and_nothing_is_stored(change, resident, body, problem) -> None:
    with pytest.raises(Invalid) as caught:
        comments.post_comment(actor_of(resident), change.reference, body)
    assert codes(caught.value) == {("comment_body", problem)} and caught.value.at == ("body",)
    assert ChangeComment.select().count() == 0


def test_post_comment_of_exactly_the_limit_is_accepted(change, resident) -> None:
    assert comments.post_comment(actor_of(resident), change.reference, "y" * 2_000).status == "published"


def test_post_comment_on_an_unpublished_change_is_not_found(resident) -> None:
    draft = factories.make_change(published_at=None)
    with pytest.raises(NotFound):
        comments.post_comment(actor_of(resident), draft.reference, "Hello")


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_post_comment_by_anyone_but_a_resident_is_refused(change, who) -> None:
    actor = ANONYMOUS if who == "anonymous" else actor_of(factories.make_staff())
    with pytest.raises(NotAllowed):
        comments.post_comment(actor, change.reference, "Hello")


def test_post_comment_twice_with_the_same_words_counts_once(change, resident) -> None:
    first = comments.post_comment(actor_of(resident), change.reference, "Much better now.")
    again = comments.post_comment(actor_of(resident), change.reference, "Much better now.")
    assert again.id == first.id and ChangeComment.select().count() == 1


def test_post_comment_past_the_daily_limit_is_throttled(change, resident) -> None:
    for n in range(comments.DAILY_LIMIT):
        comments.post_comment(actor_of(resident), change.reference, f"Comment number {n}")
    with pytest.raises(Throttled):
        comments.post_comment(actor_of(resident), change.reference, "One too many")


def test_staff_reply_is_official_and_published(change, resident) -> None:
    parent = comments.post_comment(actor_of(resident), change.reference, "Still waiting for the van.")
    reply = comments.reply_to_comment(actor_of(factories.make_staff()), parent.id, "Sorry, we will call you today.")
    assert (reply.official, reply.status, reply.parent_id) == (True, "published", parent.id)


def test_staff_reply_that_names_the_resident_waits_for_a_moderator(change, resident) -> None:
    parent = comments.post_comment(actor_of(resident), change.reference, "Still waiting for the van.")
    reply = comments.reply_to_comment(actor_of(factories.make_staff()), parent.id, "Sorry Gwen, we will call.")
    assert (reply.official, reply.status) == (True, "held")
    assert "Gwen" not in reply.body_public


def test_comment_naming_someone_the_landlord_knows_or_a_case_waits_for_a_moderator(change, resident) -> None:
    neighbour = factories.make_user()
    User.update(display_name="Dionne Clarke").where(User.id == neighbour.id).execute()
    words = "My neighbour Dionne Clarke had the same, see ll-2025-8."
    held = comments.post_comment(actor_of(resident), change.reference, words)
    assert held.status == "held"
    assert "Dionne Clarke" not in held.body_public and "ll-2025-8" not in held.body_public


def test_comment_naming_a_complainant_behind_the_change_waits_for_a_moderator(change, resident) -> None:
    complaint = factories.make_complaint(factories.make_user())
    factories.make_change_contact(change, complaint.contact)
    User.update(display_name="Dionne Clarke").where(User.id == complaint.resident_id).execute()
    first_name = "Dionne"
    held = comments.post_comment(actor_of(resident), change.reference, f"Good on {first_name} for complaining.")
    assert held.status == "held" and first_name not in held.body_public


def test_report_never_hides_the_landlords_official_reply(change, resident) -> None:
    parent = comments.post_comment(actor_of(resident), change.reference, "Still waiting for the van.")
    reply = comments.reply_to_comment(actor_of(factories.make_staff()), parent.id, "We will call you today.")
    for _ in range(current().comment_report_limit + 1):
        comments.report_comment(actor_of(factories.make_user()), reply.id)
    assert ChangeComment.get_by_id(reply.id).status == "published"


def test_reply_to_a_reply_is_refused(change, resident) -> None:
    parent = comments.post_comment(actor_of(resident), change.reference, "Top comment")
    reply = comments.reply_to_comment(actor_of(factories.make_staff()), parent.id, "Official answer")
    with pytest.raises(Invalid) as caught:
        comments.reply_to_comment(actor_of(resident), reply.id, "A reply to the reply")
    assert codes(caught.value) == {("reply_to", "is_reply")}


def test_reply_to_someone_elses_held_comment_is_not_found(change, resident) -> None:
    held = comments.post_comment(actor_of(resident), change.reference, "Call 07700 900123")
    with pytest.raises(NotFound):
        comments.reply_to_comment(actor_of(factories.make_user("resident")), held.id, "Me too")


def test_report_own_comment_does_nothing_and_says_so(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    outcome = comments.report_comment(actor_of(resident), row.id)
    assert (outcome.counted, outcome.why_not) == (False, "own")
    assert CommentReport.select().count() == 0 and ChangeComment.get_by_id(row.id).reports == 0


def test_report_twice_counts_once_and_says_so(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    reporter = actor_of(factories.make_user("resident"))
    assert comments.report_comment(reporter, row.id).counted
    outcome = comments.report_comment(reporter, row.id)
    assert (outcome.counted, outcome.why_not) == (False, "already")
    assert ChangeComment.get_by_id(row.id).reports == 1


def test_report_by_a_visitor_not_signed_in_is_refused(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    with pytest.raises(NotAllowed):
        comments.report_comment(ANONYMOUS, row.id)


def test_report_reaching_the_limit_hides_the_comment_for_review(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    limit = current().comment_report_limit
    outcomes = [comments.report_comment(actor_of(factories.make_user("resident")), row.id) for _ in range(limit)]
    assert [o.hidden for o in outcomes] == [False] * (limit - 1) + [True]
    hidden = ChangeComment.get_by_id(row.id)
    assert (hidden.status, hidden.held_reason, hidden.reports) == ("hidden", "reports", limit)
    assert row.id in [c.id for c in moderation.moderation_queue(actor_of(factories.make_staff()))]


def test_delete_own_comment_removes_it_and_its_replies(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    factories.make_change_comment(change, factories.make_staff(), parent=row.id, official=True)
    comments.delete_comment(actor_of(resident), row.id)
    assert ChangeComment.select().count() == 0


def test_delete_someone_elses_comment_is_not_found(change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    with pytest.raises(NotFound):
        comments.delete_comment(actor_of(factories.make_user("resident")), row.id)
    assert ChangeComment.get_by_id(row.id)


# --- moderation ------------------------------------------------------------------------------------------------


@pytest.fixture
def staff() -> Any:
    return actor_of(factories.make_staff())


def test_queue_holds_held_and_hidden_comments_oldest_first(change, resident, staff) -> None:
    held = comments.post_comment(actor_of(resident), change.reference, "Ring 07700 900123")
    factories.make_change_comment(change, resident)  # published: not in the queue
    hidden = factories.make_change_comment(change, resident, status="hidden", held_reason="reports")
    assert [c.id for c in moderation.moderation_queue(staff)] == [held.id, hidden.id]


def test_queue_is_refused_to_residents(resident) -> None:
    with pytest.raises(NotAllowed):
        moderation.moderation_queue(actor_of(resident))


@pytest.mark.parametrize(("reason", "problem"), [("", "required"), ("r" * 1_001, "too_long")])
def test_moderate_without_a_good_reason_is_refused(change, resident, staff, reason, problem) -> None:
    held = comments.post_comment(actor_of(resident), change.reference, "Ring 07700 900123")
    with pytest.raises(Invalid) as caught:
        moderation.moderate_comment(staff, held.id, "publish", reason)
    assert codes(caught.value) == {("moderation_reason", problem)}
    assert ChangeComment.get_by_id(held.id).status == "held"


def test_publish_held_comment_records_the_action_and_tells_the_author(change, resident, staff) -> None:
    held = comments.post_comment(actor_of(resident), change.reference, "Ring 07700 900123")
    row = moderation.moderate_comment(staff, held.id, "publish", "The number is redacted.")
    assert (row.status, row.held_reason) == ("published", "")
    action = ModerationAction.get(ModerationAction.comment == held.id)
    assert (action.action, action.reason) == ("publish", "The number is redacted.")
    assert events("cocreation.comment_published") == [{"comment_id": held.id, "user_id": resident.id}]
    assert "cocreation.comment_published" in EVENTS


def test_publish_with_edited_public_text_redacts_it_again(change, resident, staff) -> None:
    held = comments.post_comment(actor_of(resident), change.reference, "Ring 07700 900123")
    row = moderation.moderate_comment(staff, held.id, "publish", "Edited", body_public="Gwen says call 07700 900123")
    assert "07700" not in row.body_public and "Gwen" not in row.body_public


def test_remove_tells_the_author_with_the_reason(change, resident, staff) -> None:
    row = factories.make_change_comment(change, resident)
    moderation.moderate_comment(staff, row.id, "remove", "It names a neighbour.")
    assert ChangeComment.get_by_id(row.id).status == "removed"
    assert events("cocreation.comment_removed")[-1]["reason"] == "It names a neighbour."


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [("published", "hide", "hidden"), ("hidden", "restore", "published"), ("removed", "restore", "published")],
)
def test_moderate_moves_a_comment(change, resident, staff, status, action, after) -> None:
    row = factories.make_change_comment(change, resident, status=status)
    assert moderation.moderate_comment(staff, row.id, action, "Looked at it.").status == after


def test_moderate_a_comment_already_moved_is_a_conflict(change, resident, staff) -> None:
    row = factories.make_change_comment(change, resident)
    with pytest.raises(Conflict) as caught:
        moderation.moderate_comment(staff, row.id, "publish", "Again")
    assert caught.value.code == "comment_state"


def test_moderate_by_a_resident_is_refused(change, resident) -> None:
    row = factories.make_change_comment(change, resident, status="held")
    with pytest.raises(NotAllowed):
        moderation.moderate_comment(actor_of(factories.make_user("resident")), row.id, "publish", "Fine")


def test_make_contact_records_the_contact_and_the_offer(change, resident, staff) -> None:
    row = factories.make_change_comment(change, resident, body="My mould is still there.", locale="cy")
    made = moderation.make_contact(staff, row.id, "Dissatisfied: the mould is back.")
    contact = Contact.get_by_id(made.contact_id)
    assert contact.resident_id == resident.id and contact.channel == "portal" and contact.locale == "cy"
    assert "My mould is still there." in contact.description and contact.complaint_offered_at is not None
    assert made.complaint_offered_at is not None
    assert events("cocreation.complaint_offered") == [
        {"comment_id": row.id, "user_id": resident.id, "contact_id": contact.id}
    ]
    assert ModerationAction.get(ModerationAction.comment == row.id).action == "make_contact"


def test_make_contact_twice_is_a_conflict(change, resident, staff) -> None:
    row = factories.make_change_comment(change, resident)
    moderation.make_contact(staff, row.id, "Dissatisfied")
    with pytest.raises(Conflict) as caught:
        moderation.make_contact(staff, row.id, "Again")
    assert caught.value.code == "contact_made" and Contact.select().count() == 1


def test_make_contact_of_an_official_reply_is_a_conflict(change, staff) -> None:
    row = factories.make_change_comment(change, factories.make_staff(), official=True)
    with pytest.raises(Conflict) as caught:
        moderation.make_contact(staff, row.id, "No")
    assert caught.value.code == "no_resident"


def test_complaint_offer_message_is_written_in_the_residents_language(change, resident, staff) -> None:
    from backend.cocreation.comment_messages import comment_values

    change.title = {"en": "Reminder texts", "cy": "Negeseuon atgoffa"}
    change.save()
    row = factories.make_change_comment(change, resident)
    made = moderation.make_contact(staff, row.id, "Dissatisfied")
    values = comment_values(events("cocreation.complaint_offered")[0] | {"contact_id": made.contact_id}, resident, "cy")
    assert values["title"] == "Negeseuon atgoffa" and values["contact"].startswith("LL-")


# --- the pages -------------------------------------------------------------------------------------------------


def page_of(change: Any) -> str:
    return f"/changes/{change.reference}/comments"


def test_comments_page_shows_published_comments_and_a_sign_in_link_to_visitors(browser, change, resident) -> None:
    factories.make_change_comment(change, resident, body="Works for me")
    factories.make_change_comment(change, resident, body="Secret held words", status="held")
    html = browser.client.get(page_of(change)).get_data(as_text=True)
    assert "Works for me" in html and "Secret held words" not in html
    assert "Sign in to comment" in html and 'action="/comments/' not in html


def test_comments_page_of_an_unpublished_change_is_not_found(browser) -> None:
    assert browser.client.get(page_of(factories.make_change(published_at=None))).status_code == 404


@pytest.mark.parametrize(("body", "message"), [("", "Write your comment."), ("x" * 2_001, "2000 characters")])
def test_post_comment_page_with_bad_words_shows_the_error_and_keeps_them(browser, change, resident, body, message):
    browser.sign_in(resident.email)
    response = browser.submit(page_of(change), {"body": body}, page=page_of(change))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html and message in html
    assert 'id="body-error"' in html and (body == "" or body in html)
    assert ChangeComment.select().count() == 0


def test_post_comment_page_publishes_and_returns_to_the_change(browser, change, resident) -> None:
    browser.sign_in(resident.email)
    response = browser.submit(page_of(change), {"body": "Grand, thanks"}, page=page_of(change))
    assert response.status_code == 302 and response.headers["Location"].endswith("#comments")
    html = browser.client.get(page_of(change)).get_data(as_text=True)
    assert "Thank you. Your comment is published." in html and "Grand, thanks" in html


def test_post_comment_page_with_personal_data_shows_the_waiting_notice(browser, change, resident) -> None:
    browser.sign_in(resident.email)
    browser.submit(page_of(change), {"body": "Ring me on 07700 900123"}, page=page_of(change))
    html = browser.client.get(page_of(change)).get_data(as_text=True)
    assert "Your comment is waiting for a moderator." in html and "[phone number]" in html


def test_report_page_on_own_comment_says_it_did_nothing(browser, change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    browser.sign_in(resident.email)
    browser.submit(f"/comments/{row.id}/report", {}, page=page_of(change))
    html = browser.client.get(page_of(change)).get_data(as_text=True)
    assert "your own comment, so you can&#39;t report it" in html and CommentReport.select().count() == 0


def test_report_page_by_another_resident_counts(browser, signed_in, change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    signed_in("resident")
    response = browser.submit(f"/comments/{row.id}/report", {}, page=page_of(change))
    assert response.status_code == 302 and ChangeComment.get_by_id(row.id).reports == 1


@pytest.mark.parametrize("whose", ["someone else's", "not there"])
def test_delete_page_of_a_comment_not_yours_or_not_there_is_the_same_404(browser, signed_in, change, resident, whose):
    row = factories.make_change_comment(change, resident)
    signed_in("resident")
    target = row.id if whose == "someone else's" else 999_999
    assert browser.submit(f"/comments/{target}/delete", {}, page=page_of(change)).status_code == 404
    assert ChangeComment.get_by_id(row.id)


def test_delete_page_deletes_your_own(browser, change, resident) -> None:
    row = factories.make_change_comment(change, resident)
    browser.sign_in(resident.email)
    assert browser.submit(f"/comments/{row.id}/delete", {}, page=page_of(change)).status_code == 302
    assert ChangeComment.get_or_none(ChangeComment.id == row.id) is None


def test_reply_page_with_no_words_keeps_the_reply_form_open_with_the_error(browser, signed_in, change, resident):
    row = factories.make_change_comment(change, resident)
    signed_in("resident")
    response = browser.submit(f"/comments/{row.id}/reply", {"body": " "}, page=page_of(change))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write your reply." in html and '<details class="reply-form" open>' in html


def test_moderation_queue_shows_both_versions_to_staff(browser, signed_in, change, resident) -> None:
    comments.post_comment(actor_of(resident), change.reference, "Ring me on 07700 900123")
    signed_in("staff")
    html = browser.client.get("/console/co-creation/moderation").get_data(as_text=True)
    assert "Ring me on 07700 900123" in html and "Ring me on [phone number]" in html


def test_moderation_page_without_a_reason_keeps_the_choice_and_shows_the_error(browser, signed_in, change, resident):
    held = comments.post_comment(actor_of(resident), change.reference, "Ring me on 07700 900123")
    signed_in("staff")
    page = f"/console/co-creation/moderation/{held.id}"
    response = browser.submit(f"{page}/moderate", {"action": "publish", "reason": ""}, page=page)
    assert response.status_code == 400 and "Give the reason for this decision." in response.get_data(as_text=True)
    response = browser.submit(f"{page}/moderate", {"action": "publish", "reason": "Redacted well"}, page=page)
    assert response.status_code == 302 and ChangeComment.get_by_id(held.id).status == "published"
    assert "Redacted well" in browser.client.get(page).get_data(as_text=True)


def test_moderation_page_makes_a_contact(browser, signed_in, change, resident) -> None:
    row = factories.make_change_comment(change, resident, body="My mould is still there.")
    signed_in("staff")
    page = f"/console/co-creation/moderation/{row.id}"
    response = browser.submit(f"{page}/contact", {"contact_reason": "Dissatisfied", "nation": ""}, page=page)
    assert response.status_code == 302
    assert ChangeComment.get_by_id(row.id).contact_id is not None


def test_moderation_pages_are_refused_to_residents(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/co-creation/moderation").status_code == 403


def test_demo_comments_are_made_once_on_a_published_change() -> None:
    from backend.cocreation.demo import _demo_comments

    _demo_comments()  # no published change yet: nothing to comment on
    assert ChangeComment.select().count() == 0
    factories.make_user("resident", email="resident@example.org")
    factories.make_user("resident", email="preswylydd@example.org", locale="cy")
    factories.make_user("staff", email="staff@example.org")
    factories.make_change()
    _demo_comments()
    _demo_comments()
    rows = list(ChangeComment.select().order_by(ChangeComment.id))
    assert [(row.status, row.official, row.locale) for row in rows] == [
        ("published", False, "en"),
        ("published", False, "cy"),
        ("published", True, "en"),
        ("held", False, "en"),
    ]
