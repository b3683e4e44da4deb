"""Reasonable adjustments (Code 5.10) and unacceptable-behaviour restrictions (Code 5.14-5.15): recorded, decided
and reviewed, each change audited, every refusal naming every missing part and changing nothing, a sweep that
tells staff once when a review falls due, and a restriction that never stops a complaint being handled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import journey, safeguards
from backend.complaints.models import ContactRestriction, ReasonableAdjustment
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_migrations import empty_database  # noqa: F401  (the fixture)

TODAY = local_date()
LATER = TODAY + dt.timedelta(days=60)
GOOD_RESTRICTION = {
    "behaviour": "Shouted at and threatened the repairs operative on 12 January.",
    "evidence": "The operative's written account and the job notes of 12 January.",
    "kind": "written_only",
    "details": "Contact us in writing only, by letter or email.",
    "equality_consideration": "The resident told us of anxiety; writing lets them take their time. Large print kept.",
    "review_due_on": LATER,
}


def problems_of(error: Invalid) -> list[tuple[str, str]]:
    return [(problem.field, problem.code) for problem in error.problems]


def review_events() -> list[dict[str, Any]]:
    rows = OutboxEvent.select().where(OutboxEvent.name == safeguards.REVIEW_DUE_EVENT).order_by(OutboxEvent.id)
    return [row.payload for row in rows]


# --- Reasonable adjustments ------------------------------------------------------------------------------------


def test_request_adjustment_records_what_who_and_when_on_the_resident_and_audits_it() -> None:
    contact = factories.make_contact()
    staff = factories.make_staff()
    row = safeguards.request_adjustment(
        actor_of(staff), contact.id, " Calls after 2pm only ", "Their support worker", TODAY
    )
    assert (row.description, row.requested_by, row.requested_on, row.status) == (
        "Calls after 2pm only",
        "Their support worker",
        TODAY,
        "requested",
    )
    assert row.resident_id == contact.resident_id and row.contact_id == contact.id  # type: ignore[attr-defined]
    audit = AuditEvent.get(AuditEvent.action == "adjustment.requested", AuditEvent.entity_id == str(row.id))
    assert audit.actor_user_id == staff.id


def test_request_adjustment_without_anything_names_every_missing_part_and_changes_nothing() -> None:
    contact = factories.make_contact()
    before = ReasonableAdjustment.select().count()
    with pytest.raises(Invalid) as refused:
        safeguards.request_adjustment(actor_of(factories.make_staff()), contact.id, " ", "", None)
    assert problems_of(refused.value) == [
        ("adjustment", "required"),
        ("requested_by", "required"),
        ("requested_on", "required"),
    ]
    assert ReasonableAdjustment.select().count() == before


def test_request_adjustment_dated_in_the_future_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        safeguards.request_adjustment(
            actor_of(factories.make_staff()), factories.make_contact().id, "Braille", "Them", TODAY + dt.timedelta(1)
        )
    assert problems_of(refused.value) == [("requested_on", "in_future")]


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_request_adjustment_by_someone_not_staff_is_not_allowed(role: str) -> None:
    with pytest.raises(NotAllowed):
        safeguards.request_adjustment(
            actor_of(factories.make_user(role)), factories.make_contact().id, "Braille", "Them", TODAY
        )


def test_a_contact_logged_with_adjustments_becomes_a_request_to_decide() -> None:
    contact = factories.make_contact(adjustments="Please phone my daughter, not me.")
    (row,) = ReasonableAdjustment.select().where(ReasonableAdjustment.contact == contact.id)
    assert (row.description, row.status) == ("Please phone my daughter, not me.", "requested")


def test_agreeing_an_adjustment_needs_reasons_and_a_review_date_after_today() -> None:
    row = factories.make_reasonable_adjustment()
    with pytest.raises(Invalid) as refused:
        safeguards.decide_adjustment(actor_of(factories.make_staff()), row.id, "agreed", "", TODAY)
    assert problems_of(refused.value) == [("reasons", "required"), ("review_due_on", "not_after_today")]
    assert ReasonableAdjustment.get_by_id(row.id).status == "requested"


def test_agree_then_review_keeps_it_with_a_new_date_and_then_ends_it() -> None:
    staff = factories.make_staff()
    row = factories.make_reasonable_adjustment()
    agreed = safeguards.decide_adjustment(actor_of(staff), row.id, "agreed", "Easy to do.", LATER)
    assert (agreed.status, agreed.review_due_on, agreed.decided_by_id) == ("agreed", LATER, staff.id)  # type: ignore[attr-defined]
    kept = safeguards.review_adjustment(actor_of(staff), row.id, "continue", "Still needed.", LATER + dt.timedelta(30))
    assert (kept.status, kept.review_due_on, kept.reviewed_on) == ("agreed", LATER + dt.timedelta(30), TODAY)
    ended = safeguards.review_adjustment(actor_of(staff), row.id, "end", "They moved to email.", None)
    assert (ended.status, ended.review_due_on) == ("ended", None)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity_id == str(row.id)).order_by(AuditEvent.id)]
    assert actions[-3:] == ["adjustment.agreed", "adjustment.reviewed", "adjustment.reviewed"]


def test_declined_adjustment_has_no_review_and_cannot_be_decided_twice() -> None:
    row = factories.make_reasonable_adjustment()
    declined = safeguards.decide_adjustment(actor_of(factories.make_staff()), row.id, "declined", "Not possible.", None)
    assert (declined.status, declined.review_due_on) == ("declined", None)
    with pytest.raises(Conflict):
        safeguards.decide_adjustment(actor_of(factories.make_staff()), row.id, "agreed", "Changed mind.", LATER)
    with pytest.raises(Conflict):
        safeguards.review_adjustment(actor_of(factories.make_staff()), row.id, "continue", "Still.", LATER)


# --- Restrictions ----------------------------------------------------------------------------------------------


def test_manager_records_a_restriction_with_everything_and_it_is_audited() -> None:
    contact = factories.make_contact()
    manager = factories.make_user("manager")
    row = safeguards.record_restriction(
        actor_of(manager), contact.id, {**GOOD_RESTRICTION, "resident_told_on": TODAY, "resident_notice": "Letter"}
    )
    assert (row.status, row.decided_by_id, row.starts_on, row.review_due_on) == ("active", manager.id, TODAY, LATER)  # type: ignore[attr-defined]
    assert row.resident_id == contact.resident_id  # type: ignore[attr-defined]
    assert AuditEvent.select().where(AuditEvent.action == "restriction.recorded").count() == 1


def test_restriction_without_evidence_or_review_date_is_refused_naming_both_and_changes_nothing() -> None:
    contact = factories.make_contact()
    audits = AuditEvent.select().count()
    values = {**GOOD_RESTRICTION, "evidence": "  ", "review_due_on": None}
    with pytest.raises(Invalid) as refused:
        safeguards.record_restriction(actor_of(factories.make_user("manager")), contact.id, values)
    assert problems_of(refused.value) == [("evidence", "required"), ("review_due_on", "required")]
    assert ContactRestriction.select().count() == 0
    assert AuditEvent.select().count() == audits


def test_an_empty_restriction_names_every_missing_part() -> None:
    with pytest.raises(Invalid) as refused:
        safeguards.record_restriction(actor_of(factories.make_user("manager")), factories.make_contact().id, {})
    assert problems_of(refused.value) == [
        ("behaviour", "required"),
        ("evidence", "required"),
        ("details", "required"),
        ("equality_consideration", "required"),
        ("kind", "required"),
        ("review_due_on", "required"),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"kind": "single_point_of_contact"}, [("point_of_contact", "required")]),
        ({"kind": "banned"}, [("kind", "unsupported")]),
        ({"review_due_on": TODAY}, [("review_due_on", "not_after_today")]),
        ({"starts_on": LATER}, [("review_due_on", "before_start")]),
        ({"resident_told_on": TODAY}, [("resident_notice", "required")]),
        ({"resident_notice": "Letter of 3 March"}, [("resident_told_on", "required")]),
        (
            {"resident_told_on": TODAY + dt.timedelta(1), "resident_notice": "Letter"},
            [("resident_told_on", "in_future")],
        ),
        ({"evidence": "x" * 5001}, [("evidence", "too_long")]),
        # Reviewed within six months: an open-ended restriction would never be looked at again.
        ({"review_due_on": TODAY + dt.timedelta(days=200)}, [("review_due_on", "too_far")]),
        ({"review_due_on": dt.date(2099, 1, 1)}, [("review_due_on", "too_far")]),
    ],
)
def test_restriction_with_bad_input_is_refused(values: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    with pytest.raises(Invalid) as refused:
        safeguards.record_restriction(
            actor_of(factories.make_user("manager")), factories.make_contact().id, {**GOOD_RESTRICTION, **values}
        )
    assert problems_of(refused.value) == expected
    assert ContactRestriction.select().count() == 0


def test_single_point_of_contact_must_be_active_staff() -> None:
    resident = factories.make_user()
    values = {**GOOD_RESTRICTION, "kind": "single_point_of_contact", "point_of_contact_id": resident.id}
    with pytest.raises(Invalid) as refused:
        safeguards.record_restriction(actor_of(factories.make_user("manager")), factories.make_contact().id, values)
    assert problems_of(refused.value) == [("point_of_contact", "not_staff")]
    staff = factories.make_staff()
    row = safeguards.record_restriction(
        actor_of(factories.make_user("manager")),
        factories.make_contact().id,
        {**values, "point_of_contact_id": staff.id},
    )
    assert row.point_of_contact_id == staff.id  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["staff", "resident", "advocate"])
def test_only_a_manager_decides_a_restriction(role: str) -> None:
    with pytest.raises(NotAllowed):
        safeguards.record_restriction(
            actor_of(factories.make_user(role)), factories.make_contact().id, GOOD_RESTRICTION
        )


def test_restriction_on_a_contact_that_does_not_exist_is_not_found() -> None:
    with pytest.raises(NotFound):
        safeguards.record_restriction(actor_of(factories.make_user("manager")), 987654, GOOD_RESTRICTION)


def test_resident_told_is_recorded_later_with_the_notice() -> None:
    row = factories.make_contact_restriction()
    manager = actor_of(factories.make_user("manager"))
    with pytest.raises(Invalid) as refused:
        safeguards.record_restriction_told(manager, row.id, None, "")
    assert problems_of(refused.value) == [("resident_told_on", "required"), ("resident_notice", "required")]
    told = safeguards.record_restriction_told(manager, row.id, TODAY, "Letter of today, kept on file")
    assert (told.resident_told_on, told.resident_notice) == (TODAY, "Letter of today, kept on file")


def test_review_keeps_a_restriction_to_a_new_date_or_ends_it() -> None:
    row = factories.make_contact_restriction()
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as refused:
        safeguards.review_restriction(actor_of(manager), row.id, "continue", "", None)
    assert problems_of(refused.value) == [("review_outcome", "required"), ("next_review_on", "required")]
    kept = safeguards.review_restriction(actor_of(manager), row.id, "continue", "Calls still abusive.", LATER)
    assert (kept.status, kept.review_due_on, kept.reviewed_by_id) == ("active", LATER, manager.id)  # type: ignore[attr-defined]
    ended = safeguards.review_restriction(actor_of(manager), row.id, "end", "No incidents for 3 months.", None)
    assert (ended.status, ended.ended_on) == ("ended", TODAY)
    with pytest.raises(Conflict):
        safeguards.review_restriction(actor_of(manager), row.id, "end", "Again.", None)


def test_a_restriction_never_stops_the_complaint_being_handled() -> None:
    complaint = factories.make_complaint()
    factories.make_contact_restriction(complaint.contact)
    staff = factories.make_staff()
    acknowledged = journey.acknowledge_complaint(
        actor_of(staff), complaint.id, [("The tap leaks", "Fix the tap")], "A repair"
    )
    assert acknowledged.status == "open"


# --- The review sweep ------------------------------------------------------------------------------------------


def _due(row: Any, model: Any, day: dt.date) -> None:
    model.update(review_due_on=day).where(model.id == row.id).execute()


def test_sweep_tells_the_decider_and_the_handler_once_when_a_review_falls_due() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    manager = factories.make_user("manager")
    restriction = safeguards.record_restriction(actor_of(manager), complaint.contact_id, GOOD_RESTRICTION)  # type: ignore[attr-defined]
    assert safeguards.sweep_reviews(LATER - dt.timedelta(1)) == {"adjustments": 0, "restrictions": 0}
    assert safeguards.sweep_reviews(LATER) == {"adjustments": 0, "restrictions": 1}
    assert sorted(e["recipient_id"] for e in review_events()) == sorted([manager.id, handler.id])
    assert {e["record"] for e in review_events()} == {"restriction"}
    assert review_events()[0]["contact_id"] == complaint.contact_id  # type: ignore[attr-defined]
    # Once: running it again tells nobody.
    assert safeguards.sweep_reviews(LATER + dt.timedelta(1)) == {"adjustments": 0, "restrictions": 0}
    assert len(review_events()) == 2
    # A review with a new date starts the count again.
    next_date = LATER + dt.timedelta(90)
    _due(restriction, ContactRestriction, TODAY + dt.timedelta(1))
    safeguards.review_restriction(actor_of(manager), restriction.id, "continue", "Still needed.", next_date)
    assert safeguards.sweep_reviews(next_date) == {"adjustments": 0, "restrictions": 1}


def test_sweep_tells_of_an_agreed_adjustment_due_for_review_but_not_of_requested_or_ended_ones() -> None:
    staff = factories.make_staff()
    agreed = factories.make_reasonable_adjustment()
    safeguards.decide_adjustment(actor_of(staff), agreed.id, "agreed", "Fine.", LATER)
    factories.make_reasonable_adjustment()  # requested: nothing to review yet
    assert safeguards.sweep_reviews(LATER) == {"adjustments": 1, "restrictions": 0}
    assert [e["recipient_id"] for e in review_events()] == [staff.id]
    assert safeguards.sweep_reviews(LATER) == {"adjustments": 0, "restrictions": 0}


def test_sweep_with_nobody_to_tell_tells_every_manager() -> None:
    staff = factories.make_staff()
    row = factories.make_reasonable_adjustment()
    safeguards.decide_adjustment(actor_of(staff), row.id, "agreed", "Fine.", LATER)
    staff.is_active = False
    staff.save()
    manager = factories.make_user("manager")
    safeguards.sweep_reviews(LATER)
    assert manager.id in [e["recipient_id"] for e in review_events()]


def test_the_review_message_names_the_record_and_links_to_the_residents_page() -> None:
    from backend.notifications.registry import EVENTS

    spec = EVENTS[safeguards.REVIEW_DUE_EVENT]
    values = spec.context({"record": "restriction", "reference": "LL-2026-000007", "due_on": "2026-03-02"}, None, "en")  # type: ignore[misc]
    assert values["record"] == "A restriction on contact" and values["reference"] == "LL-2026-000007"
    assert "2 March 2026" in values["due_date"]


# --- The migration ---------------------------------------------------------------------------------------------


def test_migration_makes_requests_of_existing_adjustment_text_and_keeps_the_text(empty_database: Any) -> None:  # noqa: F811
    from peewee import Table

    from backend.migrate import migrate_up, runner

    runner(empty_database).up("0019_contact_consent_method")
    moment = dt.datetime(2025, 3, 4, 23, 6, 7)
    account = Table("account").bind(empty_database)
    for user_id, text in ((1, "  Braille, please "), (2, "")):
        account.insert(
            id=user_id, email=f"{user_id}@example.org", display_name="A", contact_channel="email",
            accessibility_needs="", reasonable_adjustments=text, is_active=True, is_demo=False,
            created_at=moment, updated_at=moment,
        ).execute()  # fmt: skip
    contact = Table("contact").bind(empty_database)
    for number, text in ((1, "Large print letters"), (2, "   "), (3, "")):
        contact.insert(
            id=number, reference=f"LL-{number}", channel="portal", received_at=moment, logged_via="portal",
            resident_id=2, anonymous=False, locale="en", description="Hi", description_redacted="Hi",
            wants_to_complain=False, interpreter_used=False, representative_consent=False, adjustments=text,
            vulnerabilities="[]", status="new", created_at=moment, updated_at=moment,
        ).execute()  # fmt: skip
    migrate_up(empty_database)
    made = Table("reasonable_adjustment").bind(empty_database)
    rows = made.select(made.c.resident_id, made.c.contact_id, made.c.description, made.c.status, made.c.requested_on)
    found = sorted(rows.order_by(made.c.id).tuples(), key=lambda row: row[2])
    assert [row[:4] for row in found] == [
        (1, None, "Braille, please", "requested"),
        (2, 1, "Large print letters", "requested"),
    ]
    assert str(found[1][4]) == "2025-03-04"
    kept = contact.select(contact.c.adjustments).where(contact.c.id == 1).scalar()
    assert kept == "Large print letters"


def test_the_review_notice_reaches_the_staff_with_a_link_to_the_residents_page() -> None:
    from backend.events.models import Delivery

    complaint = factories.acknowledged_complaint(factories.make_staff())
    restriction = factories.make_contact_restriction(complaint.contact)
    safeguards.sweep_reviews(restriction.review_due_on)
    sent = list(
        Delivery.select().join(OutboxEvent).where(OutboxEvent.name == safeguards.REVIEW_DUE_EVENT).order_by(Delivery.id)
    )
    assert len(sent) == 2
    assert all(complaint.reference in d.subject for d in sent)
    assert all(f"/console/contacts/{complaint.contact_id}/safeguards" in d.action for d in sent)  # type: ignore[attr-defined]
    assert all("A restriction on contact for the resident of" in d.body for d in sent)


def test_the_review_sweep_task_runs_the_sweep() -> None:
    from tasks.complaints import sweep_safeguard_reviews

    assert sweep_safeguard_reviews.call_local() == {"adjustments": 0, "restrictions": 0}


def test_an_anonymous_contact_has_nobody_to_adjust_for_or_restrict() -> None:
    from backend.complaints.intake import NewContact, submit_contact
    from backend.context import SYSTEM

    contact = submit_contact(
        SYSTEM, NewContact(channel="social_media", description="Bins", anonymous=True, nation="england")
    )
    with pytest.raises(Conflict):
        safeguards.request_adjustment(actor_of(factories.make_staff()), contact.id, "Braille", "Them", TODAY)
    with pytest.raises(Conflict):
        safeguards.record_restriction(actor_of(factories.make_user("manager")), contact.id, GOOD_RESTRICTION)
    assert ReasonableAdjustment.select().count() == ContactRestriction.select().count() == 0


def test_new_adjustment_text_on_a_residents_profile_becomes_a_request_to_decide() -> None:
    from backend.accounts.services import update_profile

    resident = factories.make_user()
    update_profile(actor_of(resident), resident.id, reasonable_adjustments="  Please write, do not phone. ")
    (row,) = ReasonableAdjustment.select().where(ReasonableAdjustment.resident == resident.id)
    assert (row.description, row.status, row.contact_id) == ("Please write, do not phone.", "requested", None)  # type: ignore[attr-defined]
    # Saving the profile again unchanged, or emptying the text, asks for nothing new.
    update_profile(actor_of(resident), resident.id, reasonable_adjustments="Please write, do not phone.")
    update_profile(actor_of(resident), resident.id, reasonable_adjustments="")
    assert ReasonableAdjustment.select().where(ReasonableAdjustment.resident == resident.id).count() == 1
