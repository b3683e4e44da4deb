"""The console's action step pages: who may take a step is checked when the page opens, with the reason in words;
every problem of a submit is named at once; the evidence is on the pages that ask to check it; reopening keeps the
earlier path visible."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from backend.lessons import actions
from backend.lessons.models import DueDateChange, ImprovementAction, Lesson
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_lesson_actions_console import proposal


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def stage(owner: Any = None, until: str = "done") -> ImprovementAction:
    """An action moved along its path up to ``until``."""
    owner = owner or factories.make_staff()
    action = proposal(owner=owner)
    boss = factories.make_user("manager")
    actions.authorise_action(actor_of(boss), action.id)
    if until == "authorised":
        return actions.get_action(action.id)
    actions.start_action(actor_of(boss), action.id)
    actions.complete_action(actor_of(boss), action.id, text="Reminders went live.", links=["https://example.org/r"])
    if until == "signed_off":
        actions.sign_off_action(actor_of(factories.make_user("manager")), action.id)
    return actions.get_action(action.id)


# --- Every problem at once ----------------------------------------------------------------------------------------


def test_due_date_page_names_the_missing_reason_and_the_past_date_together(browser: Any, signed_in: Any) -> None:
    action = stage(until="authorised")
    signed_in("manager")
    response = browser.submit(f"/console/lessons/actions/{action.id}/due-date", {"to_date": "2001-01-01", "reason": ""})
    page = text(response)
    assert response.status_code == 400
    assert "The new due date can't be in the past." in page and "Give the reason." in page
    assert DueDateChange.select().count() == 0
    unchanged = browser.submit(
        f"/console/lessons/actions/{action.id}/due-date", {"to_date": action.due_on.isoformat(), "reason": ""}
    )
    assert "This is the due date already." in text(unchanged)


def test_proposal_names_a_missing_title_and_type_and_a_past_date_together(browser: Any, signed_in: Any) -> None:
    lesson = factories.make_lesson()
    signed_in("staff")
    response = browser.submit(f"/console/lessons/{lesson.id}/actions/new", {"title": "", "due_on": "2001-01-01"})
    page = text(response)
    assert response.status_code == 400
    assert "Give it a title." in page
    assert "Choose what kind of change the action makes." in page
    assert "The due date can't be in the past." in page


def test_verify_page_names_the_missing_note_and_next_step_together(browser: Any, signed_in: Any) -> None:
    action = stage(until="signed_off")
    signed_in("manager")
    response = browser.submit(f"/console/lessons/actions/{action.id}/verify", {"effect": "not_addressed", "note": ""})
    page = text(response)
    assert response.status_code == 400
    assert "Say how its effect was judged" in page and "Choose whether to reopen the action" in page
    reopen = browser.submit(
        f"/console/lessons/actions/{action.id}/verify",
        {"effect": "not_addressed", "note": "", "next_step": "reopen", "due_on": ""},
    )
    page = text(reopen)
    assert "Say how its effect was judged" in page and "Give the new due date for the reopened action." in page
    assert actions.get_action(action.id).status == "signed_off"


# --- Who may take a step ------------------------------------------------------------------------------------------


def test_sign_off_page_tells_the_owner_why_instead_of_showing_the_form(browser: Any, signed_in: Any) -> None:
    owner = signed_in("manager")
    action = stage(owner=owner)
    response = browser.client.get(f"/console/lessons/actions/{action.id}/sign-off")
    page = text(response)
    assert response.status_code == 403
    assert "You own this action, so another manager must sign it off." in page
    assert 'name="resident_message"' not in page
    posted = browser.submit(
        f"/console/lessons/actions/{action.id}/sign-off",
        {"resident_message": "Hi"},
        page=f"/console/lessons/actions/{action.id}",
    )
    assert posted.status_code == 403 and actions.get_action(action.id).status == "done"
    assert f"/console/lessons/actions/{action.id}/sign-off" not in text(
        browser.client.get(f"/console/lessons/actions/{action.id}")
    )


def test_sign_off_page_names_the_senior_managers_to_other_managers(browser: Any, signed_in: Any) -> None:
    action = stage()
    senior = factories.make_user("manager")
    senior.display_name = "Sam Senior"
    senior.save()
    factories.make_role_designation("senior_manager", senior)
    signed_in("manager")
    response = browser.client.get(f"/console/lessons/actions/{action.id}/sign-off")
    assert response.status_code == 403
    assert "Only the senior managers can sign off actions: Sam Senior." in text(response)
    action_page = text(browser.client.get(f"/console/lessons/actions/{action.id}"))
    assert "Sign off the action" not in action_page


def test_a_case_handler_named_senior_manager_does_not_stop_managers_signing_off(browser: Any, signed_in: Any) -> None:
    action = stage()
    factories.make_role_designation("senior_manager", factories.make_staff())
    signed_in("manager")
    assert "Sign off the action" in text(browser.client.get(f"/console/lessons/actions/{action.id}"))
    response = browser.submit(f"/console/lessons/actions/{action.id}/sign-off", {"resident_message": ""})
    assert response.status_code == 302
    assert actions.get_action(action.id).status == "signed_off"


def test_start_and_cancel_pages_tell_other_staff_why(browser: Any, signed_in: Any) -> None:
    action = stage(until="authorised")
    signed_in("staff")
    start = browser.client.get(f"/console/lessons/actions/{action.id}/start")
    assert start.status_code == 403
    assert "Only the action's owner or a manager can record this." in text(start)
    cancel = browser.client.get(f"/console/lessons/actions/{action.id}/cancel")
    assert cancel.status_code == 403 and 'name="reason"' not in text(cancel)
    assert "Only a manager can cancel this action" in text(cancel)


def test_verify_page_tells_the_owner_why(browser: Any, signed_in: Any) -> None:
    owner = signed_in("manager")
    action = stage(owner=owner, until="signed_off")
    response = browser.client.get(f"/console/lessons/actions/{action.id}/verify")
    assert response.status_code == 403
    assert "You own this action, so another manager must verify its effect." in text(response)
    assert "Verify its effect" not in text(browser.client.get(f"/console/lessons/actions/{action.id}"))


# --- Evidence -----------------------------------------------------------------------------------------------------


def test_sign_off_and_verify_pages_show_the_evidence(browser: Any, signed_in: Any) -> None:
    action = stage()
    signed_in("manager")
    page = text(browser.client.get(f"/console/lessons/actions/{action.id}/sign-off"))
    assert "Reminders went live." in page and "https://example.org/r" in page
    actions.sign_off_action(actor_of(factories.make_user("manager")), action.id)
    page = text(browser.client.get(f"/console/lessons/actions/{action.id}/verify"))
    assert "Reminders went live." in page and "https://example.org/r" in page


def test_evidence_recorded_only_on_the_action_is_shown(browser: Any, signed_in: Any) -> None:
    action = stage(until="authorised")
    ImprovementAction.update(status="done", evidence="The new check is written into the procedure.").where(
        ImprovementAction.id == action.id
    ).execute()
    signed_in("manager")
    for url in (f"/console/lessons/actions/{action.id}", f"/console/lessons/actions/{action.id}/sign-off"):
        page = text(browser.client.get(url))
        assert "The new check is written into the procedure." in page and "No evidence yet." not in page


# --- Reopening ----------------------------------------------------------------------------------------------------


def test_reopening_asks_a_new_due_date_and_keeps_the_earlier_path_visible(browser: Any, signed_in: Any) -> None:
    action = stage(until="signed_off")
    signed_in("manager")
    new_due = local_date() + dt.timedelta(days=21)
    response = browser.submit(
        f"/console/lessons/actions/{action.id}/verify",
        {"effect": "not_addressed", "note": "Still missed.", "next_step": "reopen", "due_on": new_due.isoformat()},
    )
    assert response.status_code == 302
    reopened = actions.get_action(action.id)
    assert (reopened.status, reopened.due_on) == ("in_progress", new_due)
    assert Lesson.get_by_id(reopened.lesson_id).status == "in_progress"  # type: ignore[attr-defined]
    page = text(browser.client.get(f"/console/lessons/actions/{action.id}"))
    assert "The action is reopened" in page
    assert "Done (before it was reopened)" in page and "Signed off (before it was reopened)" in page
    assert "Reopened after verification" in page and "(overdue)" not in page
    assert "Still missed." in page


# --- Authorising waits for the lesson's analysis ------------------------------------------------------------------


def unanalysed_proposal() -> ImprovementAction:
    action = proposal()
    Lesson.update(status="identified").where(Lesson.id == action.lesson_id).execute()  # type: ignore[attr-defined]
    return action


def test_authorise_page_says_the_lesson_must_be_analysed_first(browser: Any, signed_in: Any) -> None:
    action = unanalysed_proposal()
    lesson_id = action.lesson_id  # type: ignore[attr-defined]
    signed_in("manager")
    response = browser.client.get(f"/console/lessons/actions/{action.id}/authorise")
    page = text(response)
    assert response.status_code == 200
    assert "The lesson must be analysed first" in page
    assert f'href="/console/lessons/{lesson_id}#actions"' in page
    assert '<button type="submit" class="button">Authorise</button>' not in page
    posted = browser.submit(
        f"/console/lessons/actions/{action.id}/authorise", {}, page=f"/console/lessons/actions/{action.id}"
    )
    assert posted.status_code == 409 and actions.get_action(action.id).status == "proposed"


def test_action_page_lists_authorising_as_waiting_for_the_lesson(browser: Any, signed_in: Any) -> None:
    action = unanalysed_proposal()
    lesson_id = action.lesson_id  # type: ignore[attr-defined]
    signed_in("manager")
    page = text(browser.client.get(f"/console/lessons/actions/{action.id}"))
    assert f"/console/lessons/actions/{action.id}/authorise" not in page
    assert "Authorise the action: not yet. The lesson must be analysed first" in page
    assert f'href="/console/lessons/{lesson_id}#actions"' in page
    Lesson.update(status="analysed").where(Lesson.id == lesson_id).execute()
    page = text(browser.client.get(f"/console/lessons/actions/{action.id}"))
    assert f"/console/lessons/actions/{action.id}/authorise" in page and "not yet." not in page


def test_a_refused_authorise_links_to_the_lesson_not_to_changing_the_action(
    browser: Any, signed_in: Any, monkeypatch: Any
) -> None:
    # The lesson went back to identified after the page was opened: the service's refusal says what to do.
    action = unanalysed_proposal()
    lesson_id = action.lesson_id  # type: ignore[attr-defined]
    monkeypatch.setattr("portal.console.lessons.action_steps.step_not_yet", lambda action, step: None)
    signed_in("manager")
    response = browser.submit(f"/console/lessons/actions/{action.id}/authorise", {})
    page = text(response)
    assert response.status_code == 409
    assert "This lesson is not analysed yet" in page
    assert f'href="/console/lessons/{lesson_id}#actions"' in page
    assert "Change the action to add what is missing" not in page


def test_awaiting_authorisation_flags_actions_whose_lesson_is_not_analysed(browser: Any, signed_in: Any) -> None:
    waiting = unanalysed_proposal()
    ready = proposal(title="Call residents back within a day")
    signed_in("manager")
    page = text(browser.client.get("/console/lessons/actions/awaiting-authorisation"))
    assert "Lesson status" in page
    rows = {row.split("</th>")[0]: row for row in page.split('<th scope="row">')[1:]}
    (waiting_row,) = [row for key, row in rows.items() if f'/actions/{waiting.id}"' in key]
    (ready_row,) = [row for key, row in rows.items() if f'/actions/{ready.id}"' in key]
    assert "Identified" in waiting_row and "lesson not analysed yet" in waiting_row
    assert "Analysed" in ready_row and "lesson not analysed yet" not in ready_row


# --- A case handler on a manager's step ---------------------------------------------------------------------------

MANAGER_STEPS = [
    ("authorise", "proposed", "Only a manager can authorise an action.", {}),
    ("sign-off", "done", "Only a manager can sign off an action.", {"resident_message": ""}),
    ("verify", "signed_off", "Only a manager can verify an action's effect.", {"effect": "addressed", "note": "Ok"}),
    (
        "due-date",
        "authorised",
        "Only a manager can change an action's due date.",
        {"to_date": (local_date() + dt.timedelta(days=60)).isoformat(), "reason": "Later"},
    ),
]


def staged(owner: Any, status: str) -> ImprovementAction:
    if status == "proposed":
        return proposal(owner=owner)
    return stage(owner=owner, until="done" if status == "done" else status)


@pytest.mark.parametrize(("step", "status", "reason", "sent"), MANAGER_STEPS)
def test_a_case_handler_who_owns_the_action_is_told_why_not(
    browser: Any, signed_in: Any, step: str, status: str, reason: str, sent: dict[str, str]
) -> None:
    owner = signed_in("staff")
    action = staged(owner, status)
    before = actions.get_action(action.id)
    response = browser.client.get(f"/console/lessons/actions/{action.id}/{step}")
    page = text(response)
    assert response.status_code == 403
    assert reason in page and "contact your administrator" not in page
    assert f'href="/console/lessons/actions/{action.id}"' in page
    posted = browser.submit(
        f"/console/lessons/actions/{action.id}/{step}", sent, page=f"/console/lessons/actions/{action.id}"
    )
    assert posted.status_code == 403 and reason in text(posted)
    after = actions.get_action(action.id)
    assert (after.status, after.due_on) == (before.status, before.due_on)
    assert DueDateChange.select().count() == 0


@pytest.mark.parametrize(("step", "status", "reason", "sent"), MANAGER_STEPS)
def test_a_resident_gets_the_plain_refusal_on_a_managers_step(
    browser: Any, signed_in: Any, step: str, status: str, reason: str, sent: dict[str, str]
) -> None:
    action = staged(factories.make_staff(), status)
    signed_in("resident")
    response = browser.client.get(f"/console/lessons/actions/{action.id}/{step}")
    assert response.status_code == 403 and reason not in text(response)


def test_a_managers_step_on_an_unknown_action_is_not_found_for_staff(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    for step in ("authorise", "sign-off", "verify", "due-date", "start"):
        assert browser.client.get(f"/console/lessons/actions/99999/{step}").status_code == 404
