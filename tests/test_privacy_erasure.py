"""Retention and erasure: what passes its period is erased and the figures stay; holds, open cases and the
Ombudsman keep what they need; erasure on request asks first; the audit trail keeps every entry."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from peewee import DatabaseError, ModelDelete, ModelUpdate

from backend.accounts.models import User, UserSession
from backend.audit.models import AuditEvent
from backend.cocreation.models import ChangeComment
from backend.complaints.models import (
    Attachment,
    CaseMessage,
    CaseNote,
    Complaint,
    ComplaintStage,
    Contact,
    ContactPerson,
    OmbudsmanOrder,
    OutstandingAction,
    Remedy,
)
from backend.config import ConfigError, current, load_settings
from backend.context import SYSTEM
from backend.db import db
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import Delivery
from backend.notifications.models import PortalMessage
from backend.privacy import erasure, holds
from backend.privacy.holds import ErasedRecord, LegalHold
from backend.privacy.retention import sweep, years_before
from backend.reports import annual, board, equality, evidence, spso, tsm_complaints
from backend.reports.periods import year_of
from backend.surveys.models import SurveyAnswer, SurveyResponse
from backend.timeutil import local_date, utcnow
from tests import factories

LATER = utcnow() + dt.timedelta(days=365 * 8)  # every default period has passed, the audit trail's too
DAY = local_date(LATER)
MARKER = f"[erased on {DAY.isoformat()}]"


def closed_complaint(**values: Any) -> Any:
    """A complaint answered at stage 1 and closed, with a person's details, a message and a file."""
    complaint = factories.responded_complaint(**values)
    Complaint.update(status="closed", closed_at=utcnow(), summary="Mrs Patel's tap leaks").where(
        Complaint.id == complaint.id
    ).execute()
    ContactPerson.create(contact=complaint.contact_id, name="Alex Doe", email="alex@example.net", phone="0113 496 0000")
    factories.make_case_message(Complaint.get_by_id(complaint.id))
    factories.make_attachment(Contact.get_by_id(complaint.contact_id))
    return Complaint.get_by_id(complaint.id)


def figures() -> Any:
    """Every report's figures for this year, and the rows and codes they count."""
    period = year_of(local_date())
    return (
        tsm_complaints.received_counts(period, 1),
        tsm_complaints.responded_counts(period, 1),
        equality.count_breakdowns(period),
        annual.analyse(period),
        spso.indicators(period),
        board.board_figures(period, as_at=period.end),
        evidence.orders_complied(period),
        evidence.upheld_with_lesson(period),
        evidence.figure_for(evidence.CODE, "6.6", period),  # outstanding actions done on time
        evidence.figure_for(evidence.CODE, "7.3", period),  # remedies done on time
        sorted((s.complaint_id, s.opened_at, s.responded_at) for s in ComplaintStage.select()),
        sorted((c.id, c.status, c.stage, c.category_id, c.closed_at, c.home_id) for c in Complaint.select()),
        sorted((r.id, r.kind, r.amount, r.due_on, r.completed_at) for r in Remedy.select()),
        sorted((a.id, a.due_on, a.completed_at) for a in OutstandingAction.select()),
        sorted((o.id, o.due_on, o.complied_on) for o in OmbudsmanOrder.select()),
    )


def audit_trail() -> list[tuple[Any, ...]]:
    """Every entry's place, time, actor, action and record: what must never change."""
    rows = AuditEvent.select().order_by(AuditEvent.id)
    return [(e.id, e.occurred_at, e.actor_label, e.action, e.entity_type, e.entity_id) for e in rows]


# --- Settings --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "0", "-1", "six", "101"])
def test_retention_setting_refuses_empty_zero_and_nonsense(raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"LEARNLOOP_RETAIN_COMPLAINTS_YEARS": raw})
    assert raised.value.variable == "LEARNLOOP_RETAIN_COMPLAINTS_YEARS"


