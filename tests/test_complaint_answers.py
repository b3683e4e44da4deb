"""Complaint messages carry the answer itself, in every channel: a summary, the points in a table, then where
the complaint is. The substance is written by the system, so no wording can leave it out."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from backend.complaints import answers, journey, responses
from backend.complaints.models import Complaint, ComplaintPoint
from backend.events.models import Delivery, OutboxEvent
from backend.i18n import translations
from backend.notifications import sending
from backend.notifications.compose import html_of, text_of
from backend.notifications.models import Letter
from backend.notifications.sending import send_delivery
from backend.notifications.services import save_template
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.factories import actor_of

HOUSING_OMBUDSMAN = "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET. Telephone 0300 111 3000."


def deliveries(event: str, channel: str | None = None) -> list[Delivery]:
    query = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == event)
    if channel is not None:
        query = query.where(Delivery.channel == channel)
    return list(query.order_by(Delivery.id))


def resident(locale: str | None = None, **values: object) -> object:
    return factories.make_user(home=factories.make_home(), locale=locale, **values)  # type: ignore[arg-type]


def test_acknowledgement_lists_each_point_and_outcome_sought() -> None:
    handler = factories.make_staff()
    complaint = factories.make_complaint(resident=resident())
    journey.acknowledge_complaint(
        actor_of(handler),
        complaint.id,
        [("The tap leaks", "Fix the tap"), ("Nobody called back", "A call back")],
        "A repair and an apology",
        "You told us the kitchen tap has leaked since May.",
    )
    (delivery,) = deliveries("complaint.acknowledged")
    body = delivery.body
    assert "You told us the kitchen tap has leaked since May." in body
    assert "The points of your complaint\n1. The tap leaks\n   Outcome sought: Fix the tap" in body
    assert "2. Nobody called back\n   Outcome sought: A call back" in body
    assert "What you would like us to do\n\nA repair and an apology" in body
    # The fixed layout: the summary, then the points, then where the complaint is.
    assert body.index("We have logged your complaint") < body.index("The points") < body.index("Where your complaint")


def test_acknowledgement_in_welsh_labels_dates_and_offers_an_interpreter() -> None:
    reader = resident("cy")
    complaint = factories.acknowledged_complaint(resident=reader)
    (delivery,) = deliveries("complaint.acknowledged")
    assert "Y canlyniad a geisir: Fix the tap" in delivery.body
    assert "Ble mae eich cwyn arni" in delivery.body
    assert format_date(complaint.next_due_on, "long", locale="cy") in delivery.body
    # The points were written by staff in English: the reader is offered an interpreter, in their language's name.
    offer = translations("cy").gettext(answers.INTERPRETER) % {"language": "Cymraeg"}
    assert offer != answers.INTERPRETER % {"language": "Cymraeg"}  # a Welsh sentence, not the English one
    assert offer in delivery.body


def test_no_interpreter_offer_when_staff_wrote_in_the_readers_language() -> None:
    handler = factories.make_staff()
    handler.locale = "cy"
    handler.save()
    factories.acknowledged_complaint(handler, resident=resident("cy"))
    (delivery,) = deliveries("complaint.acknowledged")
    assert "Cymraeg" not in delivery.body


def test_stage_one_response_gives_each_decision_remedies_actions_and_how_to_escalate() -> None:
    complaint = factories.responded_complaint(resident=resident())
    (delivery,) = deliveries("complaint.responded")
    body = delivery.body
    assert "This is our answer at stage 1 of our complaints procedure." in body
    assert "Our decision on each point\n1. The tap leaks\n   Decision: Upheld\n   Reasons: The repair was late." in body
    assert "Our reasons\n\nWe missed two appointments." in body
    assert "1. An apology – We apologise.\n   By when: 10 January 2030" in body
    assert "1. Replace the tap\n   By when: 20 January 2030" in body
    assert "You can ask us to look at your complaint again at stage 2." in body
    assert complaint.reference in body
    assert "Housing Ombudsman Service, PO Box 1484" not in body  # not yet: that is the final stage's


def test_response_in_welsh_uses_welsh_labels_and_dates() -> None:
    factories.responded_complaint(resident=resident("cy"))
    (delivery,) = deliveries("complaint.responded")
    assert "Penderfyniad: Cadarnhawyd" in delivery.body
    assert "Erbyn pryd: 10 Ionawr 2030" in delivery.body
    assert "Rhesymau: The repair was late." in delivery.body


def final_stage_response(reader: object) -> Complaint:
    complaint = factories.responded_complaint(resident=reader)
    journey.escalate_complaint(actor_of(reader), complaint.id)
    second = factories.make_staff()
    journey.assign_complaint(actor_of(second), complaint.id, second.id)
    journey.acknowledge_complaint(actor_of(second), complaint.id, [("The tap still leaks", "A new tap")], "A new tap")
    (point,) = ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == 2)
    responses.respond_to_complaint(
        actor_of(second),
        complaint.id,
        {point.id: ("partly_upheld", "The tap was replaced late.")},
        "We looked again at everything.",
        "This is our final answer.",
        [responses.RemedyInput("financial_redress", "For the time lost.", dt.date(2030, 2, 1), "50", second.id)],
        underlying_cause="Missed appointments",
        remedial_action="New booking system",
    )
    return Complaint.get_by_id(complaint.id)


def test_final_stage_response_gives_the_ombudsmans_name_address_phone_and_website() -> None:
    final_stage_response(resident())
    (delivery,) = deliveries("complaint.responded")[-1:]
    body = delivery.body
    assert "This is our answer at stage 2 of our complaints procedure. It is our final answer." in body
    assert "1. The tap still leaks\n   Decision: Partly upheld\n   Reasons: The tap was replaced late." in body
    assert "Financial redress – £50.00 – For the time lost." in body
    assert "The Housing Ombudsman\n\nIf you are not happy with our final answer" in body
    assert HOUSING_OMBUDSMAN in body and "www.housing-ombudsman.org.uk" in body


def test_final_stage_response_in_welsh_keeps_the_ombudsmans_details() -> None:
    final_stage_response(resident("cy"))
    (delivery,) = deliveries("complaint.responded")[-1:]
    assert HOUSING_OMBUDSMAN in delivery.body
    assert "Erbyn pryd: 1 Chwefror 2030" in delivery.body


def test_refusal_gives_the_ground_reasons_and_the_right_to_go_to_the_ombudsman() -> None:
    complaint = factories.make_complaint(resident=resident())
    journey.refuse_complaint(
        actor_of(factories.make_staff()),
        complaint.id,
        "over_twelve_months",
        "The repair you describe was in 2019.",
        True,
    )
    (delivery,) = deliveries("complaint.refused")
    body = delivery.body
    assert "Why we cannot take this complaint forward\n\nThe issue arose more than 12 months ago" in body
    assert "The repair you describe was in 2019." in body
    assert "you can ask the Housing Ombudsman to look at it." in body
    assert HOUSING_OMBUDSMAN in body


def test_extension_gives_the_reason_the_new_date_and_the_ombudsman() -> None:
    complaint = factories.make_complaint(resident=resident("cy"), received_at=utcnow())
    handler = factories.make_staff()
    journey.acknowledge_complaint(actor_of(handler), complaint.id, [("Damp", "Fix it")], "A dry home")
    extended = journey.extend_complaint(
        actor_of(handler), complaint.id, 5, "We are waiting for a damp survey.", local_date(), True
    )
    (delivery,) = deliveries("complaint.extended")
    body = delivery.body
    assert "We are waiting for a damp survey." in body
    assert format_date(extended.next_due_on, "long", locale="cy") in body
    assert HOUSING_OMBUDSMAN in body


def test_update_carries_the_update_itself() -> None:
    complaint = factories.responded_complaint(resident=resident())
    responses.send_update(actor_of(factories.make_staff()), complaint.id, "The plumber comes on Tuesday at 9.")
    (delivery,) = deliveries("complaint.updated")
    assert "Our update\n\nThe plumber comes on Tuesday at 9." in delivery.body


def test_staff_wording_cannot_leave_out_the_answer() -> None:
    manager = factories.make_user("manager")
    save_template(actor_of(manager), "complaint.responded", "email", "en", "Our answer", "Hello {{ name }}.")
    factories.responded_complaint(resident=resident())
    (delivery,) = deliveries("complaint.responded")
    assert delivery.body.startswith("Hello Person")
    assert "Reasons: The repair was late." in delivery.body
    assert "Where your complaint is" in delivery.body


def test_email_html_part_shows_the_points_as_a_table() -> None:
    reader = resident()
    factories.responded_complaint(resident=reader)
    (delivery,) = deliveries("complaint.responded")
    message = sending.composed(delivery, reader)
    html = html_of(message, "en", reveal=False)
    assert ">Our decision on each point</caption>" in html
    assert re.search(r'<th scope="col"[^>]*>Decision</th>', html)
    assert re.search(r'<th scope="row" dir="auto"[^>]*>The tap leaks</th><td dir="auto"[^>]*>Upheld</td>', html)
    # The text part is the stored text, word for word.
    assert text_of(message, "email", reveal=False).startswith(delivery.body)


def test_text_message_is_short_and_the_full_answer_goes_in_writing() -> None:
    reader = resident(phone="07700 900123", phone_verified=True)
    reader.contact_channel = "sms"
    reader.save()
    factories.responded_complaint(resident=reader)
    (text,) = deliveries("complaint.responded", "sms")
    (written,) = deliveries("complaint.responded", "email")
    assert "Decision" not in text.body and "Your complaint is at stage 1." in text.body
    assert "We have also sent you the full message by email." in text.body
    assert "Reasons: The repair was late." in written.body


def test_text_message_reader_without_email_gets_the_answer_by_post() -> None:
    reader = resident(phone="07700 900123", phone_verified=True, email="sam@example.invalid")
    reader.contact_channel = "sms"
    reader.save()
    factories.responded_complaint(resident=reader)
    (text,) = deliveries("complaint.responded", "sms")
    (letter,) = deliveries("complaint.responded", "letter")
    assert "by post" in text.body
    send_delivery(letter.id)
    (row,) = Letter.select().where(Letter.user == reader.id, Letter.event == letter.event_id)
    assert "Reasons: The repair was late." in row.body


def test_what_was_recorded_is_sent_when_the_complaint_moved_on_in_between() -> None:
    reader = resident()
    complaint = factories.responded_complaint(resident=reader)
    (delivery,) = deliveries("complaint.responded")
    # The resident escalates before the answer goes out: the stored answer is sent as it was written.
    journey.escalate_complaint(actor_of(reader), complaint.id)
    message = sending.composed(delivery, reader)
    assert text_of(message, "email", reveal=False).startswith(delivery.body)
    assert message.parts[0].details == ()  # sent as the stored text, not rebuilt from today's state


def test_planning_twice_makes_one_written_copy() -> None:
    from backend.notifications.services import plan_deliveries

    reader = resident(phone="07700 900123", phone_verified=True)
    reader.contact_channel = "sms"
    reader.save()
    factories.responded_complaint(resident=reader)
    event = OutboxEvent.get(OutboxEvent.name == "complaint.responded")
    plan_deliveries(event)
    assert len(deliveries("complaint.responded", "email")) == 1


def test_a_welsh_reader_in_wales_is_given_the_ombudsmans_welsh_name() -> None:
    reader = factories.make_user(home=factories.make_home(nation="wales"), locale="cy")
    complaint = factories.make_complaint(resident=reader)
    journey.refuse_complaint(
        actor_of(factories.make_staff()), complaint.id, "over_six_months", "Digwyddodd hyn yn 2024.", True
    )
    (delivery,) = deliveries("complaint.refused")
    assert "Ombwdsmon Gwasanaethau Cyhoeddus Cymru" in delivery.body
    assert "Yr Public Services" not in delivery.body  # the contact details below stay as the body writes them


def test_a_refusal_under_a_six_month_procedure_gives_its_ground() -> None:
    complaint = factories.make_complaint(resident=factories.make_user(home=factories.make_home(nation="scotland")))
    journey.refuse_complaint(actor_of(factories.make_staff()), complaint.id, "over_six_months", "It was 2024.", True)
    (delivery,) = deliveries("complaint.refused")
    ground = "You complained more than 6 months after you first knew of the issue, and there are no special"
    assert f"Why we cannot take this complaint forward\n\n{ground}" in delivery.body
    assert "It was 2024." in delivery.body and "Scottish Public Services Ombudsman" in delivery.body


def test_every_ground_of_every_procedure_has_words_for_the_resident_and_for_staff() -> None:
    """A ground added to a procedure without words would send a refusal that leaves out why."""
    from backend.complaints.models import REFUSAL_GROUNDS, Regime
    from portal.complaints.labels import REFUSAL_GROUNDS as STAFF_LABELS

    in_use = {ground for regime in Regime.select() for ground in regime.refusal_grounds}
    assert in_use and in_use <= set(REFUSAL_GROUNDS)
    assert set(answers.GROUNDS) == set(REFUSAL_GROUNDS) == set(STAFF_LABELS)
