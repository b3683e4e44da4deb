"""Restricted cases: a complaint that names a member of staff is hidden from them, whole, everywhere; need-to-know
cases are seen only by the staff on their list, and every read is logged; staff complained about get a support
record that managers and the handler see and the resident never does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import hazards, journey, notes, restricted
from backend.complaints.models import (
    CaseAccess,
    CaseRead,
    Complaint,
    ComplaintAssignment,
    ComplaintStaff,
    Contact,
)
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import Delivery, OutboxEvent
from backend.notifications.services import case_contact_id
from tests import factories
from tests.factories import actor_of
from tests.test_internal_notes import root_nodes, run_tree

MARKER = "QZV-restricted-5512"
INTROSPECT = """
query {
  __schema {
    queryType { name }
    types {
      name kind
      fields { name args { name type { kind name ofType { kind name ofType { kind name } } } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
    }
  }
}
"""


@dataclass
class Case:
    complaint: Complaint
    handler: Any
    manager: Any
    named: Any
    other: Any


@pytest.fixture
def case() -> Case:
    """An acknowledged complaint, with the resident's words, a staff note, a file, naming a member of staff."""
    handler = factories.make_staff()
    manager = factories.make_user("manager")
    named = factories.make_user("staff", "manager")
    other = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler, description=f"Officer was rude to me. {MARKER}")
    notes.add_note(actor_of(handler), complaint.id, "call_note", f"Spoke to the officer's manager. {MARKER}")
    factories.make_attachment(Contact.get_by_id(complaint.contact_id))
    restricted.name_staff(actor_of(handler), complaint.id, named.id, "subject", "Took the call")
    return Case(Complaint.get_by_id(complaint.id), handler, manager, named, other)


def errors_of(excinfo: Any) -> set[tuple[str, str]]:
    return {(problem.field, problem.code) for problem in excinfo.value.problems}


# --- Staff named: the rules ---------------------------------------------------------------------------------


def test_name_staff_records_part_and_audits(case: Case) -> None:
    row = ComplaintStaff.get(ComplaintStaff.complaint == case.complaint.id)
    assert (row.person_id, row.part, row.details, row.recorded_by_id) == (
        case.named.id,
        "subject",
        "Took the call",
        case.handler.id,
    )
    assert AuditEvent.select().where(AuditEvent.action == "complaint.staff_named").count() == 1


def test_name_staff_refuses_every_missing_part_at_once_and_changes_nothing(case: Case) -> None:
    with pytest.raises(Invalid) as excinfo:
        restricted.name_staff(actor_of(case.handler), case.complaint.id, None, "", "x" * 2001)
    assert errors_of(excinfo) == {("person", "required"), ("part", "required"), ("details", "too_long")}
    assert ComplaintStaff.select().count() == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("handler", "is_handler"), ("named", "already_named"), ("resident", "not_staff")],
)
def test_name_staff_refuses_the_handler_someone_named_and_non_staff(case: Case, who: str, code: str) -> None:
    person = factories.make_user("resident") if who == "resident" else getattr(case, who)
    with pytest.raises(Invalid) as excinfo:
        restricted.name_staff(actor_of(case.manager), case.complaint.id, person.id, "involved")
    assert ("person", code) in errors_of(excinfo)


def test_name_staff_is_for_managers_and_the_handler(case: Case) -> None:
    with pytest.raises(NotAllowed):
        restricted.name_staff(actor_of(case.other), case.complaint.id, factories.make_staff().id, "involved")
    restricted.name_staff(actor_of(case.manager), case.complaint.id, factories.make_staff().id, "involved")


def test_someone_named_cannot_be_assigned_the_complaint(case: Case) -> None:
    with pytest.raises(Invalid) as excinfo:
        journey.assign_complaint(actor_of(case.manager), case.complaint.id, case.named.id)
    assert errors_of(excinfo) == {("handler", "named_in_complaint")}
    assert Complaint.get_by_id(case.complaint.id).handler_id == case.handler.id