def test_retention_setting_keeps_for_good_only_when_told_never() -> None:
    settings = load_settings({"LEARNLOOP_RETAIN_SURVEY_ANSWERS_YEARS": "never"})
    assert settings.retain_survey_answers_years is None
    assert load_settings({}).retain_complaints_years == 6


def test_audit_retention_must_outlast_the_records() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"LEARNLOOP_RETAIN_AUDIT_YEARS": "5"})
    assert raised.value.variable == "LEARNLOOP_RETAIN_AUDIT_YEARS"


def test_years_before_moves_29_february_to_the_28th() -> None:
    assert years_before(dt.datetime(2028, 2, 29, 12), 6) == dt.datetime(2022, 2, 28, 12)


# --- The retention sweep ---------------------------------------------------------------------------------------


def test_complaint_past_its_period_is_erased_and_the_figures_stay() -> None:
    complaint = closed_complaint()
    factories.make_equality_profile(User.get_by_id(complaint.resident_id), sex="female", age_band="age_35_44")
    attachment = Attachment.get(Attachment.contact == complaint.contact_id)
    before = figures()

    counts = sweep(SYSTEM, now=LATER)

    assert counts["complaint"] == 1
    assert figures() == before
    contact = Contact.get_by_id(complaint.contact_id)
    assert contact.description == MARKER and contact.description_redacted == MARKER
    person = ContactPerson.get(ContactPerson.contact == contact.id)
    assert (person.name, person.email, person.phone) == (MARKER, "", "")
    assert {m.body for m in CaseMessage.select().where(CaseMessage.contact == contact.id)} == {MARKER}
    assert Complaint.get_by_id(complaint.id).summary == MARKER
    assert not Attachment.select().where(Attachment.id == attachment.id).exists()


def test_complaint_within_its_period_is_kept() -> None:
    complaint = closed_complaint()
    sweep(SYSTEM, now=utcnow() + dt.timedelta(days=365 * 5))
    assert Contact.get_by_id(complaint.contact_id).description != MARKER
    assert not ErasedRecord.select().where(ErasedRecord.record_type == "complaint").exists()


def test_open_complaint_is_never_erased_by_the_sweep() -> None:
    complaint = factories.responded_complaint()
    sweep(SYSTEM, now=LATER)
    assert Contact.get_by_id(complaint.contact_id).description.startswith("The kitchen tap")


def test_complaint_with_the_ombudsman_is_kept() -> None:
    complaint = closed_complaint()
    Complaint.update(ombudsman_referred_at=utcnow()).where(Complaint.id == complaint.id).execute()
    sweep(SYSTEM, now=LATER)
    assert Complaint.get_by_id(complaint.id).summary != MARKER


def test_legal_hold_on_a_case_keeps_it_until_lifted() -> None:
    complaint = closed_complaint()
    admin = factories.make_user("admin")
    hold = holds.place_hold(factories.actor_of(admin), reason="Disrepair claim", contact_id=complaint.contact_id)
    sweep(SYSTEM, now=LATER)
    assert Complaint.get_by_id(complaint.id).summary != MARKER
    entry = AuditEvent.get(AuditEvent.action == "privacy.retention_erased", AuditEvent.entity_id == "complaints")
    assert entry.changes["held_count"]["after"] == 1

    holds.lift_hold(factories.actor_of(admin), hold.id)
    sweep(SYSTEM, now=LATER)
    assert Complaint.get_by_id(complaint.id).summary == MARKER


def test_legal_hold_past_its_end_date_no_longer_holds() -> None:
    complaint = closed_complaint()
    admin = factories.make_user("admin")
    holds.place_hold(
        factories.actor_of(admin), reason="Claim", person_id=complaint.resident_id, held_until=local_date()
    )
    sweep(SYSTEM, now=LATER)
    assert Complaint.get_by_id(complaint.id).summary == MARKER


def test_contact_not_a_complaint_is_erased_once_closed_and_past_its_period() -> None:
    contact = factories.make_contact()
    Contact.update(status="closed", kind="compliment").where(Contact.id == contact.id).execute()
    still_open = factories.make_contact()
    sweep(SYSTEM, now=LATER)
    assert Contact.get_by_id(contact.id).description == MARKER
    assert Contact.get_by_id(still_open.id).description != MARKER


