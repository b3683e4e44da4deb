"""The complaint journey through the services: stages, clocks across bank holidays, extensions, responses,
escalation, refusals, withdrawals, the Ombudsman, and the rules the Code enforces."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from backend.complaints import clocks, intake, journey, responses
from backend.complaints.models import Clock, Complaint, ComplaintPoint, ComplaintStage, Regime, RegimeStage
from backend.context import Actor
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def resident_in(nation: str) -> Any:
    return factories.make_user(home=factories.make_home(nation=nation))


def clock(complaint: Any, kind: str, stage: int | None = None) -> Clock:
    return Clock.get(Clock.complaint == complaint.id, Clock.kind == kind, Clock.stage == (stage or complaint.stage))


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


def acknowledge(handler: Any, complaint: Any) -> Complaint:
    return journey.acknowledge_complaint(
        actor_of(handler),
        complaint.id,
        [("Two repair appointments were missed", "The tap fixed"), ("Nobody called back", "An apology")],
        "The tap fixed, and an apology",
    )


def respond(handler: Any, complaint: Any, **extra: Any) -> Any:
    points = ComplaintPoint.select().where(
        ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage
    )
    return responses.respond_to_complaint(
        actor_of(handler),
        complaint.id,
        {point.id: ("partly_upheld", "We missed one appointment.") for point in points},
        "We looked at the job records and spoke to the contractor.",
        "If you are not happy with this answer, ask for stage 2 on our website or by phone.",
        [
            responses.RemedyInput(
                "apology", "We apologise for the missed appointment.", dt.date(2030, 5, 1), None, handler.id
            )
        ],
        **{"underlying_cause": "No reminder was sent.", "remedial_action": "Reminders are sent.", **extra},
    )


# --- Intake opens the journey ----------------------------------------------------------------


def test_submit_complaint_gives_reference_and_opens_stage_one(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10, 0))
    contact = factories.make_contact(resident_in("england"), wants_to_complain=True)
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert contact.reference == f"LL-2026-{contact.id:06d}"
    assert complaint.reference == contact.reference
    assert (complaint.stage, complaint.status, complaint.regime.code) == (1, "received", "hoc")
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).number == 1
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 9)
    assert complaint.next_due_on == dt.date(2026, 3, 9)
    assert events("feedback.received")[-1].payload["days"] == 5


@pytest.mark.parametrize(
    ("nation", "received", "kind", "due"),
    [
        # Good Friday 3 April and Easter Monday 6 April 2026 in England and Wales.
        ("england", dt.datetime(2026, 4, 2, 9), "acknowledge", dt.date(2026, 4, 13)),
        # Wales: the PSOW's informal stage answers in 10 working days from receipt.
        ("wales", dt.datetime(2026, 4, 2, 9), "respond", dt.date(2026, 4, 20)),
        # Scotland has no Easter Monday; the SPSO's stage 1 is a decision in 5 working days from receipt.
        ("scotland", dt.datetime(2026, 4, 2, 9), "respond", dt.date(2026, 4, 10)),
        # Northern Ireland: St Patrick's Day, Tuesday 17 March 2026; NIPSO's frontline answer in 5 working days.
        ("northern_ireland", dt.datetime(2026, 3, 16, 9), "respond", dt.date(2026, 3, 24)),
        ("england", dt.datetime(2026, 3, 16, 9), "acknowledge", dt.date(2026, 3, 23)),
        # Christmas 2026: 25 December (Friday), Boxing Day moved to Monday 28, New Year's Day on Friday.
        ("england", dt.datetime(2026, 12, 24, 9), "acknowledge", dt.date(2027, 1, 5)),
        # Scotland: 2 January 2027 is a Saturday, so Monday 4 January is the substitute day.
        ("scotland", dt.datetime(2026, 12, 24, 9), "respond", dt.date(2027, 1, 6)),
        # Received late on a Friday evening in UK time (summer): still Friday, counting starts Monday.
        ("england", dt.datetime(2026, 7, 3, 22, 30), "acknowledge", dt.date(2026, 7, 10)),
    ],
)
def test_first_clock_skips_the_bank_holidays_of_the_home_nation(
    clock_at: Any, nation: str, received: dt.datetime, kind: str, due: dt.date
) -> None:
    clock_at(received)
    complaint = factories.make_complaint(resident_in(nation), received_at=received)
    assert clock(complaint, kind).due_on == due


def test_first_clock_ignores_the_landlords_closure_days(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    factories.make_closure_day(dt.date(2026, 3, 4))
    complaint = factories.make_complaint(resident_in("england"))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 9)


def test_archived_closure_day_counts_again(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    closure = factories.make_closure_day(dt.date(2026, 3, 4))
    closure.archived_at = dt.datetime(2026, 1, 1)
    closure.save()
    complaint = factories.make_complaint(resident_in("england"))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 9)


def test_same_day_counting_counts_the_day_of_receipt(clock_at: Any) -> None:
    Regime.update(counting="same_day").where(Regime.code == "hoc").execute()
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("england"))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 6)


# --- Stage 1 ---------------------------------------------------------------------------------


def test_acknowledge_defines_the_complaint_and_starts_the_response_clock(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff(team="Repairs team")
    complaint = factories.make_complaint(resident_in("england"))
    clock_at(dt.datetime(2026, 3, 4, 15))
    complaint = acknowledge(handler, complaint)
    ack = clock(complaint, "acknowledge")
    assert (ack.status, ack.met_on, ack.breached, ack.working_days_taken) == ("met", dt.date(2026, 3, 4), False, 2)
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 18)
    assert (complaint.status, complaint.handler_id, complaint.team) == ("open", handler.id, "Repairs team")
    assert [p.text for p in complaint.points.order_by(ComplaintPoint.position)] == [
        "Two repair appointments were missed",
        "Nobody called back",
    ]
    assert events("complaint.acknowledged")[-1].payload["user_id"] == complaint.resident_id


def test_acknowledge_late_records_the_breach(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("england"))
    clock_at(dt.datetime(2026, 3, 10, 10))
    complaint = acknowledge(factories.make_staff(), complaint)
    ack = clock(complaint, "acknowledge")
    assert (ack.breached, ack.working_days_taken) == (True, 6)


@pytest.mark.parametrize(
    ("points", "outcomes", "field"),
    [([], "An apology", "points"), ([("  ", "")], "An apology", "points"), ([("Leak", "")], " ", "outcomes_sought")],
)
def test_acknowledge_without_points_or_outcomes_is_invalid(points: Any, outcomes: str, field: str) -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Invalid) as caught:
        journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, points, outcomes)
    assert caught.value.field == field
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_acknowledge_twice_is_a_conflict() -> None:
    complaint = factories.acknowledged_complaint()
    with pytest.raises(Conflict) as caught:
        acknowledge(factories.make_staff(), complaint)
    assert caught.value.code == "already_acknowledged"


def test_resident_cannot_acknowledge() -> None:
    complaint = factories.make_complaint()
    with pytest.raises(NotAllowed):
        acknowledge(complaint.resident, complaint)


def test_respond_before_acknowledging_is_a_conflict_and_changes_nothing() -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Conflict) as caught:
        responses.respond_to_complaint(actor_of(factories.make_staff()), complaint.id, {}, "Reasons", "Next")
    assert caught.value.code == "not_acknowledged"
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_incomplete_response_lists_every_missing_part() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    with pytest.raises(Invalid) as caught:
        responses.respond_to_complaint(actor_of(handler), complaint.id, {point.id: ("upheld", "")}, " ", "")
    assert (caught.value.field, caught.value.code) == ("response", "incomplete")
    assert caught.value.params["missing"] == [
        "decision_reasons",
        "reasons",
        "next_steps",
        "remedies",
        "underlying_cause",
        "remedial_action",
    ]
    with pytest.raises(Invalid) as caught:
        responses.respond_to_complaint(actor_of(handler), complaint.id, {}, "Reasons", "Next steps")
    assert caught.value.params["missing"] == ["decisions", "decision_reasons"]
    assert Complaint.get_by_id(complaint.id).status == "open"


@pytest.mark.parametrize(
    ("remedy", "code"),
    [
        (responses.RemedyInput("financial_redress", "Compensation", dt.date(2030, 5, 1)), "amount_required"),
        (responses.RemedyInput("financial_redress", "Compensation", dt.date(2030, 5, 1), "-5"), "bad_amount"),
        (responses.RemedyInput("financial_redress", "Compensation", dt.date(2030, 5, 1), "lots"), "bad_amount"),
        (responses.RemedyInput("apology", "Sorry", None), "due_required"),
        (responses.RemedyInput("hug", "Sorry", dt.date(2030, 5, 1)), "unsupported"),
        (responses.RemedyInput("apology", "Sorry", dt.date(2019, 1, 1)), "due_before_complaint"),
    ],
)
def test_bad_remedy_is_invalid(remedy: responses.RemedyInput, code: str) -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    with pytest.raises(Invalid) as caught:
        responses.respond_to_complaint(
            actor_of(handler),
            complaint.id,
            {point.id: ("upheld", "We were late.")},
            "Reasons",
            "Next",
            [dataclasses.replace(remedy, owner_id=handler.id)],
            underlying_cause="Late visits",
            remedial_action="Reminders",
        )
    assert (caught.value.field, caught.value.code) == ("remedies", code)


def test_respond_records_decisions_remedies_and_actions_and_meets_the_clock(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = acknowledge(handler, factories.make_complaint(resident_in("england")))
    clock_at(dt.datetime(2026, 3, 12, 10))
    response = respond(
        handler,
        complaint,
        actions=[responses.ActionInput("Replace the kitchen tap", dt.date(2026, 3, 30), handler.id)],
    )
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "responded"
    assert {d.decision for d in response.decisions} == {"partly_upheld"}
    assert [r.kind for r in response.remedies] == ["apology"]
    assert [a.description for a in response.actions] == ["Replace the kitchen tap"]
    answered = clock(complaint, "respond")
    assert (answered.status, answered.breached, answered.working_days_taken) == ("met", False, 8)
    assert complaint.next_due_on is None
    assert events("complaint.responded")[-1].payload["final"] is False


def test_extend_moves_the_response_clock_within_the_limit(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = acknowledge(handler, factories.make_complaint(resident_in("england")))
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 16)
    complaint = journey.extend_complaint(
        actor_of(handler), complaint.id, 4, "The contractor's report is late.", dt.date(2026, 3, 2), True
    )
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 20)
    complaint = journey.extend_complaint(
        actor_of(handler), complaint.id, 6, "Still waiting.", dt.date(2026, 3, 2), True
    )
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 30)
    assert clock(complaint, "respond").original_due_on == dt.date(2026, 3, 16)
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert (stage.extended_days, stage.extension_ombudsman_details_given) == (10, True)
    with pytest.raises(Conflict) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 1, "More.", dt.date(2026, 3, 2), True)
    assert caught.value.code == "extension_used"


TODAY = local_date()  # the day the tests run: the stage opens today too


@pytest.mark.parametrize(
    ("days", "reason", "told_on", "details", "field"),
    [
        (11, "Report late", TODAY, True, "days"),
        (0, "Report late", TODAY, True, "days"),
        (5, " ", TODAY, True, "reason"),
        (5, "Report late", None, True, "told_on"),
        (5, "Report late", dt.date(2099, 1, 1), True, "told_on"),
        (5, "Report late", TODAY, False, "ombudsman_details_given"),
    ],
)
def test_bad_extension_is_invalid_and_changes_nothing(
    days: int, reason: str, told_on: dt.date | None, details: bool, field: str
) -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    due = clock(complaint, "respond").due_on
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, days, reason, told_on, details)
    assert caught.value.field == field
    assert clock(complaint, "respond").due_on == due


# --- Stage 2 ---------------------------------------------------------------------------------


def test_resident_escalates_without_a_reason_and_stage_two_starts(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    resident = resident_in("england")
    complaint = acknowledge(handler, factories.make_complaint(resident))
    respond(handler, complaint)
    clock_at(dt.datetime(2026, 3, 27, 11))
    complaint = journey.escalate_complaint(actor_of(resident), complaint.id)
    assert (complaint.stage, complaint.status, complaint.handler_id) == (2, "received", None)
    assert clock(complaint, "acknowledge", 2).due_on == dt.date(2026, 4, 7)  # Easter: 3 and 6 April
    assert events("complaint.escalated")[-1].payload["stage"] == 2


def test_stage_two_handler_must_not_be_the_stage_one_handler() -> None:
    handler = factories.make_staff()
    complaint = factories.responded_complaint(handler)
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    with pytest.raises(Conflict) as caught:
        journey.assign_complaint(actor_of(factories.make_staff()), complaint.id, handler.id)
    assert caught.value.code == "same_handler"
    with pytest.raises(Conflict):
        acknowledge(handler, complaint)
    assert Complaint.get_by_id(complaint.id).handler_id is None


def test_someone_reassigned_away_during_stage_one_cannot_take_stage_two() -> None:
    """Code 6.13: whoever considered the complaint at stage 1, even for a while, is not its stage-2 handler."""
    first, second = factories.make_staff(), factories.make_staff()
    complaint = factories.acknowledged_complaint(first)
    journey.assign_complaint(actor_of(second), complaint.id, second.id)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    responses.respond_to_complaint(
        actor_of(second), complaint.id, {point.id: ("not_upheld", "On time.")}, "We checked.", "Ask for stage 2."
    )
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    for person in (first, second):
        with pytest.raises(Conflict) as caught:
            journey.assign_complaint(actor_of(factories.make_user("manager")), complaint.id, person.id)
        assert caught.value.code == "same_handler"
    third = factories.make_staff()
    assert journey.assign_complaint(actor_of(third), complaint.id, third.id).handler_id == third.id


def test_stage_two_response_by_another_handler_closes_the_complaint(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    first = factories.make_staff()
    second = factories.make_staff(team="Customer resolution")
    complaint = acknowledge(first, factories.make_complaint(resident_in("england")))
    respond(first, complaint)
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    complaint = journey.assign_complaint(actor_of(second), complaint.id, second.id)
    complaint = acknowledge(second, complaint)
    assert clock(complaint, "respond", 2).due_on == dt.date(2026, 3, 30)
    with pytest.raises(Invalid) as caught:
        respond(second, complaint, underlying_cause="", remedial_action="")
    assert caught.value.params["missing"] == ["underlying_cause", "remedial_action"]
    respond(second, complaint, underlying_cause="No cover when the planner was off.", remedial_action="Cover rota.")
    complaint = Complaint.get_by_id(complaint.id)
    assert (complaint.status, complaint.team) == ("closed", "Customer resolution")
    assert complaint.closed_at is not None
    assert events("complaint.closed")[-1].payload["complaint_id"] == complaint.id
    with pytest.raises(Conflict) as escalating:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert escalating.value.code == "closed"


def test_escalate_an_open_complaint_is_a_conflict() -> None:
    complaint = factories.acknowledged_complaint()
    with pytest.raises(Conflict) as caught:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert caught.value.code == "not_responded"


def test_escalate_at_the_final_stage_is_a_conflict() -> None:
    complaint = factories.responded_complaint()
    journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    Complaint.update(status="responded").where(Complaint.id == complaint.id).execute()
    with pytest.raises(Conflict) as caught:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert caught.value.code == "final_stage"


def test_another_resident_cannot_escalate() -> None:
    complaint = factories.responded_complaint()
    with pytest.raises(NotFound):  # as for a complaint that isn't there
        journey.escalate_complaint(actor_of(factories.make_user()), complaint.id)


def test_advocate_with_consent_escalates_for_the_resident() -> None:
    complaint = factories.responded_complaint()
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, complaint.resident)
    assert journey.escalate_complaint(actor_of(advocate), complaint.id, "They are still waiting.").stage == 2


def test_scotland_stage_two_is_acknowledged_in_three_and_answered_in_twenty_days(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    first = factories.make_staff()
    complaint = factories.make_complaint(resident_in("scotland"))
    assert complaint.regime.code == "spso"
    respond(first, acknowledge(first, complaint))
    clock_at(dt.datetime(2026, 4, 1, 10))
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    # Good Friday (3 April) is a Scottish bank holiday; Easter Monday is not.
    assert clock(complaint, "acknowledge", 2).due_on == dt.date(2026, 4, 7)
    assert clock(complaint, "respond", 2).due_on == dt.date(2026, 4, 30)


# --- Refusal, withdrawal, closure, the Ombudsman ---------------------------------------------


def test_refusal_without_a_ground_is_refused() -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Invalid) as caught:
        journey.refuse_complaint(actor_of(factories.make_staff()), complaint.id, "", "Too old", True)
    assert (caught.value.field, caught.value.code) == ("ground", "required")
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_refusal_needs_reasons_and_the_ombudsmans_details() -> None:
    complaint = factories.make_complaint()
    staff = actor_of(factories.make_staff())
    with pytest.raises(Invalid) as caught:
        journey.refuse_complaint(staff, complaint.id, "over_twelve_months", "", True)
    assert caught.value.field == "reasons"
    with pytest.raises(Invalid) as caught:
        journey.refuse_complaint(staff, complaint.id, "over_twelve_months", "It happened in 2023.", False)
    assert caught.value.field == "ombudsman_details_given"


def test_refusal_stops_the_clocks_and_tells_the_resident() -> None:
    complaint = factories.make_complaint()
    complaint = journey.refuse_complaint(
        actor_of(factories.make_staff()), complaint.id, "legal_proceedings", "Court action started in May.", True
    )
    assert (complaint.status, complaint.next_due_on) == ("refused", None)
    assert {c.status for c in complaint.clocks} == {"stopped"}
    assert events("complaint.refused")[-1].payload["ground"] == "legal_proceedings"


def test_withdraw_then_respond_is_a_conflict() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    journey.withdraw_complaint(actor_of(complaint.resident), complaint.id, "Sorted out now.")
    with pytest.raises(Conflict) as caught:
        respond(handler, complaint)
    assert caught.value.code == "closed"


def test_close_after_stage_one_needs_the_minimum_record() -> None:
    complaint = factories.responded_complaint()
    staff = actor_of(factories.make_staff())
    with pytest.raises(Invalid) as caught:
        journey.close_complaint(staff, complaint.id, "", "")
    assert caught.value.params["missing"] == ["underlying_cause", "remedial_action"]
    closed = journey.close_complaint(staff, complaint.id, "Missed appointments", "Text reminders")
    assert closed.status == "closed"


def test_ombudsman_referral_and_determination() -> None:
    complaint = factories.responded_complaint()
    staff = actor_of(factories.make_staff())
    with pytest.raises(Conflict) as caught:
        journey.record_determination(staff, complaint.id, "maladministration", "")
    assert caught.value.code == "not_referred"
    journey.refer_to_ombudsman(staff, complaint.id, "202612345")
    with pytest.raises(Invalid):
        journey.record_determination(staff, complaint.id, "guilty", "")
    determined = journey.record_determination(
        staff, complaint.id, "maladministration", "Pay £250 within 4 weeks.", dt.date(2030, 2, 1)
    )
    assert (determined.ombudsman_reference, determined.ombudsman_determination) == ("202612345", "maladministration")
    with pytest.raises(Conflict) as caught:
        journey.record_determination(staff, complaint.id, "service_failure", "")
    assert caught.value.code == "already_determined"


def test_mediation_offer_is_recorded() -> None:
    complaint = factories.make_complaint()
    complaint = journey.offer_mediation(actor_of(factories.make_staff()), complaint.id, "Offered by phone.")
    assert complaint.mediation_offered_at is not None


def test_remedies_and_actions_are_completed_once() -> None:
    complaint = factories.responded_complaint()
    staff = actor_of(factories.make_staff())
    remedy = complaint.remedies.get()
    action = complaint.actions.get()
    responses.complete_remedy(staff, remedy.id)
    responses.complete_action(staff, action.id, "The new tap was fitted on Monday.")
    with pytest.raises(Conflict):
        responses.complete_remedy(staff, remedy.id)
    assert events("complaint.updated")[-1].payload["action_id"] == action.id


def test_update_to_the_resident_is_a_message_on_the_case() -> None:
    complaint = factories.responded_complaint()
    message = responses.send_update(actor_of(factories.make_staff()), complaint.id, "The plumber comes on Friday.")
    assert (message.direction, message.kind) == ("to_resident", "update")


def test_regime_stages_are_data() -> None:
    RegimeStage.update(acknowledge_days=3).where(
        RegimeStage.regime == Regime.get(Regime.code == "hoc").id, RegimeStage.number == 1
    ).execute()
    complaint = factories.make_complaint(received_at=dt.datetime(2026, 3, 2, 10))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 5)


# --- Clock sweep -----------------------------------------------------------------------------


def test_sweep_flags_at_risk_and_breached_once_and_tells_handler_and_manager(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    manager = factories.make_user("manager")
    handler = factories.make_staff(manager=manager)
    complaint = factories.make_complaint(resident_in("england"))
    journey.assign_complaint(actor_of(handler), complaint.id, handler.id)
    # Due Monday 9 March: at risk from Thursday 5 March, breached from Tuesday 10 March.
    assert clocks.sweep_clocks(dt.date(2026, 3, 4)) == {"at_risk": 0, "breached": 0}
    assert clocks.sweep_clocks(dt.date(2026, 3, 5)) == {"at_risk": 1, "breached": 0}
    assert clocks.sweep_clocks(dt.date(2026, 3, 6)) == {"at_risk": 0, "breached": 0}
    assert clocks.sweep_clocks(dt.date(2026, 3, 10)) == {"at_risk": 0, "breached": 1}
    assert clocks.sweep_clocks(dt.date(2026, 3, 11)) == {"at_risk": 0, "breached": 0}
    assert [e.payload["recipient_id"] for e in events("complaint.clock_at_risk")] == [handler.id, manager.id]
    assert [e.payload["recipient_id"] for e in events("complaint.clock_breached")] == [handler.id, manager.id]
    assert clock(complaint, "acknowledge").breached is True


def test_sweep_without_a_handler_tells_the_managers(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    manager = factories.make_user("manager")
    factories.make_complaint(resident_in("england"))
    clocks.sweep_clocks(dt.date(2026, 3, 10))
    assert manager.id in [e.payload["recipient_id"] for e in events("complaint.clock_breached")]


# --- Classification, service requests, merging ----------------------------------------------


def test_classify_as_complaint_opens_it_with_the_reason() -> None:
    contact = factories.make_contact()
    staff = actor_of(factories.make_staff())
    contact = intake.classify_contact(staff, contact.id, "complaint", "They are unhappy the repair was late.")
    assert (contact.kind, contact.status) == ("complaint", "open")
    assert Complaint.get(Complaint.contact == contact.id).status == "received"
    with pytest.raises(Conflict) as caught:
        intake.classify_contact(staff, contact.id, "compliment", "Changed my mind")
    assert caught.value.code == "already_complaint"


def test_classify_needs_a_reason() -> None:
    contact = factories.make_contact()
    with pytest.raises(Invalid) as caught:
        intake.classify_contact(actor_of(factories.make_staff()), contact.id, "service_request", "  ")
    assert caught.value.field == "reason"


def test_dissatisfaction_with_a_service_request_opens_a_linked_complaint_and_the_request_stays_open() -> None:
    resident = factories.make_user(home=factories.make_home())
    request = factories.make_contact(resident)
    intake.classify_contact(actor_of(factories.make_staff()), request.id, "service_request", "A repair request")
    complaint_contact = intake.submit_contact(
        actor_of(resident),
        intake.NewContact(
            channel="portal", description="Still not fixed after a month.", related_request_id=request.id
        ),
    )
    assert complaint_contact.related_request_id == request.id
    assert Complaint.get(Complaint.contact == complaint_contact.id).status == "received"
    assert intake.get_contact(request.id).status == "open"


def test_offer_to_complain_is_recorded_once() -> None:
    contact = factories.make_contact()
    staff = actor_of(factories.make_staff())
    first = intake.record_complaint_offer(staff, contact.id).complaint_offered_at
    assert intake.record_complaint_offer(staff, contact.id).complaint_offered_at == first


def test_merge_records_who_merged_and_keeps_the_words() -> None:
    complaint = factories.make_complaint()
    contact = factories.make_contact(complaint.resident, description="Ringing again about the leak!!")
    staff_user = factories.make_staff()
    merge = intake.merge_contact(actor_of(staff_user), contact.id, complaint.id, "Same leak")
    assert (merge.merged_by_id, merge.complaint_id) == (staff_user.id, complaint.id)
    contact = intake.get_contact(contact.id)
    assert (contact.status, contact.description) == ("merged", "Ringing again about the leak!!")
    with pytest.raises(Conflict):
        intake.merge_contact(actor_of(staff_user), contact.id, complaint.id, "Again")


def test_merge_into_another_residents_complaint_is_a_conflict() -> None:
    complaint = factories.make_complaint()
    contact = factories.make_contact()
    with pytest.raises(Conflict) as caught:
        intake.merge_contact(actor_of(factories.make_staff()), contact.id, complaint.id, "Same leak")
    assert caught.value.code == "other_resident"


def test_only_staff_classify() -> None:
    contact = factories.make_contact()
    with pytest.raises(NotAllowed):
        intake.classify_contact(actor_of(contact.resident), contact.id, "complaint", "Because")


def test_read_only_token_cannot_act() -> None:
    complaint = factories.make_complaint()
    staff = factories.make_staff()
    reader = Actor(user_id=staff.id, roles=frozenset({"staff"}), token_id=1, scope="read")
    with pytest.raises(NotAllowed):
        acknowledge_with(reader, complaint)


def acknowledge_with(actor: Actor, complaint: Any) -> Any:
    return journey.acknowledge_complaint(actor, complaint.id, [("Leak", "")], "Fix it")


def test_new_closure_day_keeps_running_deadlines_and_extensions(clock_at: Any) -> None:
    from backend import records
    from schema.complaints.resources import CLOSURE_DAY

    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    running = factories.make_complaint(resident_in("england"))
    extended = acknowledge(handler, factories.make_complaint(resident_in("england")))
    journey.extend_complaint(actor_of(handler), extended.id, 2, "Report late.", dt.date(2026, 3, 2), True)
    admin = Actor(user_id=factories.make_user("admin").id, roles=frozenset({"admin"}))
    records.create_record(admin, CLOSURE_DAY.editable, {"day": dt.date(2026, 3, 4), "name": "Training"})
    records.create_record(admin, CLOSURE_DAY.editable, {"day": dt.date(2026, 3, 10), "name": "Training"})
    assert clock(running, "acknowledge").due_on == dt.date(2026, 3, 9)
    assert Complaint.get_by_id(running.id).next_due_on == dt.date(2026, 3, 9)
    assert clock(extended, "respond").due_on == dt.date(2026, 3, 18)


def test_whoever_answered_stage_one_cannot_handle_stage_two() -> None:
    handler, responder = factories.make_staff(), factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    respond(responder, complaint)
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    with pytest.raises(Conflict) as caught:
        journey.assign_complaint(actor_of(handler), complaint.id, responder.id)
    assert caught.value.code == "same_handler"


def test_late_response_cannot_be_extended_and_stays_breached(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = acknowledge(handler, factories.make_complaint(resident_in("england")))
    clock_at(dt.datetime(2026, 3, 20, 10))
    clocks.sweep_clocks(dt.date(2026, 3, 20))
    with pytest.raises(Conflict) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 5, "Too late.", dt.date(2026, 3, 20), True)
    assert caught.value.code == "overdue"
    assert clock(complaint, "respond").breached is True


def test_extension_told_after_the_due_date_is_invalid(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = acknowledge(handler, factories.make_complaint(resident_in("england")))
    clock_at(dt.datetime(2026, 3, 13, 10))
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 5, "Late.", dt.date(2026, 3, 17), True)
    assert (caught.value.field, caught.value.code) == ("told_on", "in_future")


def test_resident_can_still_escalate_after_stage_one_was_closed() -> None:
    complaint = factories.responded_complaint()
    journey.close_complaint(actor_of(factories.make_staff()), complaint.id, "Late visits", "Reminders")
    reopened = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert (reopened.stage, reopened.status, reopened.closed_at) == (2, "received", None)


def test_refused_complaint_cannot_be_escalated() -> None:
    complaint = factories.make_complaint()
    journey.refuse_complaint(actor_of(factories.make_staff()), complaint.id, "legal_proceedings", "Court.", True)
    with pytest.raises(Conflict) as caught:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert caught.value.code == "closed"


def test_merging_someone_elses_words_into_a_residents_complaint_is_refused() -> None:
    complaint = factories.make_complaint()
    neighbour = intake.submit_contact(
        actor_of(factories.make_staff()),
        intake.NewContact(
            channel="phone", description="Nina at 4 Oak St says it's loud.", person={"name": "Nina"}, nation="england"
        ),
    )
    with pytest.raises(Conflict) as caught:
        intake.merge_contact(actor_of(factories.make_staff()), neighbour.id, complaint.id, "Same noise")
    assert caught.value.code == "other_resident"


def test_resident_cannot_backdate_or_file_their_contact() -> None:
    resident = factories.make_user(home=factories.make_home())
    area = factories.make_service_area()
    contact = intake.submit_contact(
        actor_of(resident),
        intake.NewContact(
            channel="portal",
            description="Hello",
            received_at=dt.datetime(2025, 1, 1),
            service_area_id=area.id,
        ),
    )
    assert contact.received_at.year == utcnow_year()
    assert contact.service_area_id is None


def utcnow_year() -> int:
    from backend.timeutil import utcnow

    return utcnow().year


def test_changed_words_with_the_same_key_make_a_new_contact() -> None:
    resident = factories.make_user()
    first = intake.submit_contact(
        actor_of(resident), intake.NewContact(channel="portal", description="One", idempotency_key="form-0001")
    )
    again = intake.submit_contact(
        actor_of(resident), intake.NewContact(channel="portal", description="One", idempotency_key="form-0001")
    )
    edited = intake.submit_contact(
        actor_of(resident),
        intake.NewContact(channel="portal", description="One, and more", idempotency_key="form-0001"),
    )
    assert first.id == again.id != edited.id


def test_former_resident_cannot_open_old_attachments() -> None:
    from backend.complaints import files
    from backend.errors import NotFound

    attachment = factories.make_attachment()
    contact = attachment.contact
    former = Actor(user_id=contact.resident_id, roles=frozenset())
    with pytest.raises(NotFound):
        files.open_attachment(former, attachment.id)
    with pytest.raises(NotFound):
        files.open_attachment(former, 2**70)


def test_second_of_two_simultaneous_acknowledgements_changes_nothing() -> None:
    complaint = factories.make_complaint()
    stale = Complaint.get_by_id(complaint.id)
    acknowledge(factories.make_staff(), complaint)
    with pytest.raises(Conflict) as caught:
        journey.claim(stale, "received")
    assert caught.value.code == "changed"
    assert ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).count() == 2


def test_a_deadline_missed_before_the_sweep_stays_breached_when_the_complaint_stops(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("england"))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 9)
    clock_at(dt.datetime(2026, 3, 20, 10))  # missed on 9 March; no sweep has run
    journey.withdraw_complaint(actor_of(complaint.resident), complaint.id, "")
    stopped = clock(complaint, "acknowledge")
    assert (stopped.status, stopped.breached, stopped.due_on) == ("stopped", True, dt.date(2026, 3, 9))


def test_a_deadline_not_yet_due_is_not_breached_when_the_complaint_stops(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("england"))
    clock_at(dt.datetime(2026, 3, 9, 16))  # the due day itself
    journey.withdraw_complaint(actor_of(complaint.resident), complaint.id, "")
    assert (clock(complaint, "acknowledge").status, clock(complaint, "acknowledge").breached) == ("stopped", False)


def test_an_extension_cannot_have_been_told_before_the_stage_began(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler, resident=resident_in("england"))
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 5, "Survey.", dt.date(2019, 1, 1), True)
    assert (caught.value.field, caught.value.code) == ("told_on", "before_stage")
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0