def test_someone_named_gets_not_found_for_every_step_as_for_a_missing_complaint(case: Case) -> None:
    actor = actor_of(case.named)
    for complaint_id in (case.complaint.id, 999_999):
        with pytest.raises(NotFound):
            notes.add_note(actor, complaint_id, "call_note", "Looking at my own case")
        with pytest.raises(NotFound):
            journey.assign_complaint(actor, complaint_id, case.named.id)
        with pytest.raises(NotFound):
            restricted.name_staff(actor, complaint_id, case.other.id, "involved")


def test_stage_two_refuses_anyone_who_held_stage_one_even_for_a_while(case: Case) -> None:
    later = factories.make_staff()
    journey.assign_complaint(actor_of(case.manager), case.complaint.id, later.id)
    Complaint.update(status="responded").where(Complaint.id == case.complaint.id).execute()
    journey.escalate_complaint(actor_of(case.manager), case.complaint.id, "Not happy")
    with pytest.raises(Conflict) as excinfo:
        journey.assign_complaint(actor_of(case.manager), case.complaint.id, case.handler.id)
    assert excinfo.value.code == "same_handler"


def test_assignments_record_who_held_each_stage_from_when_to_when(case: Case) -> None:
    later = factories.make_staff()
    journey.assign_complaint(actor_of(case.manager), case.complaint.id, later.id)
    rows = list(
        ComplaintAssignment.select()
        .where(ComplaintAssignment.complaint == case.complaint.id)
        .order_by(ComplaintAssignment.id)
    )
    assert [(r.stage, r.handler_id, r.ended_at is None) for r in rows] == [
        (1, case.handler.id, False),
        (1, later.id, True),
    ]
    assert ComplaintAssignment.get(ComplaintAssignment.handler == case.handler.id).ended_at == rows[1].assigned_at
    Complaint.update(status="responded").where(Complaint.id == case.complaint.id).execute()
    journey.escalate_complaint(actor_of(case.manager), case.complaint.id, "Not happy")
    assert ComplaintAssignment.select().where(ComplaintAssignment.ended_at.is_null()).count() == 0
    with pytest.raises(Conflict):
        journey.assign_complaint(actor_of(case.manager), case.complaint.id, case.handler.id)


def test_clock_notices_never_go_to_someone_the_case_is_hidden_from(clock_at: Any) -> None:
    from backend.complaints.clocks import sweep_clocks
    from backend.events.models import OutboxEvent

    named_manager, other_manager = factories.make_user("manager"), factories.make_user("manager")
    complaint = factories.make_complaint()
    restricted.name_staff(actor_of(other_manager), complaint.id, named_manager.id, "subject")
    clock = complaint.clocks.get()
    clock_at(dt.datetime.combine(clock.due_on, dt.time(12)) + dt.timedelta(days=1))
    sweep_clocks()
    told = {event.payload.get("recipient_id") for event in OutboxEvent.select() if "recipient_id" in event.payload}
    assert other_manager.id in told and named_manager.id not in told


# --- Staff named: hidden from them in the API and the console ----------------------------------------------

QUEUE = """
query ($where: ComplaintWhere) {
  complaints(where: $where) { totalCount nodes { id reference } }
  contacts { totalCount nodes { id reference } }
  caseMessages { totalCount nodes { id body } }
  attachments { totalCount }
  caseNotes { totalCount nodes { body } }
  complaintStages { totalCount }
  complaintPoints { totalCount }
  clocks { totalCount }
  complaintStaffNamed { totalCount }
}
"""