def test_survey_answers_lose_their_words_and_person_but_keep_their_ratings() -> None:
    person = factories.make_user()
    response = factories.make_survey_response(user=person)
    answer = factories.make_survey_answer(response)
    SurveyAnswer.update(text="My neighbour Mrs Patel").where(SurveyAnswer.id == answer.id).execute()
    sweep(SYSTEM, now=utcnow() + dt.timedelta(days=365 * 3))
    answer = SurveyAnswer.get_by_id(answer.id)
    assert (answer.value, answer.text) == ("4", f"[erased on {local_date(utcnow() + dt.timedelta(days=365 * 3))}]")
    assert SurveyResponse.get_by_id(response.id).user_id is None


def test_messages_sent_are_erased_after_their_period() -> None:
    delivery = factories.make_delivery()
    Delivery.update(subject="Your complaint", body="Dear Alex").where(Delivery.id == delivery.id).execute()
    message = factories.make_portal_message()
    sweep(SYSTEM, now=LATER)
    assert Delivery.get_by_id(delivery.id).body == MARKER
    assert PortalMessage.get_by_id(message.id).body == MARKER


def test_closed_account_is_erased_after_its_period_and_cannot_sign_in(browser: Any) -> None:
    person = factories.make_user(active=False)
    factories.make_session(person)
    email = person.email
    sweep(SYSTEM, now=LATER)
    erased = User.get_by_id(person.id)
    assert (erased.display_name, erased.password_hash, erased.is_active) == (MARKER, None, False)
    assert not UserSession.select().where(UserSession.user == person.id).exists()
    assert browser.sign_in(email).status_code != 302


def test_closed_account_with_cases_still_kept_stays() -> None:
    complaint = factories.responded_complaint()
    User.update(is_active=False).where(User.id == complaint.resident_id).execute()
    sweep(SYSTEM, now=LATER)
    assert User.get_by_id(complaint.resident_id).display_name != MARKER


def test_sweep_is_idempotent_and_audits_counts_never_contents() -> None:
    closed_complaint()
    later = utcnow() + dt.timedelta(days=365 * 6 + 200)  # past the complaints' period, not the audit trail's
    assert sweep(SYSTEM, now=later)["complaint"] == 1
    assert sum(sweep(SYSTEM, now=later).values()) == 0
    entries = AuditEvent.select().where(AuditEvent.action == "privacy.retention_erased")
    complaints = [e for e in entries if e.entity_id == "complaints"]
    assert len(complaints) == 1
    assert complaints[0].changes["complaint_count"]["after"] == 1
    assert complaints[0].changes["rule"]["after"] == "6 years after the complaint closed"
    assert "kitchen" not in str([e.changes for e in entries])


def test_audit_trail_keeps_every_entry_and_loses_only_personal_values() -> None:
    complaint = closed_complaint()
    trail = audit_trail()
    sweep(SYSTEM, now=LATER)
    after = audit_trail()
    assert after[: len(trail)] == trail  # nothing removed, reordered or rewritten but the values
    person_entry = (
        AuditEvent.get(AuditEvent.action == "contact_person.recorded")
        if AuditEvent.select().where(AuditEvent.action == "contact_person.recorded").exists()
        else None
    )
    received = AuditEvent.get(
        AuditEvent.action == "contact.received", AuditEvent.entity_id == str(complaint.contact_id)
    )
    assert received.erased_on == DAY
    assert person_entry is None or person_entry.erased_on == DAY


