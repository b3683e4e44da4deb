"""Equality monitoring answers: residents keep their own with consent, staff record them on a contact with consent
and never read them back, withdrawal deletes them, and the audit trail never holds a value."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints.models import Contact
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.reports import characteristics
from backend.reports.models import EqualityProfile
from tests.factories import (
    actor_of,
    make_contact,
    make_contact_from_person,
    make_equality_profile,
    make_staff,
    make_user,
)

SAVE = """
mutation ($input: ViewerEqualityProfileSaveInput!) {
  viewerEqualityProfileSave(input: $input) {
    __typename
    ... on ViewerEqualityProfileSaved { profile { answers { sex ethnicGroup ageBand } consentMethod } }
    ... on ValidationError { problems { field code } }
  }
}
"""
READ = "{ viewerEqualityProfile { answers { sex religion } consentGivenOn } }"
WITHDRAW = """
mutation { viewerEqualityConsentWithdraw { __typename ... on EqualityConsentWithdrawn { deleted } } }
"""
RECORD = """
mutation ($input: ContactEqualityRecordInput!) {
  contactEqualityRecord(input: $input) {
    __typename
    ... on ContactEqualityRecorded { status { recorded consentMethod consentGivenBy } }
    ... on ValidationError { problems { field code } }
    ... on NotFoundError { code }
    ... on ConflictError { code }
  }
}
"""
STATUS = "query ($id: ID!) { contactEqualityStatus(contactId: $id) { recorded consentGivenOn } }"


def resident_actor() -> Any:
    return actor_of(make_user("resident"))


def values_in_audit(profile_id: int) -> list[str]:
    events = AuditEvent.select().where(
        (AuditEvent.entity_type == "equality_profile") & (AuditEvent.entity_id == str(profile_id))
    )
    return [json.dumps(event.changes) for event in events]


# --- The services --------------------------------------------------------------------------------------------


def test_save_own_profile_keeps_the_answers_with_portal_consent() -> None:
    actor = resident_actor()
    profile = characteristics.save_own_profile(actor, {"sex": "female", "religion": "sikh"}, consent=True)
    assert (profile.sex, profile.religion, profile.age_band) == ("female", "sikh", None)
    assert (profile.consent_method, profile.consent_given_by, profile.recorded_by_id) == (
        "portal",
        "resident",
        actor.user_id,
    )


def test_save_own_profile_without_consent_saves_nothing() -> None:
    actor = resident_actor()
    with pytest.raises(Invalid) as refused:
        characteristics.save_own_profile(actor, {"sex": "female"}, consent=False)
    assert [(p.field, p.code) for p in refused.value.problems] == [("consent", "required")]
    assert EqualityProfile.select().where(EqualityProfile.user == actor.user_id).count() == 0


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, [("answers", "required")]),
        ({"sex": ""}, [("answers", "required")]),
        ({"sex": "unknown"}, [("answer", "unsupported")]),
        ({"shoe_size": "9", "sex": "male"}, [("answer", "unsupported")]),
    ],
)
def test_save_own_profile_refuses_bad_answers(answers: dict[str, str], expected: list[tuple[str, str]]) -> None:
    with pytest.raises(Invalid) as refused:
        characteristics.save_own_profile(resident_actor(), answers, consent=True)
    assert [(p.field, p.code) for p in refused.value.problems] == expected


def test_saving_again_replaces_every_answer() -> None:
    actor = resident_actor()
    characteristics.save_own_profile(actor, {"sex": "female", "religion": "sikh"}, consent=True)
    profile = characteristics.save_own_profile(actor, {"age_band": "age_25_34"}, consent=True)
    assert (profile.sex, profile.religion, profile.age_band) == (None, None, "age_25_34")
    assert EqualityProfile.select().where(EqualityProfile.user == actor.user_id).count() == 1


def test_withdrawing_consent_deletes_the_answers() -> None:
    actor = resident_actor()
    profile = characteristics.save_own_profile(actor, {"sex": "male"}, consent=True)
    assert characteristics.withdraw_own_consent(actor) is True
    assert EqualityProfile.get_or_none(EqualityProfile.id == profile.id) is None
    assert characteristics.own_profile(actor) is None
    assert characteristics.withdraw_own_consent(actor) is False


def test_the_audit_trail_says_what_changed_but_never_the_answers() -> None:
    actor = resident_actor()
    profile = characteristics.save_own_profile(actor, {"sex": "female", "ethnic_group": "white_roma"}, consent=True)
    characteristics.save_own_profile(actor, {"sex": "male"}, consent=True)
    characteristics.withdraw_own_consent(actor)
    audited = values_in_audit(profile.id)
    assert len(audited) == 3
    for text in audited:
        assert "female" not in text and "white_roma" not in text and '"male"' not in text
    assert '"sex"' in audited[0] and "[redacted]" in audited[0] and "portal" in audited[0]


def test_only_residents_keep_their_own_answers() -> None:
    with pytest.raises(NotAllowed):
        characteristics.save_own_profile(actor_of(make_staff()), {"sex": "male"}, consent=True)
    with pytest.raises(NotAllowed):
        characteristics.withdraw_own_consent(actor_of(make_user("advocate")))
    assert characteristics.own_profile(actor_of(make_user("advocate"))) is None


def test_staff_record_on_a_contact_go_to_the_residents_account() -> None:
    contact = make_contact()
    staff = actor_of(make_staff())
    status = characteristics.record_for_contact(
        staff, contact.id, {"disability": "limited_a_lot"}, "resident", "verbal", dt.date(2025, 5, 1)
    )
    assert status.recorded and status.consent_method == "verbal"
    profile = EqualityProfile.get(EqualityProfile.user == contact.resident_id)
    assert (profile.disability, profile.contact_id, profile.recorded_by_id) == ("limited_a_lot", None, staff.user_id)


def test_staff_record_for_someone_without_an_account_go_to_the_contact() -> None:
    contact = make_contact_from_person()
    characteristics.record_for_contact(
        actor_of(make_staff()), contact.id, {"sex": "female"}, "representative", "written", dt.date(2025, 5, 1)
    )
    assert EqualityProfile.get(EqualityProfile.contact == contact.id).consent_given_by == "representative"


@pytest.mark.parametrize(
    ("given_by", "method", "on", "expected"),
    [
        ("neighbour", "verbal", dt.date(2025, 5, 1), ("consent_given_by", "unsupported")),
        ("resident", "portal", dt.date(2025, 5, 1), ("consent_method", "unsupported")),
        ("resident", "verbal", None, ("consent_given_on", "required")),
        ("resident", "verbal", dt.date(2099, 1, 1), ("consent_given_on", "in_future")),
    ],
)
def test_staff_must_say_who_consented_when_and_how(given_by: str, method: str, on: Any, expected: Any) -> None:
    with pytest.raises(Invalid) as refused:
        characteristics.record_for_contact(
            actor_of(make_staff()), make_contact().id, {"sex": "male"}, given_by, method, on
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [expected]


def test_staff_cannot_record_on_an_anonymous_contact_or_a_hidden_case() -> None:
    staff = actor_of(make_staff())
    with pytest.raises(Conflict):
        characteristics.record_for_contact(
            staff,
            make_contact_from_person(anonymous=True).id,
            {"sex": "male"},
            "resident",
            "verbal",
            dt.date(2025, 5, 1),
        )
    hidden = make_contact()
    Contact.update(restricted_kind="safeguarding").where(Contact.id == hidden.id).execute()
    with pytest.raises(NotFound):
        characteristics.record_for_contact(staff, hidden.id, {"sex": "male"}, "resident", "verbal", dt.date(2025, 5, 1))


def test_staff_remove_the_answers_when_the_resident_withdraws() -> None:
    contact = make_contact()
    make_equality_profile(user=contact.resident)
    staff = actor_of(make_staff())
    assert characteristics.remove_for_contact(staff, contact.id) is True
    assert characteristics.contact_status(staff, contact.id).recorded is False


# --- Through the API -------------------------------------------------------------------------------------------


def run(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_a_resident_saves_reads_and_withdraws_their_own_answers(browser: Any, signed_in: Any) -> None:
    user = signed_in("resident")
    answers = {"sex": "female", "ethnicGroup": "black_caribbean", "ageBand": "age_45_54"}
    saved = run(browser, SAVE, input={"consent": True, "answers": answers})["viewerEqualityProfileSave"]
    assert saved["profile"] == {"answers": answers, "consentMethod": "portal"}
    assert run(browser, READ)["viewerEqualityProfile"]["answers"] == {"sex": "female", "religion": None}
    assert run(browser, WITHDRAW)["viewerEqualityConsentWithdraw"] == {
        "__typename": "EqualityConsentWithdrawn",
        "deleted": True,
    }
    assert run(browser, READ)["viewerEqualityProfile"] is None
    assert EqualityProfile.select().where(EqualityProfile.user == user.id).count() == 0


def test_a_resident_without_consent_gets_a_validation_error(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    result = run(browser, SAVE, input={"consent": False, "answers": {"sex": "male"}})["viewerEqualityProfileSave"]
    assert result == {"__typename": "ValidationError", "problems": [{"field": "consent", "code": "required"}]}


def test_a_resident_reads_only_their_own_answers(browser: Any, signed_in: Any) -> None:
    make_equality_profile(sex="male")  # someone else's
    signed_in("resident")
    assert run(browser, READ)["viewerEqualityProfile"] is None
    # There is no way to name anyone else: staff queries and mutations are not in a resident's schema.
    contact = make_contact()
    for query, variables in (
        (STATUS, {"id": str(contact.id)}),
        (RECORD, {"input": record_input(contact.id)}),
        ('{ equalityBreakdowns(period: "2025/26") { period } }', {}),
    ):
        body = browser.graphql(query, variables).get_json()
        assert body.get("errors"), body


def record_input(contact_id: int, **answers: str) -> dict[str, Any]:
    return {
        "contactId": str(contact_id),
        "consentGivenBy": "resident",
        "consentMethod": "verbal",
        "consentGivenOn": "2025-05-01",
        "answers": answers or {"religion": "muslim"},
    }


def test_staff_record_with_consent_and_see_only_that_answers_are_recorded(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = make_contact()
    recorded = run(browser, RECORD, input=record_input(contact.id))["contactEqualityRecord"]
    assert recorded["status"] == {"recorded": True, "consentMethod": "verbal", "consentGivenBy": "resident"}
    assert run(browser, STATUS, id=str(contact.id))["contactEqualityStatus"]["recorded"] is True
    # The status has no answers to ask for, and the only query for answers gives a resident's own, so staff none.
    query = "query ($id: ID!) { contactEqualityStatus(contactId: $id) { answers { religion } } }"
    assert browser.graphql(query, {"id": str(contact.id)}).get_json().get("errors")
    assert run(browser, READ)["viewerEqualityProfile"] is None
    refused = run(browser, SAVE, input={"consent": True, "answers": {"sex": "male"}})["viewerEqualityProfileSave"]
    assert refused["__typename"] == "NotAllowedError"


def test_staff_get_not_found_for_a_hidden_case(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = make_contact()
    Contact.update(restricted_kind="safeguarding").where(Contact.id == contact.id).execute()
    assert (
        run(browser, RECORD, input=record_input(contact.id))["contactEqualityRecord"]["__typename"] == "NotFoundError"
    )
    assert run(browser, STATUS, id=str(contact.id))["contactEqualityStatus"] is None
