"""SMART improvement actions: proposing, authorising, doing, evidence, sign-off, verification, due dates, cancelling,
and the lesson's status following its actions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints.files import Upload
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.lessons import actions
from backend.lessons.models import ActionEvidence, DueDateChange, ImprovementAction, Lesson
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def manager(**values: Any) -> Any:
    return factories.make_user("manager", **values)


def proposed(lesson: Any = None, **values: Any) -> ImprovementAction:
    lesson = lesson or factories.make_lesson(status="analysed")
    owner = values.pop("owner", None) or factories.make_staff()
    smart: dict[str, Any] = {
        "title": "Text residents the day before a repair",
        "measure": "Missed appointments a month",
        "baseline": "40",
        "target": "10",
        "owner_id": owner.id,
        "action_type": "service_provision",
        "due_on": local_date() + dt.timedelta(days=30),
        **values,
    }
    return actions.propose_action(actor_of(factories.make_staff()), lesson.id, **smart)


def authorised(**values: Any) -> tuple[ImprovementAction, Any]:
    boss = manager()
    action = actions.authorise_action(actor_of(boss), proposed(**values).id)
    return action, boss


def in_progress(**values: Any) -> tuple[ImprovementAction, Any]:
    action, boss = authorised(**values)
    return actions.start_action(actor_of(boss), action.id), boss


def done(**values: Any) -> tuple[ImprovementAction, Any]:
    action, boss = in_progress(**values)
    return actions.complete_action(actor_of(boss), action.id, text="Reminders went live on 1 March."), boss


# --- Proposing --------------------------------------------------------------------------------------------------


def test_propose_action_records_it_and_audits_with_the_lesson() -> None:
    action = proposed()
    assert action.status == "proposed"
    event = AuditEvent.get(AuditEvent.entity_type == "improvement_action", AuditEvent.entity_id == str(action.id))
    assert event.action == "improvement_action.proposed"
    assert event.changes["lesson_id"]["after"] == action.lesson_id


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"title": ""}, {("title", "required")}),
        ({"title": "\u200b\u200b"}, {("title", "required")}),
        ({"title": "x" * 201}, {("title", "too_long")}),
        ({"description": "x" * 10_001}, {("description", "too_long")}),
        ({"action_type": "hope"}, {("action_type", "unsupported")}),
        ({"due_on": dt.date(2000, 1, 1)}, {("due_on", "in_past")}),
        ({"title": "", "due_on": dt.date(2000, 1, 1)}, {("title", "required"), ("due_on", "in_past")}),
    ],
)
def test_propose_action_with_bad_input_names_every_problem(values: dict[str, Any], expected: set) -> None:
    with pytest.raises(Invalid) as caught:
        proposed(**values)
    assert codes(caught.value) == expected
    assert ImprovementAction.select().count() == 0


def test_propose_action_refuses_a_cause_of_another_lesson() -> None:
    other = factories.make_lesson_cause()
    with pytest.raises(Invalid) as caught:
        proposed(cause_id=other.id)
    assert codes(caught.value) == {("cause_id", "not_of_lesson")}


def test_propose_action_refuses_an_owner_who_is_not_staff() -> None:
    with pytest.raises(Invalid) as caught:
        proposed(owner=factories.make_user("resident"))
    assert codes(caught.value) == {("owner_id", "not_staff")}


def test_propose_action_by_a_resident_is_not_allowed() -> None:
    lesson = factories.make_lesson()
    with pytest.raises(NotAllowed):
        actions.propose_action(
            actor_of(factories.make_user("resident")), lesson.id, title="x", action_type="policy_procedure"
        )


def test_propose_action_on_a_missing_lesson_is_not_found() -> None:
    with pytest.raises(NotFound):
        actions.propose_action(actor_of(factories.make_staff()), 999_999, title="x", action_type="policy_procedure")


def test_update_action_after_authorisation_is_a_conflict() -> None:
    action, _boss = authorised()
    with pytest.raises(Conflict):
        actions.update_action(actor_of(factories.make_staff()), action.id, title="New")


# --- Authorising ------------------------------------------------------------------------------------------------


def test_authorise_action_without_smart_parts_names_every_missing_part() -> None:
    lesson = factories.make_lesson()
    action = actions.propose_action(
        actor_of(factories.make_staff()), lesson.id, title="Do better", action_type="working_practice"
    )
    with pytest.raises(Invalid) as caught:
        actions.authorise_action(actor_of(manager()), action.id)
    assert caught.value.params["missing"] == ["action_owner", "action_measure", "action_target", "action_due_on"]
    assert ImprovementAction.get_by_id(action.id).status == "proposed"


@pytest.mark.parametrize("missing", ["owner_id", "measure", "target", "due_on"])
def test_authorise_action_missing_one_part_names_it(missing: str) -> None:
    action = proposed()
    ImprovementAction.update({missing: None if missing in ("owner_id", "due_on") else ""}).execute()
    with pytest.raises(Invalid) as caught:
        actions.authorise_action(actor_of(manager()), action.id)
    assert caught.value.params["missing"] == ["action_" + missing.removesuffix("_id")]


def test_authorise_action_with_a_due_date_now_past_is_refused(clock_at: Any) -> None:
    action = proposed(due_on=local_date() + dt.timedelta(days=1))
    clock_at(dt.datetime.combine(local_date() + dt.timedelta(days=3), dt.time(12)))
    with pytest.raises(Invalid) as caught:
        actions.authorise_action(actor_of(manager()), action.id)
    assert codes(caught.value) == {("due_on", "in_past")}


def test_authorise_action_by_staff_who_are_not_managers_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        actions.authorise_action(actor_of(factories.make_staff()), proposed().id)


def test_authorise_action_keeps_the_first_due_date_and_moves_an_analysed_lesson() -> None:
    action, _boss = authorised()
    assert action.status == "authorised" and action.first_due_on == action.due_on
    assert Lesson.get_by_id(action.lesson_id).status == "actions_agreed"


def test_an_action_is_proposed_on_an_identified_lesson_but_authorised_only_once_it_is_analysed() -> None:
    lesson = factories.make_lesson(status="identified")
    action = proposed(lesson=lesson)
    with pytest.raises(Conflict) as refused:
        actions.authorise_action(actor_of(manager()), action.id)
    assert refused.value.code == "lesson_not_analysed"
    assert ImprovementAction.get_by_id(action.id).status == "proposed"
    assert Lesson.get_by_id(lesson.id).status == "identified"
    Lesson.update(status="analysed").where(Lesson.id == lesson.id).execute()
    assert actions.authorise_action(actor_of(manager()), action.id).status == "authorised"
    assert Lesson.get_by_id(lesson.id).status == "actions_agreed"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"archived_at": dt.datetime(2026, 1, 1)}, "lesson_archived"),
        ({"status": "cancelled"}, "lesson_ended"),
        ({"status": "merged"}, "lesson_ended"),
    ],
)
def test_an_action_of_a_lesson_archived_or_ended_is_not_authorised(change: dict[str, Any], code: str) -> None:
    action = proposed()
    Lesson.update(**change).where(Lesson.id == action.lesson_id).execute()
    with pytest.raises(Conflict) as refused:
        actions.authorise_action(actor_of(manager()), action.id)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"archived_at": dt.datetime(2026, 1, 1)}, "lesson_archived"),
        ({"status": "closed"}, "lesson_closed"),
        ({"status": "cancelled"}, "lesson_ended"),
    ],
)
def test_an_action_is_not_proposed_on_a_lesson_archived_closed_or_ended(change: dict[str, Any], code: str) -> None:
    lesson = factories.make_lesson(**{"status": "analysed", **change})
    with pytest.raises(Conflict) as refused:
        proposed(lesson=lesson)
    assert refused.value.code == code


# --- Doing and evidence -----------------------------------------------------------------------------------------


def test_start_action_by_its_owner_moves_the_lesson_to_in_progress() -> None:
    owner = factories.make_staff()
    action, _boss = authorised(owner=owner)
    started = actions.start_action(actor_of(owner), action.id)
    assert started.status == "in_progress" and Lesson.get_by_id(action.lesson_id).status == "in_progress"


def test_start_action_by_other_staff_is_not_allowed() -> None:
    action, _boss = authorised()
    with pytest.raises(NotAllowed):
        actions.start_action(actor_of(factories.make_staff()), action.id)


def test_start_action_not_authorised_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        actions.start_action(actor_of(manager()), proposed().id)


def test_complete_action_without_evidence_is_refused() -> None:
    action, boss = in_progress()
    with pytest.raises(Invalid) as caught:
        actions.complete_action(actor_of(boss), action.id)
    assert codes(caught.value) == {("evidence", "none_given")}


@pytest.mark.parametrize(
    ("links", "code"),
    [
        (["javascript:alert(1)"], "not_a_link"),
        (["https://x.org/" + "a" * 2000], "too_long"),
        (["https://a.org"] * 11, "too_many"),
    ],
)
def test_complete_action_with_bad_links_is_refused(links: list[str], code: str) -> None:
    action, boss = in_progress()
    with pytest.raises(Invalid) as caught:
        actions.complete_action(actor_of(boss), action.id, links=links)
    assert ("links", code) in codes(caught.value)


def test_complete_action_with_a_file_stores_it_as_evidence_and_moves_the_lesson() -> None:
    action, boss = in_progress()
    upload = Upload("report.pdf", io.BytesIO(PDF))
    finished = actions.complete_action(
        actor_of(boss), action.id, links=["https://intranet.example/report"], uploads=[upload]
    )
    assert finished.status == "done"
    kinds = sorted(("file" if e.storage_key else "link") for e in ActionEvidence.select())
    assert kinds == ["file", "link"]
    assert Lesson.get_by_id(action.lesson_id).status == "measuring_impact"


def test_complete_action_refuses_a_script_as_evidence() -> None:
    action, boss = in_progress()
    with pytest.raises(Invalid) as caught:
        actions.complete_action(
            actor_of(boss), action.id, uploads=[Upload("x.html", io.BytesIO(b"<script>1</script>"))]
        )
    assert caught.value.field == "attachments"
    assert ImprovementAction.get_by_id(action.id).status == "in_progress"


def test_complete_action_with_evidence_added_before_needs_no_more() -> None:
    action, boss = in_progress()
    actions.add_evidence(actor_of(boss), action.id, text="Half the texts are going out.")
    assert actions.complete_action(actor_of(boss), action.id).status == "done"


def test_lesson_waits_for_every_action_before_measuring_impact() -> None:
    lesson = factories.make_lesson(status="analysed")
    proposed(lesson=lesson)
    first, _boss = done(lesson=lesson)
    assert first.status == "done" and Lesson.get_by_id(lesson.id).status == "in_progress"


# --- Sign-off and verification ----------------------------------------------------------------------------------


def test_sign_off_by_the_owner_is_not_allowed() -> None:
    owner = manager()
    action, _boss = done(owner=owner)
    with pytest.raises(NotAllowed) as caught:
        actions.sign_off_action(actor_of(owner), action.id)
    assert caught.value.code == "own_action"


def test_sign_off_by_staff_who_are_not_managers_is_not_allowed() -> None:
    action, _boss = done()
    with pytest.raises(NotAllowed) as caught:
        actions.sign_off_action(actor_of(factories.make_staff()), action.id)
    assert caught.value.code == "not_allowed"


def test_sign_off_an_action_not_done_is_a_conflict() -> None:
    action, boss = in_progress()
    with pytest.raises(Conflict):
        actions.sign_off_action(actor_of(boss), action.id)


@pytest.mark.parametrize("stage", [authorised, in_progress, done])
def test_verify_an_action_not_signed_off_is_a_conflict(stage: Any) -> None:
    action, boss = stage()
    with pytest.raises(Conflict):
        actions.verify_action(actor_of(boss), action.id, "addressed", "Missed appointments halved.")


def signed_off() -> tuple[ImprovementAction, Any]:
    action, boss = done()
    return actions.sign_off_action(actor_of(boss), action.id), boss


@pytest.mark.parametrize(
    ("effect", "note", "next_step", "expected"),
    [
        ("", "ok", None, {("effect", "required")}),
        ("magic", "ok", None, {("effect", "unsupported")}),
        ("addressed", "  ", None, {("effect_note", "required")}),
        ("not_addressed", "No change.", None, {("next_step", "required")}),
    ],
)
def test_verify_action_with_bad_input_names_every_problem(
    effect: str, note: str, next_step: Any, expected: set
) -> None:
    action, boss = signed_off()
    with pytest.raises(Invalid) as caught:
        actions.verify_action(actor_of(boss), action.id, effect, note, next_step)
    assert codes(caught.value) == expected


def test_verify_action_addressed_records_the_effect() -> None:
    action, boss = signed_off()
    verified = actions.verify_action(actor_of(boss), action.id, "addressed", "Missed appointments down to 8.")
    assert (verified.status, verified.effect) == ("verified", "addressed")


def test_verify_action_not_addressed_can_reopen_it() -> None:
    action, boss = signed_off()
    new_due = local_date() + dt.timedelta(days=20)
    reopened = actions.verify_action(actor_of(boss), action.id, "not_addressed", "No change.", "reopen", new_due)
    assert reopened.status == "in_progress" and reopened.completed_at is None and reopened.effect == "not_addressed"
    assert reopened.due_on == new_due


def test_verify_action_not_addressed_can_propose_an_action_following_it() -> None:
    action, boss = signed_off()
    actions.verify_action(actor_of(boss), action.id, "not_addressed", "No change.", "follow_up")
    follow = ImprovementAction.get(ImprovementAction.follows == action.id)
    assert (follow.status, follow.title, follow.due_on) == ("proposed", action.title, None)


# --- Due dates and cancelling -----------------------------------------------------------------------------------


def test_change_due_date_keeps_the_first_date_and_records_the_reason() -> None:
    action, boss = authorised()
    new = action.due_on + dt.timedelta(days=14)
    actions.change_due_date(actor_of(boss), action.id, new, "The supplier needs two more weeks.")
    changed = ImprovementAction.get_by_id(action.id)
    assert (changed.due_on, changed.first_due_on) == (new, action.due_on)
    assert DueDateChange.get().reason == "The supplier needs two more weeks."


@pytest.mark.parametrize(
    ("days", "reason", "expected"),
    [
        (-1, "Late supplier", {("to_date", "in_past")}),
        (None, "Late supplier", {("to_date", "required")}),
        (14, "", {("reason", "required")}),
        (-1, "", {("to_date", "in_past"), ("reason", "required")}),
    ],
)
def test_change_due_date_with_bad_input_names_every_problem(days: int | None, reason: str, expected: set) -> None:
    action, boss = authorised()
    to_date = None if days is None else local_date() + dt.timedelta(days=days)
    with pytest.raises(Invalid) as caught:
        actions.change_due_date(actor_of(boss), action.id, to_date, reason)
    assert codes(caught.value) == expected


def test_change_due_date_by_the_owner_who_is_not_a_manager_is_not_allowed() -> None:
    owner = factories.make_staff()
    action, _boss = authorised(owner=owner)
    with pytest.raises(NotAllowed):
        actions.change_due_date(actor_of(owner), action.id, local_date() + dt.timedelta(days=60), "Busy")


def test_on_time_is_measured_against_the_first_due_date(clock_at: Any) -> None:
    action, boss = in_progress()
    actions.change_due_date(actor_of(boss), action.id, action.due_on + dt.timedelta(days=30), "Supplier late")
    clock_at(dt.datetime.combine(action.due_on + dt.timedelta(days=10), dt.time(12)))
    finished = actions.complete_action(actor_of(boss), action.id, text="Done late.")
    assert actions.on_time(finished) is False


def test_cancel_action_needs_a_reason_and_ends_it() -> None:
    action, boss = authorised()
    with pytest.raises(Invalid):
        actions.cancel_action(actor_of(boss), action.id, "")
    cancelled = actions.cancel_action(actor_of(boss), action.id, "The service is being outsourced.")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "The service is being outsourced.")
    with pytest.raises(Conflict):
        actions.cancel_action(actor_of(boss), action.id, "Again")


def test_cancel_action_by_staff_who_did_not_propose_it_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        actions.cancel_action(actor_of(factories.make_staff()), proposed().id, "Not needed")


def test_read_only_token_cannot_authorise() -> None:
    from backend.context import Actor

    boss = manager()
    reader = Actor(user_id=boss.id, roles=frozenset({"manager"}), token_id=1, scope="read")
    with pytest.raises(NotAllowed):
        actions.authorise_action(reader, proposed().id)


def test_lesson_status_following_its_actions_is_audited_on_the_lesson() -> None:
    action, _boss = authorised()
    event = AuditEvent.get(AuditEvent.entity_type == "lesson", AuditEvent.entity_id == str(action.lesson_id))
    assert (event.action, event.changes["status"]) == (
        "lesson.status_followed_actions",
        {"before": "analysed", "after": "actions_agreed"},
    )


def test_every_audit_entry_of_an_action_names_its_lesson() -> None:
    action, boss = done()
    actions.sign_off_action(actor_of(factories.make_user("manager")), action.id)
    entries = list(AuditEvent.select().where(AuditEvent.entity_type == "improvement_action"))
    assert {e.action for e in entries} >= {
        "improvement_action.proposed",
        "improvement_action.authorised",
        "improvement_action.started",
        "improvement_action.evidence_added",
        "improvement_action.completed",
        "improvement_action.signed_off",
    }
    assert all(e.changes["lesson_id"]["after"] == action.lesson_id for e in entries)


def test_change_due_date_is_audited_with_its_reason() -> None:
    action, boss = authorised()
    actions.change_due_date(actor_of(boss), action.id, action.due_on + dt.timedelta(days=7), "Supplier late")
    event = AuditEvent.get(AuditEvent.action == "improvement_action.due_date_changed")
    assert event.changes["reason"]["after"] == "Supplier late" and "due_on" in event.changes


def test_update_action_while_proposed_changes_its_smart_parts() -> None:
    action = proposed()
    changed = actions.update_action(actor_of(factories.make_staff()), action.id, target="5", baseline="50")
    assert (changed.target, changed.baseline) == ("5", "50")


def test_update_action_keeps_the_parts_not_given() -> None:
    action = proposed(team="Repairs team")
    actions.update_action(actor_of(factories.make_staff()), action.id, title="Text and email residents")
    kept = ImprovementAction.get_by_id(action.id)
    assert (kept.title, kept.measure, kept.target, kept.owner_id, kept.team, kept.due_on) == (
        "Text and email residents",
        action.measure,
        action.target,
        action.owner_id,
        "Repairs team",
        action.due_on,
    )


def test_update_action_clears_the_parts_given_empty() -> None:
    action = proposed(team="Repairs team")
    actions.update_action(
        actor_of(factories.make_staff()), action.id, measure="", owner_id=None, team=None, due_on=None
    )
    cleared = ImprovementAction.get_by_id(action.id)
    assert (cleared.measure, cleared.owner_id, cleared.team, cleared.due_on) == ("", None, None, None)
    assert cleared.target == action.target


def test_update_action_cannot_clear_the_title_or_the_type() -> None:
    action = proposed()
    with pytest.raises(Invalid) as raised:
        actions.update_action(actor_of(factories.make_staff()), action.id, title="", action_type="")
    assert codes(raised.value) == {("title", "required"), ("action_type", "required")}


def test_update_action_with_nothing_different_audits_nothing() -> None:
    action = proposed()
    actions.update_action(actor_of(factories.make_staff()), action.id, title=action.title)
    assert not AuditEvent.select().where(AuditEvent.action == "improvement_action.updated").exists()