def test_audit_rows_still_refuse_any_other_change_or_deletion() -> None:
    event = factories.make_audit_event()

    # Past the model's own guards, straight to the database's triggers.
    def update(model: Any, **values: Any) -> Any:
        return ModelUpdate(model, {getattr(model, name): value for name, value in values.items()})

    def delete(model: Any) -> Any:
        return ModelDelete(model)

    attempts = [
        lambda: update(AuditEvent, action="x").where(AuditEvent.id == event.id).execute(),
        lambda: update(AuditEvent, action="x", erased_on=DAY).where(AuditEvent.id == event.id).execute(),
        lambda: delete(AuditEvent).where(AuditEvent.id == event.id).execute(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), db.atomic():
            attempt()
    assert AuditEvent.erase_values(event.id, {}, DAY) == 1
    assert AuditEvent.erase_values(event.id, {"again": 1}, DAY) == 0  # once per row
    with pytest.raises(DatabaseError), db.atomic():
        update(AuditEvent, changes={}).where(AuditEvent.id == event.id).execute()
    assert AuditEvent.get_by_id(event.id).action == "test.happened"


def test_erased_on_cannot_be_before_the_entry_and_a_note_takes_only_the_exact_marker() -> None:
    event = factories.make_audit_event()
    with pytest.raises(DatabaseError), db.atomic():
        AuditEvent.erase_values(event.id, {}, local_date() - dt.timedelta(days=2))
    assert AuditEvent.get_by_id(event.id).erased_on is None

    note = factories.make_case_note()
    before = (local_date() - dt.timedelta(days=2)).isoformat()
    for body in ["[erased on yesterday]", f"{MARKER} but kept: Mrs Patel", f"[erased on {before}]", "[erased on ]"]:
        with pytest.raises(DatabaseError), db.atomic():
            ModelUpdate(CaseNote, {CaseNote.body: body}).where(CaseNote.id == note.id).execute()
    ModelUpdate(CaseNote, {CaseNote.body: MARKER}).where(CaseNote.id == note.id).execute()
    assert CaseNote.get_by_id(note.id).body == MARKER


def test_erase_audit_values_keeps_field_names_and_other_values() -> None:
    changes = {"email": {"before": "a@example.net", "after": None}, "status": {"before": "open", "after": "closed"}}
    assert erasure.erase_audit_values(changes, DAY) == {
        "email": {"before": MARKER, "after": None},
        "status": {"before": "open", "after": "closed"},
    }


# --- Erasure on request ----------------------------------------------------------------------------------------


def test_erase_person_erases_their_records_and_the_figures_stay(browser: Any) -> None:
    complaint = closed_complaint()
    person = User.get_by_id(complaint.resident_id)
    email = person.email
    response = factories.make_survey_response(user=person)
    before = figures()

    plan = erasure.plan_erasure(email, today=DAY)
    assert plan.selection.counts()["complaint"] == 1 and plan.selection.counts()["account"] == 1
    erasure.erase_person(SYSTEM, plan, today=DAY)

    assert figures() == before
    assert Complaint.get_by_id(complaint.id).summary == MARKER
    assert User.get_by_id(person.id).email == f"erased-{person.id}@erased.invalid"
    assert SurveyResponse.get_by_id(response.id).user_id is None
    assert browser.sign_in(email).status_code != 302
    entry = AuditEvent.get(AuditEvent.action == "privacy.erased_on_request")
    assert entry.entity_id == str(person.id) and email not in str(entry.changes)
    assert sum(erasure.plan_erasure(email, today=DAY).selection.counts().values()) == 0  # nobody left to find


def test_erase_person_keeps_open_and_held_cases_and_their_account() -> None:
    open_complaint = factories.responded_complaint()
    person = User.get_by_id(open_complaint.resident_id)
    held = closed_complaint(resident=person)
    admin = factories.make_user("admin")
    holds.place_hold(factories.actor_of(admin), reason="Claim", contact_id=held.contact_id)

    plan = erasure.plan_erasure(person.email, today=DAY)
    reasons = {(kind, reason) for kind, _, reason in plan.selection.kept}
    assert {("contact", "open"), ("contact", "legal_hold"), ("account", "cases_kept")} <= reasons
    erasure.erase_person(SYSTEM, plan, today=DAY)
    assert Complaint.get_by_id(held.id).summary != MARKER
    assert User.get_by_id(person.id).display_name != MARKER


def test_erase_person_without_an_account_finds_the_details_given_with_a_contact() -> None:
    complaint = closed_complaint()
    plan = erasure.plan_erasure("ALEX@example.net", today=DAY)
    assert plan.found and plan.account_id is None
    erasure.erase_person(SYSTEM, plan, today=DAY)
    assert ContactPerson.get(ContactPerson.contact == complaint.contact_id).email == ""


def test_erase_person_twice_erases_nothing_more() -> None:
    complaint = closed_complaint()
    email = User.get_by_id(complaint.resident_id).email
    erasure.erase_person(SYSTEM, erasure.plan_erasure(email, today=DAY), today=DAY)
    again = erasure.plan_erasure(f"erased-{complaint.resident_id}@erased.invalid", today=DAY)
    assert again.selection.counts()["complaint"] == 0 and again.selection.counts()["account"] == 0


# --- The command -----------------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    from portal import cli as module

    monkeypatch.setattr(module, "_settings", current)
    monkeypatch.setattr(
        module, "_database", lambda settings: type("Db", (), {"connection_context": contextlib.nullcontext})()
    )
    return lambda *args, **kwargs: CliRunner().invoke(module.main, ["privacy", "erase", *args], **kwargs)


def test_erase_command_prints_counts_and_aborts_unless_the_email_is_typed_again(cli: Any) -> None:
    complaint = closed_complaint()
    email = User.get_by_id(complaint.resident_id).email
    result = cli("--email", email, input="someone-else@example.net\n")
    assert result.exit_code == 1, result.output
    assert "complaints" in result.output and "Nothing was erased." in result.output
    assert Complaint.get_by_id(complaint.id).summary != MARKER
    assert not AuditEvent.select().where(AuditEvent.action == "privacy.erased_on_request").exists()

    result = cli("--email", email, input=f"{email}\n")
    assert result.exit_code == 0, result.output
    assert Complaint.get_by_id(complaint.id).summary.startswith("[erased on ")


def test_erase_command_with_yes_does_not_ask_and_lists_what_a_hold_keeps(cli: Any) -> None:
    complaint = closed_complaint()
    person = User.get_by_id(complaint.resident_id)
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", person_id=person.id)
    result = cli("--email", person.email, "--yes")
    assert result.exit_code == 0, result.output
    assert "a legal hold keeps it" in result.output
    assert Complaint.get_by_id(complaint.id).summary != MARKER


def test_erase_command_for_nobody_says_so(cli: Any) -> None:
    result = cli("--email", "nobody@example.net", "--yes")
    assert result.exit_code != 0 and "nobody with that email address" in result.output


# --- Legal holds -----------------------------------------------------------------------------------------------


def test_place_hold_is_for_admins_only_and_checks_its_input() -> None:
    person = factories.make_user()
    with pytest.raises(NotAllowed):
        holds.place_hold(factories.actor_of(factories.make_staff()), reason="Claim", person_id=person.id)
    admin = factories.actor_of(factories.make_user("admin"))
    with pytest.raises(Invalid) as raised:
        holds.place_hold(admin, reason="", person_id=person.id, contact_id=1, held_until=dt.date(2000, 1, 1))
    assert {(p.field, p.code) for p in raised.value.problems} == {
        ("reason", "required"),
        ("target", "one_target"),
        ("held_until", "in_past"),
    }


def test_lift_hold_twice_is_a_conflict_and_both_are_audited() -> None:
    admin = factories.actor_of(factories.make_user("admin"))
    hold = holds.place_hold(admin, reason="Claim", person_id=factories.make_user().id)
    holds.lift_hold(admin, hold.id)
    with pytest.raises(Conflict):
        holds.lift_hold(admin, hold.id)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity_type == "legal_hold")]
    assert actions == ["legal_hold.placed", "legal_hold.lifted"]
    assert LegalHold.get_by_id(hold.id).lifted_at is not None