def test_someone_named_finds_nothing_in_lists_filters_or_counts(browser: Any, case: Case) -> None:
    factories.make_complaint()  # one they do see
    browser.sign_in(case.named.email)
    for where in (None, {"reference": {"eq": case.complaint.reference}}, {"id": {"eq": str(case.complaint.id)}}):
        data = browser.graphql(QUEUE, {"where": where}).get_json()["data"]
        assert case.complaint.reference not in str(data)
        assert MARKER not in str(data)
    body = browser.graphql(QUEUE).get_json()
    assert "errors" not in body, body["errors"]
    data = body["data"]
    assert data["complaints"]["totalCount"] == 1
    assert data["contacts"]["totalCount"] == 1
    assert data["caseNotes"]["totalCount"] == 0
    assert data["attachments"]["totalCount"] == 0
    assert data["complaintStaffNamed"]["totalCount"] == 0


def test_the_handler_still_sees_the_case_and_who_it_names(browser: Any, case: Case) -> None:
    browser.sign_in(case.handler.email)
    data = browser.graphql(QUEUE).get_json()["data"]
    assert case.complaint.reference in str(data)
    assert data["complaintStaffNamed"]["totalCount"] == 1


def test_someone_named_gets_null_by_id_and_from_aggregates(browser: Any, case: Case) -> None:
    browser.sign_in(case.named.email)
    body = browser.graphql(
        """query ($id: ID!, $contact: ID!) {
          complaint(id: $id) { reference }
          contact(id: $contact) { reference }
          complaintsAggregate { count }
          contactsAggregate { count }
          caseNotesAggregate { count }
        }""",
        {"id": str(case.complaint.id), "contact": str(case.complaint.contact_id)},
    ).get_json()
    assert body["data"]["complaint"] is None and body["data"]["contact"] is None
    assert "errors" not in body
    assert sum(group["count"] for group in body["data"]["complaintsAggregate"]) == 0
    assert sum(group["count"] for group in body["data"]["contactsAggregate"]) == 0
    assert sum(group["count"] for group in body["data"]["caseNotesAggregate"]) == 0


def test_someone_named_finds_nothing_through_nested_connections(browser: Any, case: Case) -> None:
    later = factories.make_contact()
    Contact.update(related_request=case.complaint.contact_id).where(Contact.id == later.id).execute()
    browser.sign_in(case.named.email)
    body = browser.graphql(
        """{
          contacts { nodes { reference relatedRequest { reference description } complaints { reference } } }
          homes { nodes { reference } }
        }"""
    ).get_json()
    assert "errors" not in body, body
    assert later.reference in str(body)
    assert case.complaint.reference not in str(body) and MARKER not in str(body)
    # The handler, following the same relation, reaches it.
    browser.sign_out()
    browser.sign_in(case.handler.email)
    assert MARKER in str(browser.graphql("{ contacts { nodes { relatedRequest { description } } } }").get_json())


