"""Hazards: suggested from the resident's words, flagged by staff, escalated to the senior lead, the resident told,
their own clocks (Awaab's Law), recorded, closed only once made safe, and swept for risk and breach once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import hazards
from backend.complaints.models import Complaint, Hazard, HazardClock, HazardDismissal
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import Delivery, OutboxEvent
from tests import factories
from tests.factories import actor_of

# Monday 2 March 2026, 10:00 UTC (10:00 GMT).
RECEIVED = dt.datetime(2026, 3, 2, 10, 0)


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


def deliveries(name: str) -> list[Delivery]:
    return list(Delivery.select().join(OutboxEvent).where(OutboxEvent.name == name).order_by(Delivery.id))


def clocks_of(hazard: Hazard) -> dict[str, HazardClock]:
    return {c.kind: c for c in HazardClock.select().where(HazardClock.hazard == hazard.id)}


@pytest.fixture
def staff() -> Any:
    return factories.make_staff()


@pytest.fixture
def contact(clock_at: Any) -> Any:
    clock_at(RECEIVED + dt.timedelta(hours=1))
    return factories.make_contact(
        description="There is black mould on the bedroom wall and my son's asthma is worse.", received_at=RECEIVED
    )


# --- Clocks ------------------------------------------------------------------------------------------------------


def test_flag_emergency_hazard_gives_24_hours_to_investigate_and_make_safe(staff, contact) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    clocks = clocks_of(hazard)
    assert set(clocks) == {"investigate", "make_safe"}
    assert clocks["investigate"].due_at == clocks["make_safe"].due_at == RECEIVED + dt.timedelta(hours=24)
    assert hazard.aware_at == RECEIVED and hazard.next_due_at == RECEIVED + dt.timedelta(hours=24)


def test_flag_significant_hazard_gives_10_working_days_to_investigate(staff, contact) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    (clock,) = clocks_of(hazard).values()
    # Ten working days after Monday 2 March is Monday 16 March; due by the end of that day, UK time (GMT).
    assert clock.kind == "investigate" and clock.due_at == dt.datetime(2026, 3, 17, 0, 0)


def test_concluding_investigation_of_significant_hazard_starts_summary_and_work_clocks(
    staff, contact, clock_at
) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    clock_at(dt.datetime(2026, 3, 4, 15, 0))
    hazards.record_progress(
        actor_of(staff),
        hazard.id,
        investigation_concluded_at=dt.datetime(2026, 3, 4, 14, 0),
        findings="Leaking gutter.",
    )
    clocks = clocks_of(hazard)
    assert clocks["investigate"].status == "met" and not clocks["investigate"].breached
    # Wednesday 4 March: 3 working days is Monday 9 March, 5 is Wednesday 11 March (ends of day, GMT).
    assert clocks["summary"].due_at == dt.datetime(2026, 3, 10, 0, 0)
    assert clocks["start_work"].due_at == dt.datetime(2026, 3, 12, 0, 0)
    assert Hazard.get_by_id(hazard.id).next_due_at == dt.datetime(2026, 3, 10, 0, 0)


def _concluded_significant_hazard(staff: Any, contact: Any, clock_at: Any) -> Hazard:
    """A significant hazard whose investigation concluded on Wednesday 4 March (safety work due by the 11th)."""
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    clock_at(dt.datetime(2026, 3, 9, 15, 0))
    hazards.record_progress(
        actor_of(staff),
        hazard.id,
        investigation_concluded_at=dt.datetime(2026, 3, 4, 14, 0),
        findings="Leaking gutter.",
    )
    return hazard


def test_starting_safety_work_leaves_the_safety_work_clock_running(staff, contact, clock_at) -> None:
    # The law asks for the relevant safety work done within 5 working days, not begun.
    hazard = _concluded_significant_hazard(staff, contact, clock_at)
    hazards.record_progress(actor_of(staff), hazard.id, work_started_at=dt.datetime(2026, 3, 5, 9, 0))
    clock = clocks_of(hazard)["start_work"]
    assert clock.status == "running" and clock.met_at is None
    assert Hazard.get_by_id(hazard.id).work_started_at == dt.datetime(2026, 3, 5, 9, 0)


def test_making_the_home_safe_meets_the_safety_work_clock(staff, contact, clock_at) -> None:
    hazard = _concluded_significant_hazard(staff, contact, clock_at)
    hazards.record_progress(actor_of(staff), hazard.id, made_safe_at=dt.datetime(2026, 3, 9, 11, 0))
    clock = clocks_of(hazard)["start_work"]
    assert clock.status == "met" and clock.met_at == dt.datetime(2026, 3, 9, 11, 0) and not clock.breached


def test_working_day_deadline_ends_at_uk_midnight_in_summer() -> None:
    # Received Monday 1 June 2026 (BST): 10 working days is Monday 15 June, whose end is 23:00 UTC.
    due = hazards.end_of_working_day(dt.datetime(2026, 6, 1, 9, 0), 10, "england")
    assert due == dt.datetime(2026, 6, 15, 23, 0)


def test_emergency_made_safe_late_is_breached(staff, contact, clock_at) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    clock_at(RECEIVED + dt.timedelta(hours=30))
    hazards.record_progress(
        actor_of(staff),
        hazard.id,
        investigation_concluded_at=RECEIVED + dt.timedelta(hours=2),
        findings="Gas leak at the meter.",
        made_safe_at=RECEIVED + dt.timedelta(hours=26),
    )
    clocks = clocks_of(hazard)
    assert not clocks["investigate"].breached
    assert clocks["make_safe"].status == "met" and clocks["make_safe"].breached


# --- Flagging: escalation and the resident's letter --------------------------------------------------------------


def test_flag_escalates_to_the_senior_lead_and_tells_the_resident(staff, contact) -> None:
    lead = factories.make_user("manager")
    factories.make_role_designation("senior_lead", lead)
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant", "Bedroom wall.")
    assert hazard.escalated_to_id == lead.id and hazard.resident_told_at is not None  # type: ignore[attr-defined]
    (escalation,) = events("hazard.escalated")
    assert escalation.payload["recipient_id"] == lead.id
    (letter,) = deliveries("hazard.reported")
    assert letter.recipient_user_id == contact.resident_id
    assert "damp and mould" in letter.body and "16 March 2026" in letter.body
    audit = AuditEvent.get(AuditEvent.action == "hazard.flagged")
    assert audit.entity_id == str(hazard.id) and audit.changes["severity"]["after"] == "significant"


def test_emergency_letter_says_when_the_home_will_be_made_safe(staff, contact) -> None:
    hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    (letter,) = deliveries("hazard.reported_emergency")
    assert "make your home safe by 3 March 2026, 10:00" in letter.body
    assert "999" in letter.body


def test_flag_without_a_senior_lead_tells_every_manager(staff, contact) -> None:
    managers = {factories.make_user("manager").id, factories.make_user("manager").id}
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "disrepair", "significant")
    assert hazard.escalated_to_id is None  # type: ignore[attr-defined]
    assert {e.payload["recipient_id"] for e in events("hazard.escalated")} >= managers


def test_flag_refuses_every_bad_value_at_once_and_stores_nothing(staff, contact) -> None:
    with pytest.raises(Invalid) as raised:
        hazards.flag_hazard(actor_of(staff), contact.id, "flood", "urgent", "x" * 2001, ["w"] * 21)
    assert {(p.at[0], p.code) for p in raised.value.problems} == {
        ("kind", "unsupported"),
        ("severity", "unsupported"),
        ("description", "too_long"),
        ("keywords", "too_many"),
    }
    assert Hazard.select().count() == 0 and not events("hazard.escalated")


def test_flag_same_open_kind_twice_is_refused(staff, contact) -> None:
    hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    with pytest.raises(Conflict) as raised:
        hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "emergency")
    assert raised.value.code == "already_flagged"


def test_resident_cannot_flag_a_hazard(contact) -> None:
    resident = factories.make_user()
    with pytest.raises(NotAllowed):
        hazards.flag_hazard(actor_of(resident), contact.id, "damp_mould", "significant")


# --- Suggestions from the resident's words ------------------------------------------------------------------------


def test_english_words_suggest_hazards_without_flagging_them(contact) -> None:
    suggested = {s.kind: s.words for s in hazards.suggest_hazards(contact)}
    assert suggested == {"damp_mould": ("mould",), "serious_harm": ("asthma",)}
    assert Hazard.select().count() == 0


def test_welsh_words_suggest_hazards(clock_at) -> None:
    clock_at(RECEIVED)
    contact = factories.make_contact(description="Mae llwydni du ar wal yr ystafell wely.", locale="cy")
    assert [s.kind for s in hazards.suggest_hazards(contact)] == ["damp_mould"]


def test_keyword_matches_start_of_word_only() -> None:
    words = [("gas_electrical", "gas", "en"), ("damp_mould", "damp", "en")]
    assert [s.kind for s in hazards.matches("The dampness is bad; Vegas trip", words)] == ["damp_mould"]


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("Dewch i gasglu'r sbwriel ddydd Llun, os gwelwch yn dda.", "cy"),  # gasglu: to collect
        ("The gasket on the washing machine needs a new seal.", "en"),
        ("I gasped when I saw the new kitchen.", "en"),
    ],
)
def test_keyword_inside_a_longer_word_suggests_nothing(clock_at, text: str, locale: str) -> None:
    clock_at(RECEIVED)
    contact = factories.make_contact(description=text, locale=locale)
    assert "gas_electrical" not in [s.kind for s in hazards.suggest_hazards(contact)]


@pytest.mark.parametrize(
    ("text", "locale", "kind"),
    [
        ("Mae arogl nwy yn y gegin.", "cy", "gas_electrical"),
        ("Cafodd y plant anafiadau ar y grisiau.", "cy", "serious_harm"),
        ("I can smell gas in the kitchen.", "en", "gas_electrical"),
        ("My son was injured on the stairs.", "en", "serious_harm"),
        ("The bedroom wall is mouldy.", "en", "damp_mould"),
    ],
)
def test_keyword_as_a_whole_word_or_with_an_ending_suggests_its_kind(
    clock_at, text: str, locale: str, kind: str
) -> None:
    clock_at(RECEIVED)
    contact = factories.make_contact(description=text, locale=locale)
    assert kind in [s.kind for s in hazards.suggest_hazards(contact)]


def test_archived_keyword_suggests_nothing(clock_at) -> None:
    clock_at(RECEIVED)
    keyword = factories.make_hazard_keyword("wibble", kind="disrepair")
    contact = factories.make_contact(description="The wibble is broken.")
    assert [s.kind for s in hazards.suggest_hazards(contact)] == ["disrepair"]
    keyword.archived_at = RECEIVED
    keyword.save()
    assert hazards.suggest_hazards(contact) == []


def test_flagged_or_dismissed_kinds_are_not_suggested_again(staff, contact) -> None:
    hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant", keywords=["mould"])
    hazards.dismiss_suggestion(actor_of(staff), contact.id, "serious_harm", "Asthma is under control; no new risk.")
    assert hazards.suggest_hazards(contact) == []
    assert HazardDismissal.get().dismissed_by_id == staff.id  # type: ignore[attr-defined]
    assert AuditEvent.get(AuditEvent.action == "hazard.suggestion_dismissed").entity_id == str(contact.id)


def test_dismiss_needs_a_reason_and_a_suggested_kind(staff, contact) -> None:
    with pytest.raises(Invalid) as raised:
        hazards.dismiss_suggestion(actor_of(staff), contact.id, "damp_mould", "  ")
    assert raised.value.at == ("reason",) and raised.value.code == "required"
    with pytest.raises(Conflict):
        hazards.dismiss_suggestion(actor_of(staff), contact.id, "gas_electrical", "Not mentioned.")
    assert HazardDismissal.select().count() == 0


# --- Recording and closing ----------------------------------------------------------------------------------------


def test_record_refuses_every_problem_at_once(staff, contact, clock_at) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    with pytest.raises(Invalid) as raised:
        hazards.record_progress(
            actor_of(staff),
            hazard.id,
            summary_sent_at=RECEIVED + dt.timedelta(minutes=30),
            made_safe_at=RECEIVED - dt.timedelta(days=1),
            work_started_at=RECEIVED + dt.timedelta(days=3),
        )
    assert {(p.field, p.code) for p in raised.value.problems} == {
        ("summary_sent_at", "investigation_first"),
        ("made_safe_at", "before_aware"),
        ("work_started_at", "in_future"),
    }
    with pytest.raises(Invalid) as raised:
        hazards.record_progress(actor_of(staff), hazard.id, investigation_concluded_at=RECEIVED)
    assert (raised.value.field, raised.value.code) == ("findings", "required")
    assert Hazard.get_by_id(hazard.id).investigation_concluded_at is None


def test_close_without_made_safe_date_names_every_missing_part_and_changes_nothing(staff, contact) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    with pytest.raises(Invalid) as raised:
        hazards.close_hazard(actor_of(staff), hazard.id, "")
    assert raised.value.code == "incomplete"
    assert raised.value.params["missing"] == [
        "investigation_concluded_at",
        "summary_sent_at",
        "made_safe_at",
        "closure_note",
    ]
    assert Hazard.get_by_id(hazard.id).status == "open"
    assert not AuditEvent.select().where(AuditEvent.action == "hazard.closed").exists()


def test_close_made_safe_hazard_stops_its_clocks(staff, contact, clock_at) -> None:
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    clock_at(RECEIVED + dt.timedelta(hours=5))
    hazards.record_progress(
        actor_of(staff),
        hazard.id,
        investigation_concluded_at=RECEIVED + dt.timedelta(hours=3),
        findings="Exposed wiring in the hall.",
        made_safe_at=RECEIVED + dt.timedelta(hours=4),
    )
    closed = hazards.close_hazard(actor_of(staff), hazard.id, "Wiring made safe and checked.")
    assert closed.status == "closed" and closed.next_due_at is None
    assert {c.status for c in clocks_of(hazard).values()} == {"met"}
    assert Hazard.select().where(Hazard.status == "open").count() == 0
    with pytest.raises(Conflict):
        hazards.close_hazard(actor_of(staff), hazard.id, "Again.")


# --- The sweep -----------------------------------------------------------------------------------------------------


def test_sweep_warns_before_and_at_breach_once_each(staff, contact) -> None:
    lead = factories.make_user("manager")
    factories.make_role_designation("senior_lead", lead)
    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    assert hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=17)) == {"at_risk": 0, "breached": 0}
    assert hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=19)) == {"at_risk": 2, "breached": 0}
    assert hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=20)) == {"at_risk": 0, "breached": 0}
    assert hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=25)) == {"at_risk": 0, "breached": 2}
    assert hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=26)) == {"at_risk": 0, "breached": 0}
    assert all(c.breached for c in clocks_of(hazard).values())
    breached = events("hazard.clock_breached")
    assert {e.payload["recipient_id"] for e in breached} == {lead.id, staff.id}
    assert {e.payload["clock"] for e in breached} == {"investigate", "make_safe"}
    (sent, *_rest) = deliveries("hazard.clock_breached")
    assert contact.reference in sent.subject and "/console/hazards/" in sent.action


def test_sweep_warns_of_working_day_clock_the_working_day_before(staff, contact) -> None:
    hazards.flag_hazard(actor_of(staff), contact.id, "damp_mould", "significant")
    # Due by the end of Monday 16 March: not at risk on Thursday 12th, at risk on Friday 13th.
    assert hazards.sweep_hazards(dt.datetime(2026, 3, 12, 9, 0))["at_risk"] == 0
    assert hazards.sweep_hazards(dt.datetime(2026, 3, 13, 9, 0))["at_risk"] == 1


def test_sweep_task_runs_the_sweep() -> None:
    from tasks.complaints import sweep_hazard_clocks

    assert sweep_hazard_clocks.call_local() == {"at_risk": 0, "breached": 0}


def test_sweep_tells_the_handler_of_a_complaint_opened_after_the_hazard(staff, contact) -> None:
    from backend.complaints import intake, journey

    hazard = hazards.flag_hazard(actor_of(staff), contact.id, "gas_electrical", "emergency")
    handler = factories.make_staff()
    intake.classify_contact(actor_of(staff), contact.id, "complaint", "Unhappy with the repair.")
    complaint = Complaint.get(Complaint.contact == contact.id)
    journey.assign_complaint(actor_of(staff), complaint.id, handler.id)
    hazards.sweep_hazards(RECEIVED + dt.timedelta(hours=25))
    assert handler.id in {e.payload["recipient_id"] for e in events("hazard.clock_breached")}
    assert Hazard.get_by_id(hazard.id).complaint_id is None  # type: ignore[attr-defined]
