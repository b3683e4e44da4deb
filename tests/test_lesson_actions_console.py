"""The console's improvement action pages: the board, my actions, the managers' queues and their CSV, proposing an
action, each step on its own page, and evidence files."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from backend.lessons import actions
from backend.lessons.models import ActionEvidence, ImprovementAction
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def proposal(owner: Any = None, **values: Any) -> ImprovementAction:
    lesson = factories.make_lesson(status="analysed")
    smart: dict[str, Any] = {
        "title": "Text residents the day before a repair",
        "action_type": "service_provision",
        "measure": "Missed appointments a month",
        "target": "10",
        "owner_id": (owner or factories.make_staff()).id,
        "due_on": local_date() + dt.timedelta(days=30),
        **values,
    }
    return actions.propose_action(actor_of(factories.make_staff()), lesson.id, **smart)


def test_board_lists_each_action_under_its_status(browser: Any, signed_in: Any) -> None:
    proposal()
    signed_in("staff")
    page = browser.client.get("/console/lessons/actions").get_data(as_text=True)
    assert 'id="column-proposed"' in page and "Text residents the day before a repair" in page


def test_propose_page_keeps_what_was_typed_and_shows_each_problem(browser: Any, signed_in: Any) -> None:
    lesson = factories.make_lesson()
    signed_in("staff")
    form = browser.client.get(f"/console/lessons/{lesson.id}/actions/new")
    assert form.status_code == 200
    response = browser.submit(
        f"/console/lessons/{lesson.id}/actions/new",
        {"title": "Check the booking system", "action_type": "working_practice", "due_on": "2001-01-01"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The due date can&#39;t be in the past." in page and "Check the booking system" in page
    assert ImprovementAction.select().count() == 0


def test_propose_page_for_a_lesson_not_there_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons/999999/actions/new").status_code == 404


def test_propose_page_proposes_and_shows_the_action(browser: Any, signed_in: Any) -> None:
    lesson = factories.make_lesson()
    signed_in("staff")
    response = browser.submit(
        f"/console/lessons/{lesson.id}/actions/new",
        {"title": "Check the booking system", "action_type": "working_practice"},
    )
    assert response.status_code == 302
    action = ImprovementAction.get()
    assert response.headers["Location"].endswith(f"/console/lessons/actions/{action.id}")


def test_authorise_page_names_every_missing_part(browser: Any, signed_in: Any) -> None:
    lesson = factories.make_lesson(status="analysed")
    action = actions.propose_action(
        actor_of(factories.make_staff()), lesson.id, title="x", action_type="policy_procedure"
    )
    signed_in("manager")
    response = browser.submit(f"/console/lessons/actions/{action.id}/authorise", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "an owner; a measure; a target; a due date" in page
    # The page has no fields to put each part on, so the list is said once, not again part by part.
    assert "an action needs an owner before it is authorised" not in page


def test_authorise_page_says_a_past_due_date_as_well_as_what_is_missing(browser: Any, signed_in: Any) -> None:
    action = proposal(measure="")
    ImprovementAction.update(due_on=local_date() - dt.timedelta(days=2)).execute()
    signed_in("manager")
    page = browser.submit(f"/console/lessons/actions/{action.id}/authorise", {}).get_data(as_text=True)
    assert "Still missing: a measure." in page and "The due date can&#39;t be in the past." in page


def test_sign_off_page_tells_the_owner_another_manager_must_sign_off(browser: Any, signed_in: Any) -> None:
    owner = signed_in("manager")
    action = proposal(owner=owner)
    boss = actor_of(factories.make_user("manager"))
    actions.authorise_action(boss, action.id)
    actions.start_action(boss, action.id)
    actions.complete_action(boss, action.id, text="Done.")
    response = browser.submit(f"/console/lessons/actions/{action.id}/sign-off", {"resident_message": ""})
    page = response.get_data(as_text=True)
    assert "You own this action, so another manager must sign it off." in page
    assert response.status_code == 403
    assert ImprovementAction.get_by_id(action.id).status == "done"


def test_evidence_page_shows_refused_links_on_the_links_field(browser: Any, signed_in: Any) -> None:
    boss = signed_in("manager")
    action = proposal()
    actions.authorise_action(actor_of(boss), action.id)
    sent = {"text": "", "links": "javascript:alert(1)\nftp://x\nhttps://ok.example/"}
    response = browser.submit(f"/console/lessons/actions/{action.id}/evidence", sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    message = "Give each link as a full web address, starting with https://."
    # Once on the links field and once in the summary that leads to it, for both refused links.
    assert f'<a href="#links">{message}</a>' in page and page.count(message) == 2


@pytest.mark.parametrize("queue", ["authorisation", "sign-off", "verification"])
def test_manager_queues_are_for_managers_only(browser: Any, signed_in: Any, queue: str) -> None:
    signed_in("staff")
    assert browser.client.get(f"/console/lessons/actions/awaiting-{queue}").status_code == 403


def test_awaiting_authorisation_lists_proposals_and_downloads_as_csv(browser: Any, signed_in: Any) -> None:
    proposal(title="=Formula title")
    signed_in("manager")
    page = browser.client.get("/console/lessons/actions/awaiting-authorisation").get_data(as_text=True)
    assert "=Formula title" in page
    csv = browser.client.get("/console/lessons/actions/awaiting-authorisation?format=csv")
    assert csv.mimetype == "text/csv" and "'=Formula title" in csv.get_data(as_text=True)


def test_my_actions_lists_only_the_viewers_own(browser: Any, signed_in: Any) -> None:
    me = signed_in("staff")
    proposal(owner=me, title="Mine to do")
    proposal(title="Someone else's")
    page = browser.client.get("/console/lessons/actions/mine").get_data(as_text=True)
    assert "Mine to do" in page and "Someone else&#39;s" not in page


def test_complete_page_stores_an_evidence_file_staff_can_download(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    action = proposal(owner=owner)
    actions.authorise_action(actor_of(factories.make_user("manager")), action.id)
    actions.start_action(actor_of(owner), action.id)
    response = browser.submit(
        f"/console/lessons/actions/{action.id}/complete",
        {"attachments": (io.BytesIO(PDF), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    evidence = ActionEvidence.get()
    download = browser.client.get(f"/console/lessons/actions/evidence/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF


def test_complete_page_without_evidence_says_so(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    action = proposal(owner=owner)
    actions.authorise_action(actor_of(factories.make_user("manager")), action.id)
    actions.start_action(actor_of(owner), action.id)
    response = browser.submit(f"/console/lessons/actions/{action.id}/complete", {"text": "", "links": ""})
    assert response.status_code == 400
    assert "Give at least one piece of evidence" in response.get_data(as_text=True)


def test_evidence_file_is_not_found_for_residents(browser: Any, signed_in: Any) -> None:
    evidence = factories.make_action_evidence()
    signed_in("resident")
    assert browser.client.get(f"/console/lessons/actions/evidence/{evidence.id}").status_code in (403, 404)


def test_verify_page_refuses_not_addressed_without_a_next_step(browser: Any, signed_in: Any) -> None:
    owner = factories.make_staff()
    action = proposal(owner=owner)
    boss = factories.make_user("manager")
    actions.authorise_action(actor_of(boss), action.id)
    actions.start_action(actor_of(owner), action.id)
    actions.complete_action(actor_of(owner), action.id, text="Done.")
    actions.sign_off_action(actor_of(boss), action.id)
    signed_in("manager")
    response = browser.submit(
        f"/console/lessons/actions/{action.id}/verify", {"effect": "not_addressed", "note": "No change."}
    )
    assert response.status_code == 400
    assert "Choose whether to reopen the action" in response.get_data(as_text=True)


def test_board_my_team_keeps_the_actions_of_the_team_a_champion_follows(browser: Any, signed_in: Any) -> None:
    champion = signed_in("staff")
    factories.make_champion(person=champion, team="Lettings team")
    proposal(title="For lettings", team="Lettings team")
    proposal(title="For caretakers", team="Caretaking team")
    page = browser.client.get("/console/lessons/actions?my_team=1").get_data(as_text=True)
    assert "For lettings" in page and "For caretakers" not in page


def test_board_my_team_keeps_the_team_however_an_action_spells_it(browser: Any, signed_in: Any) -> None:
    champion = signed_in("staff")
    factories.make_champion(person=champion, team="Lettings team")
    proposal(title="Spelt otherwise", team="LETTINGS Team")
    page = browser.client.get("/console/lessons/actions?my_team=1").get_data(as_text=True)
    assert "Spelt otherwise" in page


def test_evidence_page_takes_a_file_larger_than_an_ordinary_form(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    action = proposal(owner=owner)
    actions.authorise_action(actor_of(factories.make_user("manager")), action.id)
    big = PDF + b"%" + b"0" * (2 * 1024 * 1024)  # over LEARNLOOP_MAX_BODY_BYTES (1 MB), under the upload limit
    page = f"/console/lessons/actions/{action.id}/evidence"
    fields = {"csrf_token": browser.csrf(page), "attachments": FileStorage(io.BytesIO(big), "report.pdf")}
    # Built in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(MultiDict(fields))
    response = browser.client.post(page, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    assert ActionEvidence.get().size == len(big)