def test_comment_author_link_goes_with_the_words() -> None:
    assert "author" in ChangeComment._meta.fields  # the eraser clears it; a rename must update the eraser


# --- The console page ------------------------------------------------------------------------------------------


def test_holds_page_is_for_admins_only(signed_in: Any, browser: Any) -> None:
    signed_in("manager")
    assert browser.client.get("/console/privacy/holds").status_code == 404


def test_admin_places_and_lifts_a_hold_on_a_case(signed_in: Any, browser: Any) -> None:
    signed_in("admin")
    contact = factories.make_contact()
    page = browser.client.get("/console/privacy/holds").get_data(as_text=True)
    assert "No legal hold is in force." in page and 'for="reference"' in page
    response = browser.submit(
        "/console/privacy/holds",
        {"reference": contact.reference.lower(), "reason": "Disrepair claim"},
        page="/console/privacy/holds",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    hold = LegalHold.get(LegalHold.contact == contact.id)
    page = browser.client.get("/console/privacy/holds").get_data(as_text=True)
    assert f"Case {contact.reference}" in page and "Disrepair claim" in page

    response = browser.submit(f"/console/privacy/holds/{hold.id}/lift", {}, page="/console/privacy/holds")
    assert response.status_code == 302
    assert LegalHold.get_by_id(hold.id).lifted_at is not None
    assert "No legal hold is in force." in browser.client.get("/console/privacy/holds").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": "Claim"}, "Give a person&#39;s email address or a case reference, not both."),
        ({"email": "nobody@example.net", "reason": "Claim"}, "There is no account with this email address."),
        ({"reference": "LL-1999-000001", "reason": "Claim"}, "There is no case with this reference."),
        ({"reference": "LL-1999-000001"}, "Say why the records must be kept."),
        ({"reference": "LL-1999-000001", "reason": "x" * 1001}, "Field cannot be longer than 1000 characters."),
        ({"reference": "LL-1999-000001", "reason": "Claim", "held_until": "soon"}, "Not a valid date value."),
    ],
)
def test_place_hold_form_explains_bad_input_and_keeps_it(
    signed_in: Any, browser: Any, data: dict[str, str], message: str
) -> None:
    signed_in("admin")
    response = browser.submit("/console/privacy/holds", data, page="/console/privacy/holds")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="error-summary"' in page and message in page
    assert (data.get("reason") or "")[:50] in page
    assert not LegalHold.select().exists()


