"""Letters to post: a printable page and a PDF with the landlord's block, Welsh and Arabic rendered, the stage's
leaflet enclosed; and the preview staff see before they issue a response."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from fpdf import FPDF
from markupsafe import escape
from pypdf import PdfReader

from backend.complaints import leaflets
from backend.complaints.models import Complaint, ComplaintPoint, ComplaintResponse, Regime, RegimeStage, StageLeaflet
from backend.errors import Invalid, NotAllowed
from backend.events.models import Delivery, OutboxEvent
from backend.i18n import translations
from backend.notifications.blocks import Section
from backend.notifications.letters import letter_document, letter_pdf, letter_text, missing_characters
from backend.notifications.models import Letter
from backend.notifications.sending import send_delivery
from tests import factories
from tests.factories import actor_of


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def leaflet_pdf(words: str = "How we handle complaints") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=words)
    return bytes(pdf.output())


def posted_letter(locale: str = "en", **values: Any) -> Letter:
    """A resident who asked for post gets the stage 1 answer; the letter is made as the delivery is sent."""
    resident = factories.make_user(home=factories.make_home(), locale=locale)
    resident.contact_channel = "post"
    resident.save()
    factories.responded_complaint(resident=resident, **values)
    event = OutboxEvent.get(OutboxEvent.name == "complaint.responded")
    (delivery,) = Delivery.select().where(Delivery.event == event.id)
    send_delivery(delivery.id)
    return Letter.get(Letter.event == event.id)


def test_letter_has_the_landlord_block_address_date_reference_and_tables() -> None:
    letter = posted_letter()
    document = letter_document(letter)
    assert (document.sender_name, document.sender_address) == (
        "Learnloop Housing",
        ("1 High Street", "Anytown", "AB1 2CD"),
    )
    assert document.recipient_address == tuple(letter.address.splitlines())
    complaint = Complaint.get()
    assert document.reference == complaint.reference
    tables = {block.caption: block for block in document.details if not isinstance(block, Section)}
    assert tables["Our decision on each point"].rows == (("The tap leaks", "Upheld", "The repair was late."),)
    text = pdf_text(letter_pdf(document))
    for expected in (
        "Learnloop Housing",
        document.recipient_address[1],
        complaint.reference,
        "The repair was late.",
        "10 January 2030",
    ):
        assert expected in text


def test_pdf_renders_welsh_and_arabic_with_every_glyph(caplog: pytest.LogCaptureFixture) -> None:
    handler = factories.make_staff()
    welsh = posted_letter("cy")
    Letter.update(body=welsh.body + "\n\nMae dŵr yn y tŷ ers mis Mai.").where(Letter.id == welsh.id).execute()
    arabic_resident = factories.make_user(home=factories.make_home(), locale="ar")
    arabic_resident.contact_channel = "post"
    arabic_resident.save()
    factories.responded_complaint(handler, resident=arabic_resident)
    event = OutboxEvent.select().where(OutboxEvent.name == "complaint.responded").order_by(OutboxEvent.id.desc()).get()
    send_delivery(Delivery.get(Delivery.event == event.id).id)
    arabic = Letter.get(Letter.event == event.id)
    with caplog.at_level(logging.WARNING):
        welsh_text = pdf_text(letter_pdf(letter_document(Letter.get_by_id(welsh.id))))
        arabic_text = pdf_text(letter_pdf(letter_document(arabic)))
    assert not [r for r in caplog.records if "missing the following glyphs" in r.getMessage()]
    for letter in (Letter.get_by_id(welsh.id), arabic):
        assert missing_characters(letter_text(letter_document(letter))) == set()
    assert "dŵr" in welsh_text and "tŷ" in welsh_text
    assert "Erbyn pryd" in welsh_text and "Ionawr 2030" in welsh_text
    # Arabic is shaped (joined letters) and read back in its own order: the labels come out as written.
    assert "القرار" in arabic_text and "بحلول متى" in arabic_text


def test_missing_glyphs_are_noticed() -> None:
    """The glyph check can fail: Bengali is not in the bundled font."""
    assert missing_characters("অভিযোগ Dŵr") == set("অভিযোগ")


def test_letter_encloses_the_stage_leaflet_in_the_pdf() -> None:
    admin = factories.make_user("admin")
    for row in RegimeStage.select().where(RegimeStage.number == 1):
        leaflets.set_stage_leaflet(actor_of(admin), row.id, io.BytesIO(leaflet_pdf()), "stage1.pdf", "Stage 1 guide")
    letter = posted_letter()
    document = letter_document(letter)
    assert document.enclosure == "Enclosed: Stage 1 guide"
    reader = PdfReader(io.BytesIO(letter_pdf(document)))
    assert "Enclosed: Stage 1 guide" in "".join(page.extract_text() for page in reader.pages[:-1])
    assert "How we handle complaints" in reader.pages[-1].extract_text()


def test_only_an_admin_may_attach_a_leaflet_and_only_a_pdf() -> None:
    stage = RegimeStage.select().first()
    with pytest.raises(NotAllowed):
        leaflets.set_stage_leaflet(actor_of(factories.make_staff()), stage.id, io.BytesIO(leaflet_pdf()), "a.pdf", "A")
    admin = actor_of(factories.make_user("admin"))
    with pytest.raises(Invalid) as refused:
        leaflets.set_stage_leaflet(admin, stage.id, io.BytesIO(b"%PDF-1.4 not really"), "a.pdf", "A")
    assert (refused.value.field, refused.value.code) == ("file", "not_pdf")
    with pytest.raises(Invalid) as untitled:
        leaflets.set_stage_leaflet(admin, stage.id, io.BytesIO(leaflet_pdf()), "a.pdf", " ")
    assert untitled.value.field == "title"
    assert StageLeaflet.select().count() == 0


def test_a_new_leaflet_replaces_the_old_and_can_be_removed() -> None:
    stage = RegimeStage.select().first()
    admin = actor_of(factories.make_user("admin"))
    leaflets.set_stage_leaflet(admin, stage.id, io.BytesIO(leaflet_pdf("One")), "1.pdf", "First")
    leaflets.set_stage_leaflet(admin, stage.id, io.BytesIO(leaflet_pdf("Two")), "2.pdf", "Second")
    (leaflet,) = StageLeaflet.select()
    assert leaflet.title == "Second" and "Two" in pdf_text(leaflets.leaflet_bytes(leaflet) or b"")
    leaflets.remove_stage_leaflet(admin, stage.id)
    assert StageLeaflet.select().count() == 0


SET_LEAFLET = """mutation($input: StageLeafletSetInput!) { stageLeafletSet(input: $input) {
  __typename ... on StageLeafletSet { leaflet { title fileName stage { number } } }
  ... on ValidationError { field code message } ... on NotAllowedError { message } } }"""


def upload_leaflet(client: Any, secret: str, data: bytes) -> Any:
    stage = RegimeStage.select().first()
    operations = {"query": SET_LEAFLET, "variables": {"input": {"id": str(stage.id), "title": "Guide", "file": None}}}
    return client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
            "0": (io.BytesIO(data), "guide.pdf"),
        },
        headers={"Authorization": f"Bearer {secret}"},
        content_type="multipart/form-data",
    ).get_json()


def test_tool_attaches_a_leaflet_through_the_api(client: Any) -> None:
    _token, secret = factories.make_token(factories.make_user("admin"), scope="write")
    body = upload_leaflet(client, secret, leaflet_pdf())
    result = body["data"]["stageLeafletSet"]
    assert result == {
        "__typename": "StageLeafletSet",
        "leaflet": {"title": "Guide", "fileName": "guide.pdf", "stage": {"number": 1}},
    }
    refused = upload_leaflet(client, secret, b"plain words")["data"]["stageLeafletSet"]
    assert (refused["__typename"], refused["field"], refused["code"]) == ("ValidationError", "file", "not_pdf")


def test_console_letters_queue_links_the_printable_page_and_pdf(browser: Any, signed_in: Any) -> None:
    letter = posted_letter("cy")
    signed_in("staff")
    queue = browser.client.get("/console/letters").get_data(as_text=True)
    assert f'href="/console/letters/{letter.id}"' in queue and f'href="/console/letters/{letter.id}.pdf"' in queue
    page = browser.client.get(f"/console/letters/{letter.id}").get_data(as_text=True)
    assert 'lang="cy"' in page and "Learnloop Housing" in page and letter.address.splitlines()[1] in page
    caption = translations("cy").gettext("Our decision on each point")
    assert caption != "Our decision on each point"
    assert f"<caption>{escape(caption)}</caption>" in page and "Erbyn pryd" in page
    pdf = browser.client.get(f"/console/letters/{letter.id}.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Cache-Control"] == "no-store"


def test_residents_cannot_open_letters(browser: Any, signed_in: Any) -> None:
    letter = posted_letter()
    signed_in("resident")
    assert browser.client.get(f"/console/letters/{letter.id}").status_code in (403, 404)
    assert browser.client.get(f"/console/letters/{letter.id}.pdf").status_code in (403, 404)


def test_missing_letter_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/letters/999999").status_code == 404


def respond_data(point: ComplaintPoint, owner: Any, why: str = "The repair was late.") -> dict[str, str]:
    return {
        "respond-remedy_owner_1": str(owner.id),
        "respond-underlying_cause": "Appointments were not confirmed.",
        "respond-remedial_action": "Appointments are confirmed the day before.",
        f"respond-decision_{point.id}": "upheld",
        f"respond-decision_reasons_{point.id}": why,
        "respond-reasons": "We missed two appointments.",
        "respond-next_steps": "Ask us for stage 2 if you are not happy.",
        "respond-remedy_kind_1": "apology",
        "respond-remedy_description_1": "We apologise for the wait.",
        "respond-remedy_due_1": "2030-01-10",
    }


def test_preview_shows_the_message_and_saves_nothing(browser: Any, signed_in: Any) -> None:
    resident = factories.make_user(home=factories.make_home(), locale="cy")
    staff = signed_in("staff")
    complaint = factories.acknowledged_complaint(staff, resident=resident)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    url = f"/console/complaints/{complaint.id}"
    events_before = OutboxEvent.select().count()
    response = browser.submit(f"{url}/respond", {**respond_data(point, staff), "preview": "1"}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What the resident will be sent" in page and "in Cymraeg" in page
    assert "Penderfyniad: Cadarnhawyd" in page and "Erbyn pryd: 10 Ionawr 2030" in page
    assert "We apologise for the wait.</textarea>" in page  # what staff typed is kept
    assert ComplaintResponse.select().count() == 0 and OutboxEvent.select().count() == events_before
    assert Complaint.get_by_id(complaint.id).status == "open"
    issued = browser.submit(f"{url}/respond", respond_data(point, staff), page=url)
    assert issued.status_code == 302 and Complaint.get_by_id(complaint.id).status == "responded"
    (delivery,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "complaint.responded")
    assert "Penderfyniad: Cadarnhawyd" in delivery.body and delivery.body in page.replace("&#39;", "'")


def test_preview_is_refused_as_issuing_would_be(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.acknowledged_complaint(staff)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    url = f"/console/complaints/{complaint.id}"
    data = {
        **respond_data(point, staff),
        "respond-remedy_kind_1": "",
        "respond-remedy_description_1": "",
        "preview": "1",
    }
    data["respond-remedy_due_1"] = data["respond-remedy_owner_1"] = ""
    response = browser.submit(f"{url}/respond", data, page=url)
    assert response.status_code == 400
    assert "What the resident will be sent" not in response.get_data(as_text=True)


PREVIEW_REFUSAL = """mutation($input: ComplaintRefuseInput!) { complaintRefusePreview(input: $input) {
  __typename ... on ComplaintRefusePreviewed { preview { channel locale subject text writtenChannel } } } }"""


def test_tool_previews_a_refusal(browser: Any) -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint(resident=factories.make_user(home=factories.make_home()))
    _token, secret = factories.make_token(staff, scope="write")
    variables = {
        "input": {
            "id": str(complaint.id),
            "ground": "over_twelve_months",
            "reasons": "This happened in 2019.",
            "ombudsmanDetailsGiven": True,
        }
    }
    body = browser.graphql(PREVIEW_REFUSAL, variables, headers={"Authorization": f"Bearer {secret}"}).get_json()
    preview = body["data"]["complaintRefusePreview"]["preview"]
    assert preview["channel"] == "email" and "This happened in 2019." in preview["text"]
    assert "Housing Ombudsman Service, PO Box 1484" in preview["text"]
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_admin_encloses_a_leaflet_from_the_stage_page(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    stage = RegimeStage.select().first()
    url = f"/console/complaint-settings/stages/{stage.id}"
    page = browser.client.get(url).get_data(as_text=True)
    assert "Letters about this stage enclose no leaflet." in page
    refused = browser.submit(
        f"{url}/leaflet",
        {"title": "Stage guide", "file": (io.BytesIO(b"not a pdf"), "guide.pdf")},
        page=url,
        content_type="multipart/form-data",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert '<a href="#file">Choose a PDF file that opens without a password.</a>' in text
    assert 'value="Stage guide"' in text  # what was typed is kept
    done = browser.submit(
        f"{url}/leaflet",
        {"title": "Stage guide", "file": (io.BytesIO(leaflet_pdf()), "guide.pdf")},
        page=url,
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    assert "Letters about this stage enclose “Stage guide” (guide.pdf)." in browser.client.get(url).get_data(
        as_text=True
    )
    removed = browser.submit(f"{url}/leaflet/remove", {}, page=url)
    assert removed.status_code == 302 and StageLeaflet.select().count() == 0


def test_staff_who_are_not_admins_cannot_enclose_leaflets(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    stage = RegimeStage.select().first()
    response = browser.client.post(f"/console/complaint-settings/stages/{stage.id}/leaflet", data={})
    assert response.status_code in (400, 403)
    assert StageLeaflet.select().count() == 0


def test_template_page_says_what_the_system_adds(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    answer = browser.client.get("/console/templates/complaint.responded/email/en").get_data(as_text=True)
    assert "After it the system adds what the Code requires" in answer
    staff_alert = browser.client.get("/console/templates/complaint.assigned/email/en").get_data(as_text=True)
    assert "After it the system adds" not in staff_alert


def test_staff_print_a_letter_to_someone_without_an_account(browser: Any, signed_in: Any) -> None:
    """A phone complainant with no account who asked for post: the answer's letter prints, page and PDF."""
    from tests.test_contact_person_messages import REASONS, phone_complaint, respond

    complaint = phone_complaint(address="4 Heol y Bont\nAberystwyth", postcode="SY23 1AA", contact_channel="post")
    respond(complaint)
    event = OutboxEvent.get(OutboxEvent.name == "complaint.responded")
    letter = Letter.get(Letter.event == event.id)
    assert letter.user_id is None and letter.person_id is not None  # type: ignore[attr-defined]
    signed_in("staff")
    response = browser.client.get(f"/console/letters/{letter.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ffion Jones" in page and "4 Heol y Bont" in page and "SY23 1AA" in page
    assert REASONS in page and "The repair was late." in page
    assert f"<caption>{escape('Our decision on each point')}</caption>" in page
    pdf = browser.client.get(f"/console/letters/{letter.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "4 Heol y Bont" in text and "SY23 1AA" in text and complaint.reference in text
    assert "The repair was late." in text and "We missed two appointments" in text


def test_a_letter_to_someone_whose_details_were_removed_prints_as_stored() -> None:
    from tests.test_contact_person_messages import REASONS, phone_complaint, respond

    complaint = phone_complaint(address="4 Heol y Bont", contact_channel="post")
    respond(complaint)
    letter = Letter.get(Letter.event == OutboxEvent.get(OutboxEvent.name == "complaint.responded").id)
    Letter.update(person=None).where(Letter.id == letter.id).execute()
    document = letter_document(Letter.get_by_id(letter.id))
    assert "4 Heol y Bont" in document.recipient_address
    assert REASONS in letter_text(document) and document.reference == complaint.reference


def refusal_preview(browser: Any, complaint: Complaint) -> dict[str, Any]:
    _token, secret = factories.make_token(factories.make_staff(), scope="write")
    variables = {
        "input": {
            "id": str(complaint.id),
            "ground": Regime.get_by_id(complaint.regime_id).refusal_grounds[0],  # the complaint's own procedure's
            "reasons": "It was 2019.",
            "ombudsmanDetailsGiven": True,
        }
    }
    body = browser.graphql(PREVIEW_REFUSAL, variables, headers={"Authorization": f"Bearer {secret}"}).get_json()
    return dict(body["data"]["complaintRefusePreview"]["preview"])


@pytest.mark.parametrize(
    ("person", "channel", "written"),
    [
        ({"email": "ffion@example.org", "address": "4 Heol y Bont", "contact_channel": "email"}, "email", None),
        ({"phone": "07700 900123", "address": "4 Heol y Bont", "contact_channel": "sms"}, "sms", "letter"),
        ({"phone": "07700 900123", "contact_channel": "sms"}, "sms", None),
        ({"address": "4 Heol y Bont", "contact_channel": "post"}, "letter", None),
    ],
)
def test_preview_for_someone_without_an_account_is_in_their_channel(
    browser: Any, person: dict[str, str], channel: str, written: str | None
) -> None:
    from tests.test_contact_person_messages import phone_complaint

    complaint = phone_complaint(**person)
    preview = refusal_preview(browser, complaint)
    assert (preview["channel"], preview["writtenChannel"]) == (channel, written)
    assert "It was 2019." in preview["text"] or channel == "sms"
    assert "Hello Ffion Jones" in preview["text"] or channel == "sms"
    if channel == "sms":
        pointer = "by post" if written == "letter" else "We need an email or postal address"
        assert pointer in preview["text"] and "1 Ffordd yr Hen Gae" not in preview["text"]
    assert "[link]" not in preview["text"]  # no pages to open without an account
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_preview_for_an_account_holder_who_reads_texts_names_both_channels(browser: Any) -> None:
    resident = factories.make_user(home=factories.make_home(), phone="07700 900456", phone_verified=True)
    resident.contact_channel = "sms"
    resident.save()
    preview = refusal_preview(browser, factories.make_complaint(resident=resident))
    assert (preview["channel"], preview["writtenChannel"]) == ("sms", "email")
    assert "We have also sent you the full message by email." in preview["text"]


def test_console_preview_says_a_text_only_persons_copy_waits_for_an_address(browser: Any, signed_in: Any) -> None:
    from tests.test_contact_person_messages import phone_complaint

    complaint = phone_complaint(phone="07700 900123", contact_channel="sms")
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}"
    data = {
        "refuse-ground": "over_six_months",
        "refuse-reasons": "It was 2019.",
        "refuse-ombudsman_details_given": "y",
    }
    response = browser.submit(f"{url}/refuse", {**data, "preview": "1"}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "By Text message, in English." in page
    assert "There is no email or postal address to send the full message in writing" in page
    assert "It was 2019.</textarea>" in page


def test_preview_shows_this_complaints_message_even_when_another_is_newer() -> None:
    """Someone else's event of the same name, committed meanwhile, never becomes this preview."""
    from backend.complaints import journey, previews
    from backend.events.services import record_event

    mine = factories.make_complaint(resident=factories.make_user(home=factories.make_home()))
    other = factories.make_complaint(resident=factories.make_user(home=factories.make_home()))
    staff = actor_of(factories.make_staff())

    def refuse_then_someone_else_refuses() -> None:
        journey.refuse_complaint(staff, mine.id, "over_twelve_months", "It was 2019.", True)
        record_event("complaint.refused", journey.resident_payload(other, ground="legal_proceedings"))

    preview = previews.preview_step(mine.id, "complaint.refused", refuse_then_someone_else_refuses)
    assert mine.reference in preview.subject and "It was 2019." in preview.text
    assert f"Hello {mine.resident.display_name}," in preview.text
    assert other.resident.display_name not in preview.text
    assert Complaint.get_by_id(mine.id).status == "received"  # nothing was kept