def test_someone_named_finds_no_trace_anywhere_in_the_api(browser: Any, case: Case) -> None:
    browser.sign_in(case.named.email)
    schema = browser.graphql(INTROSPECT).get_json()["data"]["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    note = case.complaint.notes.get()
    ids = sorted({case.complaint.id, case.complaint.contact_id, note.id})
    only = {
        "complaints",
        "contacts",
        "caseMessages",
        "attachments",
        "caseNotes",
        "noteFiles",
        "complaintStages",
        "complaintPoints",
        "clocks",
        "complaintStaffNamed",
        "caseAccessEntries",
        "contactPeople",
        "complaint",
        "contact",
        "caseNote",
    }
    answers = "\n".join(
        answer
        for tree in root_nodes(types, schema["queryType"]["name"], ids, only)
        for answer in run_tree(browser, tree)
    )
    assert MARKER not in answers
    assert case.complaint.reference not in answers
    # The same walk as the handler finds it, so the walk can see what it looks for (two lists are enough, and keep
    # the walk within the time limit on a busy machine).
    browser.sign_out()
    browser.sign_in(case.handler.email)
    answers = "\n".join(
        answer
        for tree in root_nodes(types, schema["queryType"]["name"], ids, {"caseNotes", "contacts"})
        for answer in run_tree(browser, tree)
    )
    assert MARKER in answers


def test_a_contact_merged_into_the_complaint_is_hidden_with_it(browser: Any, case: Case) -> None:
    from backend.complaints.intake import merge_contact
    from backend.context import SYSTEM

    later = factories.make_contact(case.complaint.resident, description=f"And again. {MARKER}")
    merge_contact(SYSTEM, later.id, case.complaint.id, "The same matter")
    with pytest.raises(NotFound):
        restricted.visible_contact(actor_of(case.named), later.id)
    browser.sign_in(case.named.email)
    body = browser.graphql(
        "query ($id: ID!) { contact(id: $id) { id } contacts { totalCount } contactMerges { totalCount } }",
        {"id": str(later.id)},
    ).get_json()
    assert body["data"] == {"contact": None, "contacts": {"totalCount": 0}, "contactMerges": {"totalCount": 0}}
    assert browser.client.get(f"/console/contacts/{later.id}").status_code == 404
    browser.sign_out()
    browser.sign_in(case.handler.email)
    body = browser.graphql("query ($id: ID!) { contact(id: $id) { id } }", {"id": str(later.id)}).get_json()
    assert body["data"]["contact"] == {"id": str(later.id)}


def test_someone_named_gets_the_same_404_for_the_case_page_as_for_a_missing_one(browser: Any, case: Case) -> None:
    browser.sign_in(case.named.email)
    for url in (
        f"/console/complaints/{case.complaint.id}",
        f"/console/contacts/{case.complaint.contact_id}",
    ):
        assert browser.client.get(url).status_code == 404
    assert browser.client.get("/console/complaints/999999").status_code == 404
    queue = browser.client.get("/console/complaints?view=open").get_data(as_text=True)
    assert case.complaint.reference not in queue
    attachment = Contact.get_by_id(case.complaint.contact_id).attachments.get()
    assert browser.client.get(f"/attachments/{attachment.id}").status_code == 404


def test_someone_named_gets_not_found_from_mutations(browser: Any, case: Case) -> None:
    browser.sign_in(case.named.email)
    body = browser.graphql(
        """mutation ($input: ComplaintAddNoteInput!) {
          complaintAddNote(input: $input) { __typename }
        }""",
        {"input": {"id": str(case.complaint.id), "kind": "call_note", "body": "Mine"}},
    ).get_json()
    assert body["data"]["complaintAddNote"]["__typename"] == "NotFoundError"


# --- Support for staff complained about --------------------------------------------------------------------


def test_record_support_keeps_who_told_them_and_refuses_bad_dates_at_once(case: Case) -> None:
    row = ComplaintStaff.get(ComplaintStaff.complaint == case.complaint.id)
    today = dt.date.today()
    with pytest.raises(Invalid) as excinfo:
        restricted.record_support(
            actor_of(case.handler), row.id, today + dt.timedelta(days=3), "x" * 10_001, "", today - dt.timedelta(3)
        )
    assert errors_of(excinfo) == {
        ("told_on", "in_future_for_staff"),
        ("support_offered", "too_long"),
        ("outcome_shared_on", "before_told"),
    }
    restricted.record_support(
        actor_of(case.manager), row.id, today, "A meeting with their manager", "I was polite", None
    )
    row = ComplaintStaff.get_by_id(row.id)
    assert (row.told_on, row.told_by_id, row.support_offered) == (
        today,
        case.manager.id,
        "A meeting with their manager",
    )


def test_support_is_for_managers_and_the_handler_only(browser: Any, case: Case) -> None:
    row = ComplaintStaff.get(ComplaintStaff.complaint == case.complaint.id)
    with pytest.raises(NotAllowed):
        restricted.record_support(actor_of(case.other), row.id, None, "", "", None)
    with pytest.raises(NotFound):
        restricted.record_support(actor_of(case.named), row.id, None, "", "", None)
    restricted.record_support(actor_of(case.handler), row.id, None, f"Support {MARKER}", "", None)
    browser.sign_in(case.other.email)
    assert (
        browser.graphql("{ complaintStaffNamed { totalCount } }").get_json()["data"]["complaintStaffNamed"][
            "totalCount"
        ]
        == 0
    )
    browser.sign_out()
    resident = factories.make_user("resident")
    browser.sign_in(resident.email)
    body = browser.graphql("{ complaintStaffNamed { totalCount } }").get_json()
    assert "errors" in body  # residents' schema has no such list at all


# --- Need-to-know -----------------------------------------------------------------------------------------


@pytest.fixture
def secret(case: Case) -> Case:
    """The same case made need-to-know by the manager."""
    restricted.restrict_case(actor_of(case.manager), case.complaint.contact_id, "safeguarding", "Risk to a child")
    return case


def test_restrict_puts_the_manager_and_handler_on_the_list_and_audits(secret: Case) -> None:
    listed = {row.person_id for row in CaseAccess.select()}
    assert listed == {secret.manager.id, secret.handler.id}
    contact = Contact.get_by_id(secret.complaint.contact_id)
    assert (contact.restricted_kind, contact.restricted_reason, contact.restricted_by_id) == (
        "safeguarding",
        "Risk to a child",
        secret.manager.id,
    )
    assert AuditEvent.select().where(AuditEvent.action == "contact.restricted").count() == 1


def test_restrict_refuses_everything_missing_at_once_and_staff_who_are_not_managers(case: Case) -> None:
    with pytest.raises(Invalid) as excinfo:
        restricted.restrict_case(actor_of(case.manager), case.complaint.contact_id, "", " ")
    assert errors_of(excinfo) == {("kind", "required"), ("reason", "required")}
    with pytest.raises(NotAllowed):
        restricted.restrict_case(actor_of(case.handler), case.complaint.contact_id, "safeguarding", "Because")
    assert Contact.get_by_id(case.complaint.contact_id).restricted_kind is None
    assert CaseAccess.select().count() == 0


def test_need_to_know_hides_the_case_from_staff_not_on_the_list(browser: Any, secret: Case) -> None:
    browser.sign_in(secret.other.email)
    data = browser.graphql(QUEUE).get_json()["data"]
    assert secret.complaint.reference not in str(data) and MARKER not in str(data)
    assert browser.client.get(f"/console/complaints/{secret.complaint.id}").status_code == 404
    with pytest.raises(NotFound):
        notes.add_note(actor_of(secret.other), secret.complaint.id, "call_note", "Curious")


def test_grant_and_revoke_access(browser: Any, secret: Case) -> None:
    contact_id = secret.complaint.contact_id
    with pytest.raises(Invalid) as excinfo:
        restricted.grant_access(actor_of(secret.manager), contact_id, secret.named.id, "")
    assert errors_of(excinfo) == {("person", "named"), ("reason", "required")}
    restricted.grant_access(actor_of(secret.manager), contact_id, secret.other.id, "Covers the handler's leave")
    assert restricted.visible_complaint(actor_of(secret.other), secret.complaint.id).id == secret.complaint.id
    with pytest.raises(Invalid):
        restricted.revoke_access(actor_of(secret.manager), contact_id, secret.handler.id)
    restricted.revoke_access(actor_of(secret.manager), contact_id, secret.other.id)
    with pytest.raises(NotFound):
        restricted.visible_complaint(actor_of(secret.other), secret.complaint.id)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("contact.access"))]
    assert actions.count("contact.access_granted") == 3 and actions.count("contact.access_revoked") == 1