def test_place_hold_with_a_past_end_date_says_so(signed_in: Any, browser: Any) -> None:
    signed_in("admin")
    contact = factories.make_contact()
    data = {"reference": contact.reference, "reason": "Claim", "held_until": "2000-01-01"}
    page = browser.submit("/console/privacy/holds", data, page="/console/privacy/holds").get_data(as_text=True)
    assert "The end date can&#39;t be in the past." in page


def test_held_case_keeps_the_messages_sent_about_it() -> None:
    complaint = closed_complaint()
    about = factories.make_delivery()
    Delivery.update(contact_id=complaint.contact_id, body="Dear Alex").where(Delivery.id == about.id).execute()
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", contact_id=complaint.contact_id)
    sweep(SYSTEM, now=LATER)
    assert Delivery.get_by_id(about.id).body == "Dear Alex"


@pytest.mark.parametrize("pattern", ["%", "_lex@example.net", "%@example.net"])
def test_erase_person_takes_the_address_whole_never_as_a_pattern(pattern: str) -> None:
    closed_complaint()
    assert not erasure.plan_erasure(pattern, today=DAY).found


def test_audit_retention_keeps_the_entries_about_held_cases_and_people() -> None:
    held_case, held_person, free = closed_complaint(), closed_complaint(), closed_complaint()
    admin = factories.actor_of(factories.make_user("admin"))
    holds.place_hold(admin, reason="Disrepair claim", contact_id=held_case.contact_id)
    holds.place_hold(admin, reason="Claim", person_id=held_person.resident_id)
    sweep(SYSTEM, now=LATER)

    def erased(entity_type: str, entity_id: Any) -> set[Any]:
        rows = AuditEvent.select().where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        return {row.erased_on for row in rows}

    assert erased("contact", held_case.contact_id) == {None}
    assert erased("complaint", held_case.id) == {None}
    assert erased("contact", held_person.contact_id) == {None}
    assert erased("complaint", held_person.id) == {None}
    assert erased("contact", free.contact_id) == {DAY}
    entry = AuditEvent.get(AuditEvent.action == "privacy.retention_erased", AuditEvent.entity_id == "audit")
    assert entry.changes["held_count"]["after"] > 0


