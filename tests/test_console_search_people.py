"""Console search, its CSV and the queue CSVs for people who complained without an account (a ContactPerson):
their postcode shows, and they are found by phone number in any spelling and by email."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.phone import number_key, number_key_sql
from backend.complaints import journey
from backend.complaints.models import Complaint, ContactPerson
from backend.complaints.restricted import restrict_case
from portal.complaints import labels
from portal.console.complaints.search import phone_key
from tests import factories
from tests.test_console_dashboard import page_of, refs, rows_of, search_row

PHONE = "07700 900123"


def someone(wants_to_complain: bool = True, **person: str) -> Any:
    """A contact (and complaint) from Gwen Unsworth, who has no account, with her phone, email and postcode."""
    details = {"phone": PHONE, "email": "Gwen.Unsworth@Example.org", "postcode": "CF10 1AA", **person}
    return factories.make_contact_from_person("Gwen Unsworth", wants_to_complain=wants_to_complain, **details)


def found(browser: Any, query: str) -> list[str]:
    return refs(page_of(browser.client.get("/console/search", query_string={"q": query})))


@pytest.mark.parametrize(
    "phone",
    ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0044 7700 900123", "+44 (0)7700 900-123"],
)
def test_number_key_sql_spells_a_stored_number_as_number_key_does(phone: str) -> None:
    person = factories.make_contact_person()
    ContactPerson.update(phone=phone).where(ContactPerson.id == person.id).execute()
    key = ContactPerson.select(number_key_sql(ContactPerson.phone)).where(ContactPerson.id == person.id).scalar()
    assert key == "447700900123" == number_key(phone.replace("(0)", ""))


@pytest.mark.parametrize("text", ["", "12345", "LL-2026-000042", "damp 07700900123", "0770O900123"])
def test_phone_key_is_none_for_text_that_is_not_a_phone_number(text: str) -> None:
    assert phone_key(text) is None


@pytest.mark.parametrize("query", ["07700900123", "07700 900123", "+447700900123", "+44 7700 900123", "900123"])
def test_search_finds_a_complaint_by_the_phone_someone_without_an_account_gave(browser, signed_in, query) -> None:
    contact = someone()
    factories.make_contact_from_person("Bob Other", phone="07700 900999")
    signed_in("staff")
    assert found(browser, query) == [contact.reference]


@pytest.mark.parametrize("query", ["07700 900123", "+447700900123"])
def test_search_finds_a_contact_by_the_phone_someone_without_an_account_gave(browser, signed_in, query) -> None:
    contact = someone(wants_to_complain=False)
    signed_in("staff")
    assert found(browser, query) == [contact.reference]


def test_search_by_phone_with_other_words_needs_every_word(browser, signed_in) -> None:
    contact = someone()
    signed_in("staff")
    assert found(browser, "07700900123 communal") == [contact.reference]
    assert found(browser, "07700900123 zebra") == []


@pytest.mark.parametrize("query", ["gwen.unsworth@example.org", "GWEN.UNSWORTH@EXAMPLE.ORG", "unsworth@example"])
def test_search_finds_someone_without_an_account_by_email_ignoring_case(browser, signed_in, query) -> None:
    complaint, contact = someone(), someone(wants_to_complain=False)
    signed_in("staff")
    assert sorted(found(browser, query)) == sorted([complaint.reference, contact.reference])


@pytest.mark.parametrize("query", [PHONE, "+447700900123", "gwen.unsworth@example.org"])
def test_search_never_finds_a_need_to_know_case_by_phone_or_email(browser, signed_in, query) -> None:
    hidden = someone()
    restrict_case(factories.actor_of(factories.make_user("manager")), hidden.id, "safeguarding", "A child at risk")
    signed_in("staff")
    assert found(browser, query) == []
    assert rows_of(browser.client.get("/console/search.csv", query_string={"q": query}))[1:] == []


def test_residents_cannot_filter_contacts_by_the_phone_of_someone_without_an_account(browser, signed_in) -> None:
    someone()
    signed_in("resident")
    response = browser.graphql('{ contacts(where: {people: {some: {phoneKey: {contains: "447700"}}}}) { totalCount } }')
    body = response.get_json()
    assert body["data"] is None and "unknown field 'people'" in body["errors"][0]["message"]


def test_search_shows_the_postcode_someone_without_an_account_gave(browser, signed_in) -> None:
    complaint, contact = someone(), someone(wants_to_complain=False)
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": "unsworth"}))
    assert "CF10 1AA" in search_row(page, complaint.reference)
    assert "CF10 1AA" in search_row(page, contact.reference)


def test_search_shows_the_homes_postcode_for_an_account_holder(browser, signed_in) -> None:
    complaint = factories.make_complaint(description="Pipes knock all night")
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": "knock"}))
    assert complaint.home.postcode and complaint.home.postcode in search_row(page, complaint.reference)


def test_search_csv_writes_the_postcode_someone_without_an_account_gave(browser, signed_in) -> None:
    complaint, contact = someone(), someone(wants_to_complain=False)
    signed_in("staff")
    header, *rows = rows_of(browser.client.get("/console/search.csv", query_string={"q": PHONE}))
    assert [(row[0], row[header.index("Postcode")]) for row in rows] == [(complaint.reference, "CF10 1AA")]
    query = {"q": PHONE, "list": "contacts"}
    header, *rows = rows_of(browser.client.get("/console/search.csv", query_string=query))
    assert [(row[0], row[header.index("Postcode")]) for row in rows] == [(contact.reference, "CF10 1AA")]


def test_open_complaints_csv_writes_the_postcode_someone_without_an_account_gave(browser, signed_in) -> None:
    contact = someone()
    handler = signed_in("staff")
    complaint = Complaint.get(Complaint.contact == contact.id)
    journey.acknowledge_complaint(factories.actor_of(handler), complaint.id, [("The door", "Mend it")], "A repair")
    header, *rows = rows_of(browser.client.get("/console/complaints.csv?view=open"))
    assert [(row[0], row[header.index("Postcode")]) for row in rows] == [(complaint.reference, "CF10 1AA")]


def test_new_contacts_csv_writes_the_postcode_someone_without_an_account_gave(browser, signed_in) -> None:
    contact = someone(wants_to_complain=False)
    signed_in("staff")
    header, *rows = rows_of(browser.client.get("/console/complaints.csv?view=new"))
    assert [(row[0], row[header.index("Postcode")]) for row in rows] == [(contact.reference, "CF10 1AA")]


@pytest.mark.parametrize(
    ("home", "anonymous", "people", "postcode"),
    [
        ({"postcode": "LS1 1AA"}, False, [{"postcode": "CF10 1AA"}], "LS1 1AA"),
        (None, False, [{"postcode": "CF10 1AA"}], "CF10 1AA"),
        ({"postcode": ""}, False, [{"postcode": " "}, {"postcode": "CF10 1AA"}], "CF10 1AA"),
        (None, True, [{"postcode": "CF10 1AA"}], ""),
        (None, False, None, ""),
    ],
)
def test_complainant_postcode_is_the_homes_else_the_one_given_unless_anonymous(home, anonymous, people, postcode):
    assert labels.complainant_postcode(home, anonymous, people) == postcode