def test_a_need_to_know_case_goes_only_to_a_handler_on_its_list(secret: Case) -> None:
    with pytest.raises(Invalid) as excinfo:
        journey.assign_complaint(actor_of(secret.manager), secret.complaint.id, secret.other.id)
    assert errors_of(excinfo) == {("handler", "need_to_know")}


def test_every_read_is_logged_once_per_request_with_the_operation(browser: Any, secret: Case) -> None:
    browser.sign_in(secret.handler.email)
    query = """query Peek($id: ID!, $contact: ID!) {
      complaint(id: $id) { reference contact { reference } }
      contact(id: $contact) { reference }
      complaints { nodes { reference } }
    }"""
    browser.graphql(query, {"id": str(secret.complaint.id), "contact": str(secret.complaint.contact_id)})
    reads = list(CaseRead.select())
    assert [(r.contact_id, r.person_id, r.via) for r in reads] == [
        (secret.complaint.contact_id, secret.handler.id, "Peek")
    ]
    browser.client.get(f"/console/complaints/{secret.complaint.id}")
    assert CaseRead.select().where(CaseRead.via == "ConsoleComplaint").count() == 1


@pytest.mark.parametrize(
    "field",
    ["caseMessages { nodes { id } }", "complaintPoints { nodes { text } }", "clocks { nodes { dueOn } }",
     "complaintStages { nodes { number } }"],
)  # fmt: skip
def test_reading_any_part_of_a_need_to_know_case_is_logged(browser: Any, secret: Case, field: str) -> None:
    factories.make_case_message(secret.complaint) if "caseMessages" in field else None
    browser.sign_in(secret.handler.email)
    body = browser.graphql(f"query Part {{ {field} }}").get_json()
    assert "errors" not in body, body
    rows = next(iter(body["data"].values()))["nodes"]
    assert rows, field  # the part was read
    reads = [(r.contact_id, r.person_id, r.via) for r in CaseRead.select()]
    assert reads == [(secret.complaint.contact_id, secret.handler.id, "Part")]


