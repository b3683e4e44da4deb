"""Who hears when an improvement action is implemented: the senior managers when it is done (they sign it off), and
the residents whose complaints fed the lesson when it is signed off (self-assessment items 12 and 16)."""

from __future__ import annotations

from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints.models import ComplaintStaff
from backend.errors import Invalid, NotAllowed
from backend.events.models import OutboxEvent
from backend.lessons import actions
from backend.lessons.models import LessonSource
from tests import factories
from tests.factories import actor_of
from tests.test_lesson_actions import done, in_progress, manager


def events(name: str) -> list[dict[str, Any]]:
    return [event.payload for event in OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id)]


def senior() -> Any:
    person = manager()
    factories.make_role_designation("senior_manager", person)
    return person


def test_done_action_tells_the_senior_managers_but_not_who_recorded_it() -> None:
    first, second = senior(), senior()
    action, boss = in_progress()
    actions.complete_action(actor_of(first), action.id, text="Reminders went live.")
    told = {payload["recipient_id"] for payload in events("lessons.action_done") if payload["action_id"] == action.id}
    assert told == {second.id}
    assert boss.id not in told


def test_done_action_tells_every_manager_while_nobody_is_a_senior_manager() -> None:
    other = manager()
    action, boss = done()
    told = {payload["recipient_id"] for payload in events("lessons.action_done") if payload["action_id"] == action.id}
    assert other.id in told
    assert boss.id not in told


def test_sign_off_by_a_manager_who_is_not_a_senior_manager_is_refused_once_one_is_named() -> None:
    action, boss = done()
    senior()
    with pytest.raises(NotAllowed):
        actions.sign_off_action(actor_of(manager()), action.id)


def test_sign_off_by_a_senior_manager_is_allowed() -> None:
    action, _boss = done()
    signer = senior()
    assert actions.sign_off_action(actor_of(signer), action.id).status == "signed_off"


def test_sign_off_with_a_message_tells_each_resident_whose_complaint_fed_the_lesson() -> None:
    action, _boss = done()
    resident = factories.make_user("resident")
    complaint = factories.make_complaint(resident=resident)
    anonymous = factories.make_complaint()
    anonymous.contact.anonymous = True
    anonymous.contact.save()
    for source in (complaint, anonymous):
        LessonSource.create(lesson=action.lesson_id, kind="complaint", complaint=source.id)
    actions.sign_off_action(actor_of(manager()), action.id, resident_message="We now text you before each visit.")
    sent = [p for p in events("lessons.improvement_made") if p["complaint_id"] in (complaint.id, anonymous.id)]
    assert [(p["user_id"], p["complaint_id"], p["change"]) for p in sent] == [
        (resident.id, complaint.id, "We now text you before each visit.")
    ]
    audit = AuditEvent.get(AuditEvent.action == "improvement_action.complainants_told")
    assert audit.changes["complaint_ids"]["after"] == [complaint.id]


def test_sign_off_without_a_message_tells_no_resident() -> None:
    action, _boss = done()
    complaint = factories.make_complaint(resident=factories.make_user("resident"))
    LessonSource.create(lesson=action.lesson_id, kind="complaint", complaint=complaint.id)
    actions.sign_off_action(actor_of(manager()), action.id, resident_message="\u200b ")
    assert not [p for p in events("lessons.improvement_made") if p["complaint_id"] == complaint.id]


def test_sign_off_message_too_long_is_refused_and_nothing_changes() -> None:
    action, _boss = done()
    with pytest.raises(Invalid) as refused:
        actions.sign_off_action(actor_of(manager()), action.id, resident_message="x" * 2_001)
    assert {(p.field, p.code) for p in refused.value.problems} == {("resident_message", "too_long")}
    assert actions.get_action(action.id).status == "done"


def test_sign_off_page_says_how_many_residents_can_be_told(browser: Any) -> None:
    action, _boss = done()
    complaint = factories.make_complaint(resident=factories.make_user("resident"))
    LessonSource.create(lesson=action.lesson_id, kind="complaint", complaint=complaint.id)
    assert browser.sign_in(manager().email).status_code == 302
    page = browser.client.get(f"/console/lessons/actions/{action.id}/sign-off")
    assert page.status_code == 200
    assert "One resident whose complaint led to this can be told what changed." in page.get_data(as_text=True)


def test_sign_off_count_leaves_out_a_case_hidden_from_the_signer() -> None:
    from backend.lessons import notices

    action, _boss = done()
    signer = manager()
    hidden = factories.make_complaint(resident=factories.make_user("resident"))
    LessonSource.create(lesson=action.lesson_id, kind="complaint", complaint=hidden.id)
    ComplaintStaff.create(complaint=hidden.id, person=signer.id, part="subject")  # the case is about them
    assert notices.complainants_count(actor_of(signer), action.lesson_id) == 0
    assert notices.complainants_count(actor_of(manager()), action.lesson_id) == 1