def test_erase_person_erases_nothing_when_the_plan_went_stale() -> None:
    complaint = closed_complaint()
    email = User.get_by_id(complaint.resident_id).email
    plan = erasure.plan_erasure(email, today=DAY)
    assert plan.selection.ids["complaint"] == [complaint.id]
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", contact_id=complaint.contact_id)
    with pytest.raises(Conflict) as clash:
        erasure.erase_person(SYSTEM, plan, today=DAY)
    assert clash.value.code == "erasure_plan_changed"
    assert Complaint.get_by_id(complaint.id).summary != MARKER
    assert not ErasedRecord.select().exists()
    assert not AuditEvent.select().where(AuditEvent.action == "privacy.erased_on_request").exists()


def test_erase_command_erases_nothing_when_records_change_before_confirming(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = closed_complaint()
    email = User.get_by_id(complaint.resident_id).email

    def confirm_after_a_hold_is_placed(*args: Any, **kwargs: Any) -> str:
        holds.place_hold(
            factories.actor_of(factories.make_user("admin")), reason="Claim", contact_id=complaint.contact_id
        )
        return email

    monkeypatch.setattr("click.prompt", confirm_after_a_hold_is_placed)
    result = cli("--email", email)
    assert result.exit_code != 0 and "nothing was erased" in result.output, result.output
    assert Complaint.get_by_id(complaint.id).summary != MARKER


def test_erase_person_erases_the_words_of_needs_restrictions_hazards_calls_and_stray_mail() -> None:
    from backend.complaints.models import ContactRestriction, Hazard, InboundMail, ReasonableAdjustment
    from backend.notifications.models import CallTask

    complaint = closed_complaint()
    person = User.get_by_id(complaint.resident_id)
    contact = Contact.get_by_id(complaint.contact_id)
    adjustment = factories.make_reasonable_adjustment(contact, "Braille letters: registered blind")
    restriction = factories.make_contact_restriction(contact)
    hazard = factories.make_hazard(contact)
    User.update(phone="07700 900123").where(User.id == person.id).execute()
    call = factories.make_call_task(user=User.get_by_id(person.id))
    stray = InboundMail.create(
        via="smtp", raw_message=b"From: me\r\n\r\nMy address is 1 High St", size=30, sha256="0" * 64,
        sender=person.email, envelope_from=person.email.upper(), subject="My flat", status="unreadable",
    )  # fmt: skip
    other = InboundMail.create(via="smtp", raw_message=b"x", size=1, sha256="1" * 64, sender="else@example.net")
    before = figures()

    erasure.erase_person(SYSTEM, erasure.plan_erasure(person.email, today=DAY), today=DAY)

    assert figures() == before
    adjustment = ReasonableAdjustment.get_by_id(adjustment.id)
    assert adjustment.description == MARKER and adjustment.decision_reasons == ""
    restriction = ContactRestriction.get_by_id(restriction.id)
    assert (restriction.behaviour, restriction.evidence, restriction.details) == (MARKER, MARKER, MARKER)
    assert restriction.equality_consideration == MARKER and restriction.kind == "email_only"
    assert Hazard.get_by_id(hazard.id).description == MARKER and Hazard.get_by_id(hazard.id).findings == ""
    call = CallTask.get_by_id(call.id)
    assert (call.name, call.phone, call.body) == (MARKER, "", MARKER)
    stray = InboundMail.get_by_id(stray.id)
    assert (bytes(stray.raw_message), stray.sender, stray.envelope_from) == (b"", "", "")
    assert InboundMail.get_by_id(other.id).sender == "else@example.net"