def test_reading_cases_that_are_not_need_to_know_logs_nothing(browser: Any, case: Case) -> None:
    browser.sign_in(case.handler.email)
    browser.client.get(f"/console/complaints/{case.complaint.id}")
    assert CaseRead.select().count() == 0


def test_managers_on_the_list_review_the_read_log_others_cannot(browser: Any, secret: Case) -> None:
    browser.sign_in(secret.handler.email)
    browser.client.get(f"/console/complaints/{secret.complaint.id}")
    browser.sign_out()
    browser.sign_in(secret.manager.email)
    body = browser.graphql("{ caseReads { nodes { via person { id } contact { id } } } }").get_json()
    vias = [node["via"] for node in body["data"]["caseReads"]["nodes"]]
    assert "ConsoleComplaint" in vias
    browser.sign_out()
    other_manager = factories.make_user("manager")
    browser.sign_in(other_manager.email)
    body = browser.graphql("{ caseReads { totalCount } }").get_json()
    assert body["data"]["caseReads"]["totalCount"] == 0


# --- The console pages ------------------------------------------------------------------------------------


def test_console_names_staff_after_a_confirmation(browser: Any, case: Case) -> None:
    extra = factories.make_staff()
    browser.sign_in(case.handler.email)
    url = f"/console/complaints/{case.complaint.id}/staff"
    page = browser.client.get(url).get_data(as_text=True)
    assert case.named.display_name in page
    answer = browser.submit(url, {"person": str(extra.id), "part": "involved", "details": "Was at the visit"})
    assert answer.status_code == 200
    assert "This cannot be undone." in answer.get_data(as_text=True)
    assert ComplaintStaff.select().where(ComplaintStaff.person == extra.id).count() == 0
    answer = browser.submit(
        url, {"person": str(extra.id), "part": "involved", "details": "Was at the visit", "confirmed": "yes"}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/console/complaints/{case.complaint.id}")
    assert ComplaintStaff.select().where(ComplaintStaff.person == extra.id).count() == 1


def test_console_name_staff_shows_every_problem(browser: Any, case: Case) -> None:
    browser.sign_in(case.handler.email)
    url = f"/console/complaints/{case.complaint.id}/staff"
    answer = browser.submit(url, {"person": "", "part": "", "details": "x" * 2001})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Choose a member of staff." in text and "Choose their part" in text and "2000 characters" in text
    answer = browser.submit(url, {"person": str(case.handler.id), "part": "subject", "confirmed": "yes"})
    assert answer.status_code == 400 and "Give the case to someone else first" in answer.get_data(as_text=True)


def test_console_support_record(browser: Any, case: Case) -> None:
    row = ComplaintStaff.get(ComplaintStaff.complaint == case.complaint.id)
    browser.sign_in(case.manager.email)
    url = f"/console/complaints/{case.complaint.id}/staff/{row.id}/support"
    assert browser.client.get(url).status_code == 200
    today = dt.date.today().isoformat()
    answer = browser.submit(
        url, {"told_on": today, "support_offered": "Union rep", "staff_input": "", "outcome_shared_on": ""}
    )
    assert answer.status_code == 302
    assert ComplaintStaff.get_by_id(row.id).support_offered == "Union rep"
    browser.sign_out()
    browser.sign_in(case.other.email)
    assert browser.client.get(url).status_code == 404


def test_console_need_to_know_flow_and_read_log(browser: Any, case: Case) -> None:
    contact_id = case.complaint.contact_id
    browser.sign_in(case.manager.email)
    url = f"/console/contacts/{contact_id}/need-to-know"
    answer = browser.submit(url, {"action": "restrict", "restrict-kind": "", "restrict-reason": ""})
    assert answer.status_code == 400
    assert Contact.get_by_id(contact_id).restricted_kind is None
    answer = browser.submit(
        url, {"action": "restrict", "restrict-kind": "domestic_abuse", "restrict-reason": "Ex-partner"}
    )
    assert answer.status_code == 302
    assert Contact.get_by_id(contact_id).restricted_kind == "domestic_abuse"
    answer = browser.submit(url, {"action": "grant", "grant-person": str(case.other.id), "grant-reason": "Cover"})
    assert answer.status_code == 302
    assert restricted.on_access_list(contact_id, case.other.id)
    answer = browser.client.post(
        f"/console/contacts/{contact_id}/need-to-know/remove/{case.other.id}",
        data={"csrf_token": browser.csrf(url)},
    )
    assert answer.status_code == 302 and not restricted.on_access_list(contact_id, case.other.id)
    reads = browser.client.get(f"/console/contacts/{contact_id}/reads").get_data(as_text=True)
    assert "ConsoleCaseAccess" in reads  # the manager's own reads of the page are logged too
    browser.sign_out()
    browser.sign_in(case.other.email)
    assert browser.client.get(f"/console/complaints/{case.complaint.id}").status_code == 404
    assert browser.client.get(url).status_code == 403


DELIVERIES_OF_CASE = """query ($contact: ID!) {
  case: deliveries(where: {contactId: {eq: $contact}}) { totalCount }
  all: deliveries { totalCount }
}"""


def test_hazard_deliveries_of_a_need_to_know_case_are_not_there_for_staff_off_its_list(browser: Any) -> None:
    manager = factories.make_user("manager")
    outsider = factories.make_staff()
    contact = factories.make_contact(description="Black mould in the bedroom; my partner must not know I rang.")
    restricted.restrict_case(actor_of(manager), contact.id, "domestic_abuse", "The resident asked us to.")
    hazards.flag_hazard(actor_of(manager), contact.id, "damp_mould", "significant", "Bedroom wall.")
    factories.make_delivery(user=outsider)  # about no case: everyone on the staff sees it
    planned = Delivery.select().where(Delivery.contact_id == contact.id)
    assert planned.count() >= 2 and {d.complaint_id for d in planned} == {None}  # the notices and the letter
    browser.sign_in(manager.email)
    seen = browser.graphql(DELIVERIES_OF_CASE, {"contact": str(contact.id)}).get_json()["data"]
    assert seen["case"]["totalCount"] == planned.count()
    browser.sign_out()
    browser.sign_in(outsider.email)
    hidden = browser.graphql(DELIVERIES_OF_CASE, {"contact": str(contact.id)}).get_json()["data"]
    assert hidden["case"]["totalCount"] == 0
    assert hidden["all"]["totalCount"] == seen["all"]["totalCount"] - planned.count() > 0


def test_hazard_deliveries_of_a_case_naming_staff_are_not_there_for_them(browser: Any, case: Case) -> None:
    hazards.flag_hazard(actor_of(case.handler), case.complaint.contact_id, "damp_mould", "significant")
    hazard_ids = Delivery.select(Delivery.id).join(OutboxEvent).where(OutboxEvent.name.startswith("hazard."))
    assert (
        Delivery.select().where(Delivery.id.in_(hazard_ids), Delivery.contact_id == case.complaint.contact_id).exists()
    )
    browser.sign_in(case.named.email)
    hidden = browser.graphql(DELIVERIES_OF_CASE, {"contact": str(case.complaint.contact_id)}).get_json()["data"]
    assert hidden["case"]["totalCount"] == 0


@pytest.mark.parametrize("key", ["contact_id", "hazard_id", "complaint_id"])
def test_case_contact_id_is_found_from_each_kind_of_event(case: Case, key: str) -> None:
    hazard = factories.make_hazard(Contact.get_by_id(case.complaint.contact_id))
    ids = {"contact_id": case.complaint.contact_id, "hazard_id": hazard.id, "complaint_id": case.complaint.id}
    assert case_contact_id({key: ids[key], "reference": "LL-2026-000001"}) == case.complaint.contact_id


@pytest.mark.parametrize(
    "payload", [{}, {"user_id": 3}, {"hazard_id": 999_999}, {"contact_id": "7"}, {"contact_id": True}]
)
def test_case_contact_id_of_an_event_about_no_case_is_none(payload: dict[str, Any]) -> None:
    assert case_contact_id(payload) is None


def test_deliveries_and_audit_entries_of_a_hidden_case_are_not_there_for_the_person_it_names(
    browser: Any, case: Case
) -> None:
    delivery = factories.make_delivery(user=case.handler)
    Delivery.update(complaint_id=case.complaint.id).where(Delivery.id == delivery.id).execute()
    factories.make_delivery(user=case.handler)  # about no complaint: everyone on the staff sees it
    query = """query ($id: ID!, $key: String!, $contact: String!, $contactId: ID!) {
      deliveries(where: {complaintId: {eq: $id}}) { totalCount }
      ofCase: deliveries(where: {or: [{complaintId: {eq: $id}}, {contactId: {eq: $contactId}}]}) { totalCount }
      all: deliveries { totalCount }
      complaintAudit: auditEvents(where: {entityType: {eq: "complaint"}, entityId: {eq: $key}}) { totalCount }
      contactAudit: auditEvents(where: {entityType: {eq: "contact"}, entityId: {eq: $contact}}) { totalCount }
    }"""
    variables = {
        "id": str(case.complaint.id),
        "key": str(case.complaint.id),
        "contact": str(case.complaint.contact_id),
        "contactId": str(case.complaint.contact_id),
    }
    browser.sign_in(case.manager.email)
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    seen = body["data"]
    assert seen["deliveries"]["totalCount"] >= 1 and seen["complaintAudit"]["totalCount"] >= 1
    assert seen["contactAudit"]["totalCount"] >= 1
    browser.sign_out()
    browser.sign_in(case.named.email)  # a manager too, but the complaint names them
    hidden = browser.graphql(query, variables).get_json()["data"]
    assert hidden["deliveries"]["totalCount"] == 0
    assert hidden["ofCase"]["totalCount"] == 0
    assert hidden["all"]["totalCount"] == seen["all"]["totalCount"] - seen["ofCase"]["totalCount"] > 0
    assert hidden["complaintAudit"]["totalCount"] == 0 and hidden["contactAudit"]["totalCount"] == 0
