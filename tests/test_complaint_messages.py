"""Complaint messages: every one carries the "where you are" block in the reader's language, and copies go
to a consenting advocate; staff hear about clocks at risk and breached."""

from __future__ import annotations

import datetime as dt

from backend.complaints import clocks, journey
from backend.events.models import Delivery, OutboxEvent
from backend.timeutil import utcnow
from tests import factories
from tests.factories import actor_of


def deliveries(event: str) -> list[Delivery]:
    return list(Delivery.select().join(OutboxEvent).where(OutboxEvent.name == event).order_by(Delivery.id))


def test_acknowledgement_message_says_where_the_complaint_is() -> None:
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.acknowledged_complaint(factories.make_staff(team="Repairs team"), resident=resident)
    (delivery,) = deliveries("complaint.acknowledged")
    assert delivery.recipient_user_id == resident.id
    assert complaint.reference in delivery.subject
    assert "Repairs team is looking into it" in delivery.body
    assert "Your complaint is at stage 1." in delivery.body
    assert "What happens next: we are looking into your complaint" in delivery.body
    assert f"We will reply by {complaint.next_due_on.day} " in delivery.body


def test_message_after_the_final_answer_leaves_out_the_reply_date() -> None:
    complaint = factories.responded_complaint()
    (delivery,) = deliveries("complaint.responded")
    assert "Your complaint is at stage 1." in delivery.body
    assert "ask us to look at your complaint again" in delivery.body
    assert "We will reply by" not in delivery.body
    assert complaint.status == "responded"


def test_advocate_with_consent_gets_a_copy() -> None:
    resident = factories.make_user(home=factories.make_home())
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    factories.acknowledged_complaint(resident=resident)
    assert {d.recipient_user_id for d in deliveries("complaint.acknowledged")} == {resident.id, advocate.id}


def test_where_you_are_dates_follow_the_readers_language() -> None:
    resident = factories.make_user(home=factories.make_home(), locale="cy")
    complaint = factories.acknowledged_complaint(resident=resident)
    (delivery,) = deliveries("complaint.acknowledged")
    assert delivery.locale == "cy"
    from babel.dates import format_date

    assert format_date(complaint.next_due_on, "long", locale="cy") in delivery.body


def test_anonymous_contact_gets_no_delivery() -> None:
    from backend.complaints.intake import NewContact, submit_contact
    from backend.context import SYSTEM

    submit_contact(SYSTEM, NewContact(channel="social_media", description="Bins", anonymous=True, nation="england"))
    assert deliveries("feedback.received") == []


def test_clock_breach_reaches_the_handler_and_their_manager() -> None:
    manager = factories.make_user("manager")
    handler = factories.make_staff(manager=manager)
    complaint = factories.make_complaint(received_at=dt.datetime(2026, 3, 2, 10))
    journey.assign_complaint(actor_of(handler), complaint.id, handler.id)
    clocks.sweep_clocks(dt.date(2026, 3, 10))
    sent = deliveries("complaint.clock_breached")
    assert {d.recipient_user_id for d in sent} == {handler.id, manager.id}
    assert all(complaint.reference in d.subject and "/console/complaints/" in d.action for d in sent)


def test_sweep_task_runs_the_sweep() -> None:
    from tasks.complaints import sweep_complaint_clocks

    assert sweep_complaint_clocks.call_local() == {"at_risk": 0, "breached": 0}


def test_text_message_keeps_the_where_you_are_block() -> None:
    resident = factories.make_user(home=factories.make_home())
    resident.contact_channel, resident.phone = "sms", "07700 900123"
    resident.phone_verified_at = utcnow()  # texts go only to a verified number
    resident.save()
    factories.acknowledged_complaint(resident=resident)
    text, _written = deliveries("complaint.acknowledged")
    assert text.channel == "sms"
    assert "Your complaint is at stage 1." in text.body
