"""Each complaint goes under its own nation's procedure: a contact records the nation of its home, staff choose it
when there is no home on record, and a complaint is never opened under another country's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import Table

from backend.audit.models import AuditEvent
from backend.complaints import intake, journey
from backend.complaints.intake import NewContact, submit_contact
from backend.complaints.messages import complaint_values
from backend.complaints.models import Complaint, Contact, Regime
from backend.errors import Conflict, Invalid
from backend.events.models import Delivery, OutboxEvent
from backend.migrate import runner
from tests import factories
from tests.factories import actor_of
from tests.test_migrations import BACKENDS, postgres_database, sqlite_database

PSOW = "Public Services Ombudsman for Wales"
NO_NATION = "Choose the nation of the home this complaint is about before treating it as a complaint."


def staff() -> Any:
    return actor_of(factories.make_staff())


def page_of(response: Any) -> str:
    return response.get_data(as_text=True)


def phone_call(nation: str | None, wants_to_complain: bool = True) -> Contact:
    """A phone complaint from someone without an account, logged by staff."""
    return submit_contact(
        staff(),
        NewContact(
            channel="phone",
            description="Water has come through the ceiling since Tuesday.",
            wants_to_complain=wants_to_complain,
            person={"name": "Ffion Jones", "email": "ffion@example.net"},
            nation=nation,
            logged_via="console",
        ),
    )


def homeless_residents_contact(wants_to_complain: bool = True) -> Contact:
    """A resident with no home on record tells us something themselves: the nation is not known yet."""
    resident = factories.make_user()
    return submit_contact(
        actor_of(resident),
        NewContact(
            channel="portal", description="The stairwell light is out again.", wants_to_complain=wants_to_complain
        ),
    )


def messages(event: str) -> list[Delivery]:
    return list(Delivery.select().join(OutboxEvent).where(OutboxEvent.name == event))


# --- The service ----------------------------------------------------------------------------------------------


def test_phone_complaint_from_someone_in_wales_goes_to_the_welsh_ombudsman() -> None:
    contact = phone_call("wales")
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert (contact.nation, complaint.nation) == ("wales", "wales")
    assert Regime.get_by_id(complaint.regime_id).code == "psow"
    handler = staff()
    journey.acknowledge_complaint(handler, complaint.id, [("Leaking ceiling", "Fix the roof")], "A dry home")
    (acknowledgement,) = messages("complaint.acknowledged")
    assert acknowledgement.status == "sent" and acknowledgement.recipient_person_id is not None
    values = complaint_values(acknowledgement.event.payload, None, "en")
    assert values["ombudsman"] == PSOW and "ombudsman.wales" in values["ombudsman_details"]
    journey.refuse_complaint(handler, complaint.id, "over_six_months", "It was first reported in 2019.", True)
    (refusal,) = messages("complaint.refused")
    assert PSOW in refusal.body and "Housing Ombudsman" not in refusal.body


def test_contact_takes_the_nation_of_its_home() -> None:
    resident = factories.make_user(home=factories.make_home("scotland"))
    contact = factories.make_contact(resident, wants_to_complain=True)
    assert contact.nation == "scotland"
    assert Regime.get_by_id(Complaint.get(Complaint.contact == contact.id).regime_id).code == "spso"


@pytest.mark.parametrize(
    "who",
    [
        {"person": {"name": "Ffion Jones"}},
        {"anonymous": True},
        {"account_without_home": True},
    ],
    ids=["someone without an account", "anonymous", "an account with no home"],
)
def test_staff_must_choose_the_nation_when_there_is_no_home(who: dict[str, Any]) -> None:
    if who.pop("account_without_home", False):
        who = {"resident_id": factories.make_user().id}
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), NewContact(channel="letter", description="Please ring me.", **who))
    assert (caught.value.field, caught.value.code) == ("nation", "required")
    assert not Contact.select().exists()


def test_a_nation_other_than_the_homes_is_refused() -> None:
    resident = factories.make_user(home=factories.make_home("england"))
    data = NewContact(channel="phone", description="Rent query.", resident_id=resident.id, nation="wales")
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), data)
    assert (caught.value.field, caught.value.code) == ("nation", "not_home_nation")
    assert not Contact.select().exists()


def test_a_residents_words_are_kept_when_no_home_is_on_record() -> None:
    contact = homeless_residents_contact()
    assert contact.nation is None and contact.wants_to_complain and contact.kind is None
    assert contact.description == "The stairwell light is out again."
    assert not Complaint.select().exists()
    (event,) = OutboxEvent.select().where(OutboxEvent.name == "feedback.received")
    assert event.payload["contact_id"] == contact.id


def test_a_resident_cannot_choose_a_nation_for_themselves() -> None:
    resident = factories.make_user(home=factories.make_home("england"))
    data = NewContact(channel="portal", description="Bins.", wants_to_complain=True, nation="wales")
    contact = submit_contact(actor_of(resident), data)
    assert contact.nation == "england"
    assert Complaint.get(Complaint.contact == contact.id).nation == "england"


def test_a_contact_without_a_nation_becomes_a_complaint_only_once_one_is_chosen() -> None:
    contact = homeless_residents_contact()
    handler = staff()
    with pytest.raises(Conflict) as caught:
        intake.classify_contact(handler, contact.id, "complaint", "They are unhappy with the repair.")
    assert caught.value.code == "no_nation"
    assert Contact.get_by_id(contact.id).kind is None and not Complaint.select().exists()
    intake.classify_contact(handler, contact.id, "complaint", "They are unhappy with the repair.", nation="wales")
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert (Contact.get_by_id(contact.id).nation, complaint.nation) == ("wales", "wales")
    assert Regime.get_by_id(complaint.regime_id).code == "psow"
    change = AuditEvent.get(AuditEvent.action == "contact.nation_set")
    assert change.changes == {"nation": {"before": None, "after": "wales"}}


def test_a_contact_without_a_nation_can_still_be_classified_as_something_else() -> None:
    contact = homeless_residents_contact(wants_to_complain=False)
    intake.classify_contact(staff(), contact.id, "service_request", "A repair.")
    assert Contact.get_by_id(contact.id).kind == "service_request"


@pytest.mark.parametrize(("nation", "code"), [("atlantis", "unsupported"), ("wales", "not_home_nation")])
def test_classifying_with_a_bad_nation_changes_nothing(nation: str, code: str) -> None:
    contact = factories.make_contact()  # a resident with a home in England
    with pytest.raises(Invalid) as caught:
        intake.classify_contact(staff(), contact.id, "complaint", "Unhappy.", nation=nation)
    assert (caught.value.field, caught.value.code) == ("nation", code)
    assert Contact.get_by_id(contact.id).kind is None and not Complaint.select().exists()


def test_opening_a_complaint_without_a_nation_is_refused() -> None:
    contact = homeless_residents_contact()
    with pytest.raises(Conflict) as caught:
        journey.open_complaint(staff(), contact)
    assert caught.value.code == "no_nation"


# --- GraphQL -------------------------------------------------------------------------------------------------

SUBMIT = """
mutation ($input: ContactSubmitInput!) {
  contactSubmit(input: $input) {
    __typename
    ... on ContactSubmitted { contact { id nation complaints { nation regime { code ombudsmanName } } } }
    ... on ValidationError { field code message }
  }
}
"""
CLASSIFY = """
mutation ($input: ContactClassifyInput!) {
  contactClassify(input: $input) {
    __typename
    ... on ContactClassified { contact { nation complaints { nation } } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""
PHONE_CALL = {
    "channel": "phone",
    "description": "Water has come through the ceiling since Tuesday.",
    "wantsToComplain": True,
    "person": {"name": "Ffion Jones", "phone": "01970 000000"},
}


def run(browser: Any, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_graphql_phone_complaint_in_wales_is_under_the_welsh_procedure(browser, signed_in) -> None:
    signed_in("staff")
    made = run(browser, SUBMIT, {"input": {**PHONE_CALL, "nation": "wales"}})["contactSubmit"]
    assert made["contact"]["nation"] == "wales"
    assert made["contact"]["complaints"] == [{"nation": "wales", "regime": {"code": "psow", "ombudsmanName": PSOW}}]


def test_graphql_refuses_a_staff_contact_without_a_home_or_a_nation(browser, signed_in) -> None:
    signed_in("staff")
    made = run(browser, SUBMIT, {"input": {**PHONE_CALL, "nation": None}})["contactSubmit"]
    assert (made["__typename"], made["field"], made["code"]) == ("ValidationError", "nation", "required")
    assert "England, Wales, Scotland or Northern Ireland" in made["message"]
    assert not Contact.select().exists()


@pytest.mark.parametrize("nation", ["", "England", "x" * 5000])
def test_graphql_refuses_a_nation_that_is_not_one_before_the_service_runs(browser, signed_in, nation) -> None:
    signed_in("staff")
    body = browser.graphql(SUBMIT, {"input": {**PHONE_CALL, "nation": nation}}).get_json()
    assert body["data"] is None and "'Nation'" in body["errors"][0]["message"]
    assert not Contact.select().exists()


def test_graphql_resident_without_a_home_is_heard_and_the_nation_waits(browser, signed_in) -> None:
    signed_in("resident")
    variables = {"input": {"channel": "portal", "description": "The lift is broken.", "wantsToComplain": True}}
    query = SUBMIT.replace("nation complaints { nation regime { code ombudsmanName } }", "kind complaints { id }")
    made = run(browser, query, variables)["contactSubmit"]
    assert made["contact"]["kind"] is None and made["contact"]["complaints"] == []
    assert Contact.get_by_id(made["contact"]["id"]).nation is None and not Complaint.select().exists()


def test_graphql_classify_needs_a_nation_then_opens_the_complaint(browser, signed_in) -> None:
    contact = homeless_residents_contact()
    signed_in("staff")
    variables = {"id": str(contact.id), "kind": "complaint", "reason": "Unhappy with the lift."}
    refused = run(browser, CLASSIFY, {"input": variables})["contactClassify"]
    assert (refused["__typename"], refused["code"], refused["message"]) == ("ConflictError", "no_nation", NO_NATION)
    made = run(browser, CLASSIFY, {"input": {**variables, "nation": "northern_ireland"}})["contactClassify"]
    assert made["contact"] == {"nation": "northern_ireland", "complaints": [{"nation": "northern_ireland"}]}


# --- The console ---------------------------------------------------------------------------------------------


def contact_form(**values: Any) -> dict[str, Any]:
    data = {
        "who": "person",
        "person_name": "Ffion Jones",
        "person_email": "ffion@example.net",
        "channel": "phone",
        "received_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "received_time": "12:00",
        "locale": "en",
        "description": "Water has come through the ceiling since Tuesday.",
        "wants_to_complain": "y",
        "representative_kind": "",
        "service_area": "",
        "category": "",
        "nation": "",
        "idempotency_key": "0123456789abcdef",
    }
    data.update(values)
    return data


@pytest.mark.parametrize("who", ["person", "anonymous", "account"])
def test_console_form_refuses_a_missing_nation_and_keeps_what_was_typed(browser, signed_in, who: str) -> None:
    resident = factories.make_user()  # no home on record
    signed_in("staff")
    response = browser.submit("/console/contacts/new", contact_form(who=who, resident_email=resident.email))
    page = page_of(response)
    assert response.status_code == 400
    assert 'id="nation-error"' in page and '<a href="#nation">' in page
    assert "Water has come through the ceiling since Tuesday.</textarea>" in page
    assert 'value="Ffion Jones"' in page and 'value="0123456789abcdef"' in page
    assert not Contact.select().exists()


def test_console_form_logs_a_welsh_phone_complaint_under_the_welsh_procedure(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/contacts/new"))
    assert '<option value="northern_ireland">Northern Ireland</option>' in page
    response = browser.submit("/console/contacts/new", contact_form(nation="wales"))
    assert response.status_code == 302
    complaint = Complaint.get()
    assert complaint.nation == "wales" and Regime.get_by_id(complaint.regime_id).code == "psow"
    assert "Wales" in page_of(browser.client.get(response.headers["Location"]))


def test_console_classify_asks_for_the_nation_then_opens_the_complaint(browser, signed_in) -> None:
    contact = homeless_residents_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    page = page_of(browser.client.get(url))
    assert "Not chosen yet" in page and 'id="classify-nation"' in page
    data = {"classify-kind": "complaint", "classify-reason": "Unhappy with the lift.", "classify-nation": ""}
    response = browser.submit(f"{url}/classify", data, page=url)
    page = page_of(response)
    assert response.status_code == 409
    assert f'<a href="#classify-nation">{NO_NATION}</a>' in page and 'id="classify-nation-error"' in page
    assert "Unhappy with the lift.</textarea>" in page
    response = browser.submit(f"{url}/classify", {**data, "classify-nation": "wales"}, page=url)
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert response.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    assert complaint.nation == "wales"


def test_console_classify_does_not_ask_for_the_nation_of_a_home_on_record(browser, signed_in) -> None:
    contact = factories.make_contact()
    signed_in("staff")
    assert 'id="classify-nation"' not in page_of(browser.client.get(f"/console/contacts/{contact.id}"))


def test_new_contacts_queue_filters_by_the_contacts_nation(browser, signed_in) -> None:
    welsh = phone_call("wales", wants_to_complain=False)
    english = phone_call("england", wants_to_complain=False)
    signed_in("staff")
    page = page_of(browser.client.get("/console/complaints", query_string={"view": "new", "nation": "wales"}))
    assert welsh.reference in page and english.reference not in page


# --- The migration -------------------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    yield from sqlite_database(tmp_path) if request.param == "sqlite" else postgres_database()


def test_migration_fills_the_nation_from_the_home_or_the_complaint(empty_database: Any) -> None:
    runner(empty_database).up("0016_contact_person_messages")
    moment = dt.datetime(2026, 3, 2, 9, 0)
    ids = iter(range(1, 100))

    def insert(table: str, **values: Any) -> int:
        row = next(ids)  # ids given, as PostgreSQL tells the new id only to a RETURNING clause
        Table(table).bind(empty_database).insert(id=row, **values).execute()
        return row

    landlord = insert("landlord", name="Test Homes", created_at=moment)
    home = insert(
        "home", landlord_id=landlord, reference="H-1", address="1 Heol", postcode="SY23 1AA", nation="wales",
        tenure="rented", created_at=moment,
    )  # fmt: skip

    def contact(reference: str, home_id: int | None) -> int:
        return insert(
            "contact", reference=reference, channel="phone", received_at=moment, logged_via="console",
            home_id=home_id, anonymous=False, locale="en", description="Words", description_redacted="Words",
            wants_to_complain=True, interpreter_used=False, representative_consent=False, adjustments="",
            vulnerabilities="[]", status="new", created_at=moment, updated_at=moment,
        )  # fmt: skip

    with_home, opened, waiting = contact("LL-1", home), contact("LL-2", None), contact("LL-3", None)
    ((regime,),) = empty_database.execute_sql("SELECT id FROM regime WHERE code = 'spso'").fetchall()
    insert(
        "complaint", reference="LL-2", contact_id=opened, nation="scotland", regime_id=regime, stage=1,
        status="received", created_at=moment, updated_at=moment,
    )  # fmt: skip
    runner(empty_database).up()
    rows = dict(empty_database.execute_sql("SELECT id, nation FROM contact").fetchall())
    assert rows == {with_home: "wales", opened: "scotland", waiting: None}
