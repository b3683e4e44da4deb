"""Advocates' consent: staff record and revoke it in the console and through the API, audited, and
the resident and the advocate are each told once."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.accounts.models import Representation
from backend.audit.models import AuditEvent
from tests import factories
from tests.conftest import Browser, read_mail

RECORD = """mutation($input: RepresentationRecordInput!) {
  representationRecord(input: $input) {
    __typename
    ... on RepresentationRecorded { representation { id relationship consentMethod revokedAt } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
  }
}"""
REVOKE = """mutation($id: ID!) {
  representationRevoke(input: {id: $id}) {
    __typename
    ... on RepresentationRevoked { representation { id revokedAt } }
    ... on NotFoundError { message }
  }
}"""


@pytest.fixture
def pair():
    return factories.make_user("advocate", email="advocate@example.net"), factories.make_user(
        "resident", email="resident@example.net"
    )


def recipients(mail_dir: Path) -> list[tuple[str, str]]:
    return sorted((m["To"], m["Subject"]) for m in read_mail(mail_dir))


def test_staff_record_consent_in_the_console_and_both_are_told(
    signed_in, browser: Browser, mail_dir: Path, pair
) -> None:
    advocate, resident = pair
    signed_in("staff")
    page = browser.client.get("/console/representations").get_data(as_text=True)
    assert advocate.email in page
    done = browser.submit(
        "/console/representations",
        {
            "resident_email": resident.email,
            "advocate": str(advocate.id),
            "relationship": "family",
            "consent_method": "verbal",
        },
    )
    assert done.status_code == 302
    rep = Representation.get(Representation.advocate == advocate, Representation.resident == resident)
    assert (rep.relationship, rep.consent_method, rep.revoked_at) == ("family", "verbal", None)
    assert AuditEvent.select().where(AuditEvent.action == "representation.recorded").count() == 1
    assert recipients(mail_dir) == [
        (advocate.email, f"You can now act for {resident.display_name}"),
        (resident.email, f"{advocate.display_name} can now act for you"),
    ]
    listed = browser.client.get("/console/representations").get_data(as_text=True)
    assert resident.email in listed and "Revoke" in listed


def test_staff_revoke_consent_in_the_console_and_both_are_told(
    signed_in, browser: Browser, mail_dir: Path, pair
) -> None:
    advocate, resident = pair
    rep = factories.make_representation(advocate, resident)
    signed_in("staff")
    done = browser.submit(f"/console/representations/{rep.id}/revoke", {}, page="/console/representations")
    assert done.status_code == 302
    assert Representation.get_by_id(rep.id).revoked_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "representation.revoked").count() == 1
    assert recipients(mail_dir) == [
        (advocate.email, f"You can no longer act for {resident.display_name}"),
        (resident.email, f"{advocate.display_name} can no longer act for you"),
    ]
    # The advocate loses sight of the resident at once.
    from backend.complaints.policies import represents

    assert not represents(advocate.id, resident.id)


def test_console_consent_form_explains_an_unknown_resident(signed_in, browser: Browser, pair) -> None:
    advocate, _resident = pair
    signed_in("staff")
    response = browser.submit(
        "/console/representations",
        {"resident_email": "nobody@example.net", "advocate": str(advocate.id), "consent_method": "written"},
    )
    assert response.status_code == 400
    assert "There is no account with this email address." in response.get_data(as_text=True)
    assert Representation.select().count() == 0


def test_console_consent_form_puts_a_non_resident_error_on_the_residents_field(
    signed_in, browser: Browser, pair
) -> None:
    advocate, _resident = pair
    staff = signed_in("staff")
    response = browser.submit(
        "/console/representations",
        {"resident_email": staff.email, "advocate": str(advocate.id), "consent_method": "written"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#resident_email">Choose someone with the resident role.</a>' in html
    assert 'id="resident_email-error"' in html and 'aria-invalid="true"' in html
    assert Representation.select().count() == 0


def test_staff_record_and_revoke_consent_through_the_api(signed_in, browser: Browser, mail_dir: Path, pair) -> None:
    advocate, resident = pair
    signed_in("manager")
    variables = {"input": {"advocateId": str(advocate.id), "residentId": str(resident.id), "consentMethod": "email"}}
    recorded = browser.graphql(RECORD, variables).get_json()["data"]["representationRecord"]
    assert recorded["__typename"] == "RepresentationRecorded"
    assert recorded["representation"]["relationship"] == "advocate"
    again = browser.graphql(RECORD, variables).get_json()["data"]["representationRecord"]
    assert again == {"__typename": "ConflictError", "code": "already_represented", "message": again["message"]}
    rep_id = recorded["representation"]["id"]
    revoked = browser.graphql(REVOKE, {"id": rep_id}).get_json()["data"]["representationRevoke"]
    assert revoked["representation"]["revokedAt"] is not None
    twice = browser.graphql(REVOKE, {"id": rep_id}).get_json()["data"]["representationRevoke"]
    assert twice["__typename"] == "RepresentationRevoked"
    assert len(read_mail(mail_dir)) == 4  # recorded and revoked, one message each; revoking twice tells nobody


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"advocateId": "resident"}, "advocateId", "not_an_advocate"),
        ({"residentId": "advocate"}, "residentId", "not_a_resident"),
    ],
)
def test_record_consent_refuses_bad_input(signed_in, browser: Browser, pair, change, field, code) -> None:
    advocate, resident = pair
    ids = {"advocate": str(advocate.id), "resident": str(resident.id)}
    values = {"advocateId": ids["advocate"], "residentId": ids["resident"], "consentMethod": "written"}
    values.update({k: ids.get(v, v) for k, v in change.items()})
    signed_in("staff")
    result = browser.graphql(RECORD, {"input": values}).get_json()["data"]["representationRecord"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", field, code)


@pytest.mark.parametrize(
    ("change", "enum"),
    [({"consentMethod": "telepathy"}, "ConsentMethod"), ({"relationship": "landlord"}, "Relationship")],
)
def test_record_consent_refuses_an_unknown_code_before_the_service_runs(
    signed_in, browser: Browser, pair, change, enum
) -> None:
    advocate, resident = pair
    values = {"advocateId": str(advocate.id), "residentId": str(resident.id), "consentMethod": "written", **change}
    signed_in("staff")
    body = browser.graphql(RECORD, {"input": values}).get_json()
    assert body["data"] is None and f"'{enum}'" in body["errors"][0]["message"]
    assert not Representation.select().exists()


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_only_staff_record_consent(signed_in, browser: Browser, pair, role: str) -> None:
    advocate, resident = pair
    signed_in(role)
    variables = {"input": {"advocateId": str(advocate.id), "residentId": str(resident.id), "consentMethod": "portal"}}
    response = browser.graphql(RECORD, variables).get_json()
    assert response.get("data") is None and Representation.select().count() == 0
    assert browser.client.get("/console/representations").status_code == 403
