"""Closed vocabularies are enums everywhere in the API: described, valued by their codes, and refused when misspelt."""

from __future__ import annotations

import re
from typing import Any

import pytest
from graphql import GraphQLEnumType

from backend.attachments import filetypes
from backend.audit.models import AuditEvent
from backend.complaints.models import ComplaintStatus, Contact
from backend.vocabulary import Vocabulary, all_vocabularies
from tests import factories
from tests.conftest import Browser

CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
SUBMIT = """
mutation ($input: ContactSubmitInput!) {
  contactSubmit(input: $input) { __typename ... on ContactSubmitted { contact { id channel nation } } }
}
"""
PHONE_CALL = {
    "description": "The boiler has failed again.",
    "person": {"name": "Ffion Jones", "phone": "01970 000000"},
    "nation": "wales",
}


def admin_enums(app: Any) -> dict[str, GraphQLEnumType]:
    schema = app.extensions["learnloop.engine"].schema_for(frozenset({"admin"}), writable=True)
    return {
        name: kind
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLEnumType) and not name.startswith("__")
    }


def test_every_enum_in_the_admin_schema_and_each_of_its_values_is_described(app) -> None:
    enums = admin_enums(app)
    assert "ComplaintStatus" in enums and "SortDirection" in enums
    undescribed = sorted(
        f"{name}.{value}" if value else name
        for name, kind in enums.items()
        for value in ["", *kind.values]
        if not (kind.values[value].description if value else kind.description)
    )
    assert undescribed == []


def test_every_vocabulary_in_the_admin_schema_has_its_codes_as_values(app) -> None:
    enums = admin_enums(app)
    # The application's vocabularies: a test may declare one of the same name for its own example schema.
    shown = [
        vocabulary
        for vocabulary in all_vocabularies()
        if vocabulary.__name__ in enums and vocabulary.__module__.startswith("backend.")
    ]
    assert len(shown) >= 35
    for vocabulary in shown:
        assert list(enums[vocabulary.__name__].values) == list(vocabulary.codes()), vocabulary.__name__


def test_every_code_is_lowercase_snake_case_and_described() -> None:
    for vocabulary in all_vocabularies():
        assert vocabulary.__doc__, vocabulary.__name__
        for member in vocabulary:
            assert CODE.fullmatch(member.value) and member.description.strip(), f"{vocabulary.__name__}.{member.name}"


def test_a_vocabulary_declared_later_is_an_enum_of_its_codes() -> None:
    class Weather(Vocabulary):
        """Outside."""

        LIGHT_RAIN = "light_rain", "A drizzle."

    definition = Weather.__strawberry_definition__  # type: ignore[attr-defined]
    assert [(v.name, v.value, v.description) for v in definition.values] == [("light_rain", "light_rain", "A drizzle.")]
    assert Weather.LIGHT_RAIN == "light_rain"


def test_of_finds_a_member_by_its_code_and_refuses_any_other() -> None:
    assert ComplaintStatus.of("received") is ComplaintStatus.RECEIVED
    with pytest.raises(ValueError, match="recieved"):
        ComplaintStatus.of("recieved")


def test_every_file_kind_is_in_a_known_family() -> None:
    kinds = [value for value in vars(filetypes).values() if isinstance(value, filetypes.FileKind)]
    assert kinds and {kind.family for kind in kinds} <= set(filetypes.FileFamily.codes())


# --- through the API --------------------------------------------------------------------------


@pytest.fixture
def two_complaints(signed_in) -> Any:
    signed_in("staff")
    return [factories.make_complaint() for _ in range(2)]


@pytest.mark.usefixtures("two_complaints")
@pytest.mark.parametrize("status", ["recieved", '"received"', "RECEIVED"])
def test_misspelt_status_in_a_filter_is_a_validation_error(browser: Browser, status: str) -> None:
    body = browser.graphql(f"{{ complaints(where: {{status: {{eq: {status}}}}}) {{ totalCount }} }}").get_json()
    assert body.get("data") is None and "'ComplaintStatus'" in body["errors"][0]["message"]


@pytest.mark.usefixtures("two_complaints")
def test_status_filter_matches_its_code(browser: Browser) -> None:
    body = browser.graphql("{ complaints(where: {status: {in: [received, open]}}) { totalCount } }").get_json()
    assert body == {"data": {"complaints": {"totalCount": 2}}}


@pytest.mark.parametrize("channel", ["phone_call", "Phone", ""])
def test_misspelt_channel_in_an_input_is_refused_and_nothing_is_made(browser: Browser, signed_in, channel: str) -> None:
    signed_in("staff")
    body = browser.graphql(SUBMIT, {"input": {**PHONE_CALL, "channel": channel}}).get_json()
    assert body.get("data") is None and "'ContactChannel'" in body["errors"][0]["message"]
    assert not Contact.select().exists()


def test_misspelt_literal_in_an_input_is_refused(browser: Browser, signed_in) -> None:
    signed_in("staff")
    query = 'mutation { contactSubmit(input: {channel: phone_call, description: "x"}) { __typename } }'
    body = browser.graphql(query).get_json()
    assert body.get("data") is None and "'ContactChannel'" in body["errors"][0]["message"]


def test_enum_input_is_stored_and_audited_as_its_plain_code(browser: Browser, signed_in) -> None:
    signed_in("staff")
    made = browser.graphql(SUBMIT, {"input": {**PHONE_CALL, "channel": "phone"}}).get_json()["data"]["contactSubmit"]
    assert made["contact"]["channel"] == "phone" and made["contact"]["nation"] == "wales"
    stored = Contact.get_by_id(made["contact"]["id"])
    assert (type(stored.channel), stored.channel, stored.nation) == (str, "phone", "wales")
    audited = AuditEvent.get(AuditEvent.action == "contact.received")
    assert audited.changes["channel"]["after"] == "phone"


def test_representatives_consent_method_is_a_consent_method(browser: Browser, signed_in) -> None:
    signed_in("staff")
    query = SUBMIT.replace("channel nation", "channel nation representativeConsentMethod")
    given = {**PHONE_CALL, "channel": "phone", "representativeKind": "advocate", "representativeConsent": True}
    refused = browser.graphql(query, {"input": {**given, "representativeConsentMethod": "recorded"}}).get_json()
    assert refused.get("data") is None and "'ConsentMethod'" in refused["errors"][0]["message"]
    made = browser.graphql(query, {"input": {**given, "representativeConsentMethod": "written"}}).get_json()
    assert made["data"]["contactSubmit"]["contact"]["representativeConsentMethod"] == "written"
