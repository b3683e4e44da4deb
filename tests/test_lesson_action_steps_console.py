"""The console's action step pages: who may take a step is checked when the page opens, with the reason in words;
every problem of a submit is named at once; the evidence is on the pages that ask to check it; reopening keeps the
earlier path visible."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

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
