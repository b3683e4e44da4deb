"""Contacts and complaints through real GraphQL text: intake, row filters, and every step of the journey."""

from __future__ import annotations

import io
import json
import struct
import zlib
from typing import Any

import pytest

from backend.complaints.models import Attachment, Complaint, Contact
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

SUBMIT = """
mutation ($input: ContactSubmitInput!) {
  contactSubmit(input: $input) {
    __typename
    ... on ContactSubmitted { reference contact { id reference kind status complaints { id stage status } } }
    ... on ValidationError { field code message }
    ... on NotAllowedError { message }
  }
}
"""
MY_CASES = """
query {
  complaints { totalCount nodes { id reference stage status team nextDueOn
    clocks { kind dueOn status } } }
  contacts { totalCount nodes { reference description } }
}
"""
ACKNOWLEDGE = """
mutation ($input: ComplaintAcknowledgeInput!) {
  complaintAcknowledge(input: $input) {
    __typename
    ... on ComplaintAcknowledged { complaint { id status points { id text } } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""
EXTEND = """
mutation ($input: ComplaintExtendInput!) {
  complaintExtend(input: $input) {
    __typename
    ... on ComplaintExtended { complaint { nextDueOn } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""
RESPOND = """
mutation ($input: ComplaintRespondInput!) {
  complaintRespond(input: $input) {
    __typename
    ... on ComplaintResponded { complaint { status responses { decisions { decision } } } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""
ESCALATE = """
mutation ($input: ComplaintEscalateInput!) {
  complaintEscalate(input: $input) {
    __typename
    ... on ComplaintEscalated { complaint { stage status } }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
  }
}
"""


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def png() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_resident_submits_a_complaint_and_gets_a_reference(browser, signed_in) -> None:
    signed_in("resident", home=factories.make_home())
    made = run(
        browser,
        SUBMIT,
        {
            "input": {
                "channel": "portal",
                "description": "The lift has been broken for a week.",
                "wantsToComplain": True,
            }
        },
    )["contactSubmit"]
    assert made["__typename"] == "ContactSubmitted"
    assert made["reference"].startswith("LL-")
    assert made["contact"]["complaints"][0]["status"] == "received"
    mine = run(browser, MY_CASES)
    assert mine["complaints"]["totalCount"] == 1
    assert {c["kind"] for c in mine["complaints"]["nodes"][0]["clocks"]} == {"acknowledge"}
    assert mine["contacts"]["nodes"][0]["description"] == "The lift has been broken for a week."


def test_same_idempotency_key_creates_one_contact(browser, signed_in) -> None:
    signed_in("resident")
    variables = {"input": {"channel": "portal", "description": "Noise at night.", "idempotencyKey": "form-12345678"}}
    first = run(browser, SUBMIT, variables)["contactSubmit"]["contact"]["id"]
    second = run(browser, SUBMIT, variables)["contactSubmit"]["contact"]["id"]
    assert first == second
    assert Contact.select().count() == 1


def test_empty_description_is_refused_in_the_viewers_language(browser, signed_in) -> None:
    signed_in("resident", locale="cy")
    made = run(browser, SUBMIT, {"input": {"channel": "portal", "description": "  "}})["contactSubmit"]
    assert (made["__typename"], made["field"], made["code"]) == ("ValidationError", "description", "required")
    assert made["message"] and made["message"] != "Tell us what happened, in your own words."
    assert Contact.select().count() == 0


def test_residents_see_only_their_own_cases(browser, signed_in) -> None:
    factories.make_complaint()
    signed_in("resident")
    assert run(browser, MY_CASES)["complaints"]["totalCount"] == 0
    assert run(browser, MY_CASES)["contacts"]["totalCount"] == 0


def test_advocate_with_consent_sees_the_residents_case(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    factories.make_complaint()
    advocate = signed_in("advocate")
    assert run(browser, MY_CASES)["complaints"]["totalCount"] == 0
    factories.make_representation(advocate, complaint.resident)
    assert [c["reference"] for c in run(browser, MY_CASES)["complaints"]["nodes"]] == [complaint.reference]


def test_panel_members_have_no_case_fields(browser, signed_in) -> None:
    factories.make_complaint()
    signed_in("panel_member")
    body = browser.graphql("{ complaints { totalCount } }").get_json()
    assert "errors" in body


def test_residents_do_not_see_the_handler_or_vulnerabilities(browser, signed_in) -> None:
    resident = signed_in("resident")
    factories.make_complaint(resident)
    body = browser.graphql("{ complaints { nodes { handler { id } } } }").get_json()
    assert "errors" in body
    body = browser.graphql("{ contacts { nodes { vulnerabilities } } }").get_json()
    assert "errors" in body


def test_staff_take_a_complaint_through_stage_one_and_the_resident_escalates(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    handler = signed_in("staff")
    acknowledged = run(
        browser,
        ACKNOWLEDGE,
        {
            "input": {
                "id": str(complaint.id),
                "points": [{"text": "The lift broke", "outcomeSought": "Fix it"}],
                "outcomesSought": "A working lift",
            }
        },
    )["complaintAcknowledge"]
    assert acknowledged["complaint"]["status"] == "open"
    point_id = acknowledged["complaint"]["points"][0]["id"]
    again = run(
        browser,
        ACKNOWLEDGE,
        {"input": {"id": str(complaint.id), "points": [{"text": "x"}], "outcomesSought": "y"}},
    )["complaintAcknowledge"]
    assert (again["__typename"], again["code"]) == ("ConflictError", "already_acknowledged")
    extended = run(
        browser,
        EXTEND,
        {
            "input": {
                "id": str(complaint.id),
                "days": 5,
                "reason": "Waiting for the engineer's report.",
                "toldOn": local_date().isoformat(),
                "ombudsmanDetailsGiven": True,
            }
        },
    )["complaintExtend"]
    assert extended["__typename"] == "ComplaintExtended"
    incomplete = run(
        browser,
        RESPOND,
        {"input": {"id": str(complaint.id), "decisions": [], "reasons": "", "nextSteps": ""}},
    )["complaintRespond"]
    assert (incomplete["field"], incomplete["code"]) == ("response", "incomplete")
    assert "a decision on every point" in incomplete["message"]
    assert "the reasons" in incomplete["message"]
    responded = run(
        browser,
        RESPOND,
        {
            "input": {
                "id": str(complaint.id),
                "decisions": [{"pointId": point_id, "decision": "upheld", "reasons": "It broke twice."}],
                "reasons": "The contractor missed the service.",
                "nextSteps": "Ask for stage 2 if you are not happy.",
                "remedies": [
                    {
                        "kind": "financial_redress",
                        "description": "For the stairs",
                        "dueOn": "2030-02-01",
                        "amount": "75.00",
                        "ownerId": str(handler.id),
                    }
                ],
                "underlyingCause": "The service contract had no date.",
                "remedialAction": "Service dates are now in the contract.",
            }
        },
    )["complaintRespond"]
    assert responded["complaint"]["status"] == "responded"
    browser.sign_out()
    browser.sign_in(complaint.resident.email)
    escalated = run(browser, ESCALATE, {"input": {"id": str(complaint.id)}})["complaintEscalate"]
    assert escalated["complaint"] == {"stage": 2, "status": "received"}


def test_resident_cannot_run_staff_steps(browser, signed_in) -> None:
    resident = signed_in("resident")
    complaint = factories.make_complaint(resident)
    body = browser.graphql(
        ACKNOWLEDGE, {"input": {"id": str(complaint.id), "points": [{"text": "x"}], "outcomesSought": "y"}}
    ).get_json()
    assert "errors" in body  # the mutation is not in a resident's schema
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_tool_submits_with_a_photo_through_a_multipart_request(client) -> None:
    staff = factories.make_staff()
    resident = factories.make_user(home=factories.make_home())
    _token, secret = factories.make_token(staff, scope="write")
    operations = {
        "query": SUBMIT,
        "variables": {
            "input": {
                "channel": "email",
                "description": "Damp in the bedroom, photo attached.",
                "residentId": str(resident.id),
                "wantsToComplain": True,
                "attachments": [None],
            }
        },
    }
    response = client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.attachments.0"]}),
            "0": (io.BytesIO(png()), "damp.jpg"),
        },
        headers={"Authorization": f"Bearer {secret}"},
        content_type="multipart/form-data",
    )
    body = response.get_json()
    assert body["data"]["contactSubmit"]["__typename"] == "ContactSubmitted", body
    stored = Attachment.get()
    # Kept under the extension of the type the content shows, not the one it was sent with.
    assert (stored.file_name, stored.media_type, stored.family) == ("damp.png", "image/png", "image")
    assert len(stored.sha256) == 64


def test_tool_upload_of_a_forbidden_type_stores_nothing(client) -> None:
    staff = factories.make_staff()
    resident = factories.make_user()
    _token, secret = factories.make_token(staff, scope="write")
    operations = {
        "query": SUBMIT,
        "variables": {
            "input": {
                "channel": "email",
                "description": "See attached.",
                "residentId": str(resident.id),
                "nation": "england",
                "attachments": [None],
            }
        },
    }
    response = client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.attachments.0"]}),
            "0": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100), "photo.jpg"),
        },
        headers={"Authorization": f"Bearer {secret}"},
        content_type="multipart/form-data",
    )
    made = response.get_json()["data"]["contactSubmit"]
    assert (made["field"], made["code"]) == ("attachments", "unsupported_type")
    assert "photo.jpg" in made["message"]
    assert Contact.select().count() == 0 and Attachment.select().count() == 0


def test_staff_log_a_phone_call_with_an_interpreter_for_a_resident(browser, signed_in) -> None:
    resident = factories.make_user(home=factories.make_home())
    staff = signed_in("staff")
    made = run(
        browser,
        SUBMIT,
        {
            "input": {
                "channel": "interpreter",
                "description": "Heating off since Monday; baby at home.",
                "residentId": str(resident.id),
                "locale": "so",
                "interpreterService": "Language Line",
                "vulnerabilities": ["young_children"],
                "adjustments": "Call through an interpreter in Somali.",
            }
        },
    )["contactSubmit"]
    contact = Contact.get_by_id(made["contact"]["id"])
    assert (contact.interpreter_used, contact.interpreter_service, contact.locale) == (True, "Language Line", "so")
    assert (contact.logged_via, contact.logged_by_id, contact.received_by_id) == ("api", staff.id, staff.id)
    assert contact.kind is None and contact.status == "new"


def test_anonymous_contact_gets_no_replies(browser, signed_in) -> None:
    from backend.events.models import OutboxEvent

    signed_in("staff")
    made = run(
        browser,
        SUBMIT,
        {
            "input": {
                "channel": "social_media",
                "description": "Bins not collected.",
                "anonymous": True,
                "nation": "england",
            }
        },
    )["contactSubmit"]
    assert made["__typename"] == "ContactSubmitted"
    event = OutboxEvent.select().where(OutboxEvent.name == "feedback.received").get()
    assert event.payload["user_id"] is None


def test_complaint_step_by_someone_else_is_refused(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    signed_in("resident")
    escalated = run(browser, ESCALATE, {"input": {"id": str(complaint.id)}})["complaintEscalate"]
    assert escalated["__typename"] == "NotFoundError"  # as for a complaint that isn't there
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_factories_actor_of_matches_roles() -> None:
    user = factories.make_user("staff", "manager")
    assert actor_of(user).roles == frozenset({"staff", "manager"})


def test_details_of_someone_without_an_account_are_for_staff_only(browser, signed_in) -> None:
    from backend.complaints.intake import NewContact, submit_contact
    from backend.context import SYSTEM

    contact = submit_contact(
        SYSTEM,
        NewContact(
            channel="letter",
            description="Please ring me.",
            person={"name": "Ada Byron", "phone": "0113 496 0000"},
            nation="england",
        ),
    )
    signed_in("resident")
    assert "errors" in browser.graphql("{ contactPeople { nodes { name } } }").get_json()
    browser.sign_out()
    signed_in("staff")
    people = run(browser, "{ contactPeople { nodes { name phone contact { reference } } } }")["contactPeople"]["nodes"]
    assert people == [{"name": "Ada Byron", "phone": "0113 496 0000", "contact": {"reference": contact.reference}}]
    page = browser.client.get(f"/console/contacts/{contact.id}").get_data(as_text=True)
    assert "Ada Byron" in page and "0113 496 0000" in page


@pytest.mark.parametrize(
    "query",
    [
        "{ contacts { nodes { reference people { name } } } }",
        "{ complaints { nodes { reference contact { people { name } } } } }",
    ],
)
def test_a_resident_cannot_read_the_details_given_with_their_own_contact(browser, signed_in, query: str) -> None:
    resident = signed_in("resident")
    factories.make_contact_person(factories.make_complaint(resident).contact)
    errors = browser.graphql(query).get_json()["errors"]
    assert [error["message"] for error in errors] == ["Cannot query field 'people' on type 'Contact'."]


def test_staff_read_the_name_given_by_someone_without_an_account_through_their_complaint(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth")
    signed_in("staff")
    query = "{ complaints { nodes { reference contact { anonymous people { name } } } } }"
    nodes = run(browser, query)["complaints"]["nodes"]
    assert nodes == [
        {"reference": contact.reference, "contact": {"anonymous": False, "people": [{"name": "Gwen Unsworth"}]}}
    ]


def test_something_other_than_a_file_is_a_validation_error(browser, signed_in) -> None:
    signed_in("resident")
    made = run(
        browser, SUBMIT, {"input": {"channel": "portal", "description": "Hello", "attachments": ["not a file"]}}
    )["contactSubmit"]
    assert (made["field"], made["code"]) == ("attachments", "not_a_file")


def test_ids_beyond_the_database_are_not_found(browser, signed_in) -> None:
    signed_in("resident")
    body = browser.graphql('{ contact(id: "99999999999999999999999") { id } }').get_json()
    assert "INTERNAL_ERROR" not in json.dumps(body)
    assert browser.client.get("/attachments/99999999999999999999999").status_code == 404
    made = run(
        browser,
        SUBMIT,
        {"input": {"channel": "portal", "description": "Hello", "relatedRequestId": "99999999999999999999999"}},
    )["contactSubmit"]
    assert made["__typename"] in ("ValidationError", "NotFoundError")
