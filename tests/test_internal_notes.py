"""Staff notes stay with staff: no resident, advocate or panel member sees a note or its files, on any page,
through any field of the API, or in anything sent out. The resident's own words, written down by staff, are
shown back to the resident as such."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from peewee import DatabaseError

from backend.complaints import journey, notes, responses
from backend.complaints.files import Upload
from backend.complaints.models import Attachment, CaseMessage, CaseNote, NoteFile
from backend.context import SYSTEM
from backend.db import db
from backend.errors import Invalid, NotAllowed, NotFound
from backend.events.models import Delivery, OutboxEvent
from backend.notifications.models import Letter, PortalMessage
from tests import factories
from tests.factories import actor_of

MARKER = "ZQX-internal-7731"
FILE_MARKER = b"ZQXFILE-internal-7731"
TOO_LONG = "Document contains more than"
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
ADD_NOTE = """
mutation ($input: ComplaintAddNoteInput!) {
  complaintAddNote(input: $input) {
    __typename
    ... on ComplaintNoteAdded { note { id kind body stage createdBy { id } files { fileName } } }
    ... on ValidationError { field code message }
    ... on NotAllowedError { message }
    ... on NotFoundError { message }
  }
}
"""


def png_with_text(text: bytes) -> bytes:
    """A real one-pixel PNG carrying ``text`` in a tEXt chunk, so its bytes can be looked for."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def note_upload() -> Upload:
    return Upload("site-visit.png", io.BytesIO(png_with_text(FILE_MARKER)))


# --- The service -----------------------------------------------------------------------------------------


def test_add_note_keeps_kind_stage_author_and_audit() -> None:
    from backend.audit.models import AuditEvent

    staff = factories.make_staff()
    complaint = factories.acknowledged_complaint(staff)
    note = notes.add_note(actor_of(staff), complaint.id, "call_note", f"  Rang the resident. {MARKER}  ")
    assert (note.kind, note.body, note.stage, note.created_by_id) == (  # type: ignore[attr-defined]
        "call_note",
        f"Rang the resident. {MARKER}",
        1,
        staff.id,
    )
    audit = AuditEvent.get(AuditEvent.action == "complaint.note_added")
    assert audit.entity_id == str(complaint.id) and audit.changes["note"]["after"]["kind"] == "call_note"
    assert MARKER not in str(audit.changes)
    # A note is nobody's message: nothing was added to what the resident sees.
    assert not CaseMessage.select().where(CaseMessage.body.contains(MARKER)).exists()


def test_add_note_files_belong_to_the_note_not_to_the_contact() -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint()
    before = Attachment.select().count()
    note = notes.add_note(actor_of(staff), complaint.id, "investigation_document", "Surveyor's photo.", [note_upload()])
    (row,) = NoteFile.select().where(NoteFile.note == note.id)
    assert row.file_name == "site-visit.png" and row.media_type == "image/png"
    assert Attachment.select().count() == before
    stored, stream = notes.open_note_file(actor_of(staff), row.id)
    with stream:
        assert FILE_MARKER in stream.read()


def test_add_note_on_a_closed_complaint_is_kept() -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint()
    journey.withdraw_complaint(actor_of(staff), complaint.id, "They asked us to stop.")
    note = notes.add_note(actor_of(staff), complaint.id, "third_party_correspondence", "Letter from their MP.")
    assert note.id is not None


@pytest.mark.parametrize(
    ("kind", "body", "field", "code"),
    [
        ("", "Text", "kind", "required"),
        ("gossip", "Text", "kind", "unsupported"),
        ("call_note", "   ", "body", "required"),
        ("call_note", "x" * (notes.MAX_BODY + 1), "body", "too_long"),
    ],
)
def test_add_note_with_bad_input_is_refused(kind: str, body: str, field: str, code: str) -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Invalid) as refused:
        notes.add_note(actor_of(factories.make_staff()), complaint.id, kind, body)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert CaseNote.select().count() == 0


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_add_note_by_someone_not_staff_is_not_allowed(role: str) -> None:
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(resident)
    actor = actor_of(resident) if role == "resident" else actor_of(factories.make_user(role))
    with pytest.raises(NotAllowed):
        notes.add_note(actor, complaint.id, "internal_note", "Not theirs to write.")


def test_add_note_with_a_read_only_token_is_not_allowed() -> None:
    from backend.context import Actor

    staff = factories.make_staff()
    actor = Actor(user_id=staff.id, roles=frozenset({"staff"}), token_id=1, scope="read")
    with pytest.raises(NotAllowed):
        notes.add_note(actor, factories.make_complaint().id, "internal_note", "Read-only.")


def test_add_note_to_no_such_complaint_is_not_found() -> None:
    with pytest.raises(NotFound):
        notes.add_note(actor_of(factories.make_staff()), 987_654, "internal_note", "Nowhere.")


def test_note_cannot_be_changed_by_the_model_or_the_database() -> None:
    note = factories.make_case_note()
    note.body = "Rewritten"
    with pytest.raises(Exception, match="cannot be changed"):
        note.save()
    with pytest.raises(DatabaseError, match="append-only"), db.atomic():  # a savepoint: PostgreSQL aborts the rest
        CaseNote.update(body="Rewritten").where(CaseNote.id == note.id).execute()
    assert CaseNote.get_by_id(note.id).body != "Rewritten"


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_note_file_is_not_found_for_anyone_not_staff(role: str) -> None:
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(resident)
    note = notes.add_note(actor_of(factories.make_staff()), complaint.id, "internal_note", "x", [note_upload()])
    row = NoteFile.get(NoteFile.note == note.id)
    viewer = resident if role == "resident" else factories.make_user(role)
    if role == "advocate":
        factories.make_representation(viewer, resident)
    with pytest.raises(NotFound):
        notes.open_note_file(actor_of(viewer), row.id)


# --- A case with a note, seen from every side --------------------------------------------------------------


class Case:
    """A resident's complaint with a note and a note's file, their consenting advocate, and a panel member."""

    def __init__(self) -> None:
        self.staff = factories.make_staff()
        self.resident = factories.make_user(home=factories.make_home())
        self.advocate = factories.make_user("advocate")
        factories.make_representation(self.advocate, self.resident)
        self.panel = factories.make_user("panel_member")
        self.complaint = factories.make_complaint(self.resident)
        staff = actor_of(self.staff)
        journey.add_information(staff, self.complaint.id, "They said the boiler failed again on Sunday.")
        self.note = notes.add_note(staff, self.complaint.id, "call_note", f"Our own view: {MARKER}", [note_upload()])
        self.file = NoteFile.get(NoteFile.note == self.note.id)
        journey.acknowledge_complaint(staff, self.complaint.id, [("The boiler", "Fix it")], "A working boiler")
        point = self.complaint.points.get()
        responses.respond_to_complaint(
            staff,
            self.complaint.id,
            {point.id: ("upheld", "The repair was late.")},
            "We missed the appointment.",
            "Ask us for stage 2 if you are not happy.",
            [responses.RemedyInput("apology", "We apologise.", dt.date(2030, 1, 10), owner_id=self.staff.id)],
            [],
            underlying_cause="The appointment was not confirmed.",
            remedial_action="Appointments are confirmed the day before.",
        )
        self.invitation = factories.make_survey_invitation(user=self.resident)

    def arguments(self) -> dict[str, list[Any]]:
        """Values for each URL argument: every id a walker might try, the note's own ids among them."""
        attachments = [a.id for a in Attachment.select(Attachment.id)]
        return {
            "contact_id": [self.complaint.contact_id],  # type: ignore[attr-defined]
            "complaint_id": [self.complaint.id],
            "attachment_id": sorted({*attachments, self.file.id, self.note.id}),
            "file_id": [self.file.id],
            "invitation_id": [self.invitation.id],
            "token": ["not-a-real-token"],
            "fmt": ["csv", "pdf", "xlsx"],  # a report's files
        }


@pytest.fixture
def case() -> Case:
    return Case()


def dispatch_everything() -> None:
    from tasks.dispatch import dispatch_event

    for event in OutboxEvent.select().where(OutboxEvent.dispatched_at.is_null()).order_by(OutboxEvent.id):
        dispatch_event.call_local(event.id)


def urls(app: Any, values: dict[str, list[Any]]) -> Iterator[str]:
    """Every GET route of the app (console and API included), with each argument filled in every way."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        choices: list[dict[str, Any]] = [{}]
        for name in rule.arguments:
            # An argument that takes one of a few words (any(...)) is filled with each of them.
            words = sorted(getattr(rule._converters.get(name), "items", ()))
            options = values.get(name, words or [1])
            choices = [{**made, name: value} for made in choices for value in options]
        for filled in choices:
            yield rule.build(filled, append_unknown=False)[1]


def walk(browser: Any, app: Any, case: Case) -> dict[str, bytes]:
    pages = {}
    for url in urls(app, case.arguments()):
        response = browser.client.get(url)
        pages[url] = response.get_data()
    return pages


def leaks(pages: dict[str, bytes]) -> list[str]:
    return [url for url, body in pages.items() if MARKER.encode() in body or FILE_MARKER in body]


@pytest.mark.parametrize("who", ["resident", "advocate", "panel"])
def test_no_page_shows_a_note_or_serves_its_file(app, browser, case: Case, who: str) -> None:
    dispatch_everything()
    browser.sign_in(getattr(case, who).email)
    pages = walk(browser, app, case)
    assert f"/cases/{case.complaint.contact_id}" in pages  # type: ignore[attr-defined]
    assert "/messages" in pages and "/panel/" in pages
    assert leaks(pages) == []
    assert browser.client.get(f"/console/notes/files/{case.file.id}").status_code == 404


def test_same_walk_as_staff_finds_the_note_and_its_file(app, browser, case: Case) -> None:
    """The walk can see a note when one is there to see: staff are shown it on the console."""
    browser.sign_in(case.staff.email)
    found = leaks(walk(browser, app, case))
    assert f"/console/complaints/{case.complaint.id}" in found
    assert f"/console/notes/files/{case.file.id}" in found


def test_resident_case_page_shows_their_words_written_down_by_staff(browser, case: Case) -> None:
    browser.sign_in(case.resident.email)
    page = browser.client.get(f"/cases/{case.complaint.contact_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "They said the boiler failed again on Sunday." in page
    assert "What you told us, written down by our staff" in page


def test_nothing_sent_out_holds_a_note(case: Case, mail_dir) -> None:
    dispatch_everything()
    assert Delivery.select().count() > 0
    for model, fields in ((Delivery, ("body", "subject", "action")), (Letter, ("body",)), (PortalMessage, ("body",))):
        for row in model.select():
            for name in fields:
                assert MARKER not in (getattr(row, name, "") or ""), (model.__name__, name)
    for path in mail_dir.glob("*.eml"):
        assert MARKER.encode() not in path.read_bytes()


# --- The API, walked from its own schema ------------------------------------------------------------------


def unwrap(type_ref: dict[str, Any]) -> tuple[str, str, bool]:
    """(kind, name, is_list) of a field's type without its NON_NULL and LIST wrappers."""
    is_list = False
    while type_ref["kind"] in ("NON_NULL", "LIST"):
        is_list = is_list or type_ref["kind"] == "LIST"
        type_ref = type_ref["ofType"]
    return type_ref["kind"], type_ref["name"], is_list


@dataclass(frozen=True)
class Node:
    """A field with its arguments and the fields chosen inside it."""

    text: str
    children: tuple[Node, ...] = ()

    def render(self) -> str:
        if not self.children:
            return self.text
        return f"{self.text} {{ {' '.join(child.render() for child in self.children)} }}"

    def split(self) -> list[Node]:
        """The same fields in smaller pieces, each keeping its path: for a query too costly to run at once."""
        if len(self.children) > 1:
            half = len(self.children) // 2
            return [Node(self.text, self.children[:half]), Node(self.text, self.children[half:])]
        if self.children and self.children[0].children:
            return [Node(self.text, (part,)) for part in self.children[0].split()]
        # One path of nested lists costs more than the viewer may ever ask for: it reads nothing.
        return []


def node(
    types: dict[str, Any], text: str, name: str, depth: int = 3, seen: frozenset[str] = frozenset()
) -> Node | None:
    """Every field of an object type and of the objects it leads to, ``depth`` objects deep, entering no type
    twice on one path; lists three at a time. Every readable type has a root list of its own, so every row
    the viewer may read is reached with every one of its fields, and its relations from there."""
    seen = seen | {name}
    children = []
    for field in types[name]["fields"] or []:
        kind, target, _ = unwrap(field["type"])
        if any(a["type"]["kind"] == "NON_NULL" for a in field["args"]) or field["name"] == "edges":
            continue  # edges hold the same nodes as ``nodes``
        arguments = "(first: 3)" if any(a["name"] == "first" for a in field["args"]) else ""
        if kind in ("SCALAR", "ENUM"):
            children.append(Node(field["name"]))
        elif kind == "OBJECT" and target not in seen and depth > 0:
            inner = node(types, field["name"] + arguments, target, depth - 1, seen)
            if inner is not None:
                children.append(inner)
    return Node(text, tuple(children)) if children else None


def root_nodes(types: dict[str, Any], root: str, ids: list[int], only: set[str] | None) -> Iterator[Node]:
    """One tree per root field (or those named in ``only``): lists as they come, single records by each id."""
    for field in types[root]["fields"]:
        if only is not None and field["name"] not in only:
            continue
        kind, target, _ = unwrap(field["type"])
        required = [a["name"] for a in field["args"] if a["type"]["kind"] == "NON_NULL"]
        if kind != "OBJECT" or set(required) - {"id"}:
            continue
        if "id" in required:
            texts = [f'{field["name"]}(id: "{value}")' for value in ids]
        else:
            texts = [field["name"] + ("(first: 3)" if any(a["name"] == "first" for a in field["args"]) else "")]
        for text in texts:
            made = node(types, text, target)
            if made is not None:
                yield made


def run_tree(browser: Any, tree: Node) -> Iterator[str]:
    """Run the query for ``tree``, split into smaller queries while it costs more than the viewer may ask."""
    body = browser.graphql(f"query {{ {tree.render()} }}").get_json()
    errors = body.get("errors") or []
    too_big = [
        e
        for e in errors
        if (e.get("extensions") or {}).get("code") == "COST_LIMIT_EXCEEDED" or TOO_LONG in e["message"]
    ]
    if errors and too_big == errors:
        for part in tree.split():
            yield from run_tree(browser, part)
        return
    assert not body.get("errors"), (tree.text, body.get("errors"))
    yield str(body["data"])


def api_walk(browser: Any, case: Case, only: set[str] | None = None) -> tuple[dict[str, Any], str]:
    schema = browser.graphql(INTROSPECT).get_json()["data"]["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    ids = sorted({case.complaint.id, case.complaint.contact_id, case.note.id, case.file.id})  # type: ignore[attr-defined]
    answers = [
        answer
        for tree in root_nodes(types, schema["queryType"]["name"], ids, only)
        for answer in run_tree(browser, tree)
    ]
    return types, "\n".join(answers)


@pytest.mark.usefixtures("no_rate_limits")  # the walk sends hundreds of queries in a minute
@pytest.mark.parametrize("who", ["resident", "advocate", "panel"])
def test_no_field_of_the_api_shows_a_note(browser, case: Case, who: str) -> None:
    browser.sign_in(getattr(case, who).email)
    types, answers = api_walk(browser, case)
    assert not {"CaseNote", "NoteFile", "ComplaintAddNoteInput"} & set(types)
    assert MARKER not in answers
    if who != "panel":
        # The walk reached the complaint and the resident's words on it.
        assert "They said the boiler failed again on Sunday." in answers
        assert "'recordedByStaff': True" in answers


def test_same_api_walk_as_staff_finds_the_note(browser, case: Case) -> None:
    browser.sign_in(case.staff.email)
    types, answers = api_walk(browser, case, only={"complaints"})
    assert "CaseNote" in types
    assert MARKER in answers


@pytest.mark.parametrize("who", ["resident", "advocate"])
def test_message_not_addressed_to_the_resident_is_not_in_their_api(browser, case: Case, who: str) -> None:
    """Whatever other directions a message may come to have, residents read only those two."""
    CaseMessage.create(
        contact=case.complaint.contact_id,  # type: ignore[attr-defined]
        complaint=case.complaint.id,
        direction="internal",
        kind="internal",
        body=MARKER,
    )
    query = "{ complaints { nodes { messages { direction body } messagesCount } } caseMessages { totalCount } }"
    browser.sign_in(case.staff.email)
    assert MARKER in str(browser.graphql("{ caseMessages { nodes { body } } }").get_json()["data"])
    browser.sign_out()
    browser.sign_in(getattr(case, who).email)
    data = browser.graphql(query).get_json()["data"]
    messages = data["complaints"]["nodes"][0]["messages"]
    assert messages and {m["direction"] for m in messages} <= {"to_resident", "from_resident"}
    assert MARKER not in str(data)
    assert data["caseMessages"]["totalCount"] == len(messages) == data["complaints"]["nodes"][0]["messagesCount"]


def test_add_note_through_graphql_as_staff_returns_the_note(browser, signed_in) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint()
    body = browser.graphql(
        ADD_NOTE, {"input": {"id": str(complaint.id), "kind": "internal_correspondence", "body": "From repairs."}}
    ).get_json()
    made = body["data"]["complaintAddNote"]
    assert made["__typename"] == "ComplaintNoteAdded"
    assert made["note"]["kind"] == "internal_correspondence" and made["note"]["createdBy"]["id"] == str(staff.id)


@pytest.mark.parametrize(
    ("values", "typename", "field"),
    [
        ({"kind": "call_note", "body": ""}, "ValidationError", "body"),
        ({"kind": "call_note", "body": "x", "id": "999999"}, "NotFoundError", None),
    ],
)
def test_add_note_through_graphql_with_bad_input_gives_a_typed_error(
    browser, signed_in, values: dict[str, Any], typename: str, field: str | None
) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    body = browser.graphql(ADD_NOTE, {"input": {"id": str(complaint.id), **values}}).get_json()
    made = body["data"]["complaintAddNote"]
    assert made["__typename"] == typename
    if field:
        assert made["field"] == field and made["message"]
    assert CaseNote.select().count() == 0


def test_add_note_with_an_unknown_kind_is_refused_by_the_schema(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    body = browser.graphql(ADD_NOTE, {"input": {"id": str(complaint.id), "kind": "gossip", "body": "x"}}).get_json()
    assert body["data"] is None and "'NoteKind'" in body["errors"][0]["message"]
    assert CaseNote.select().count() == 0


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_add_note_is_not_in_the_api_for_others(browser, signed_in, role: str) -> None:
    signed_in(role)
    complaint = factories.make_complaint()
    body = browser.graphql(ADD_NOTE, {"input": {"id": str(complaint.id), "kind": "call_note", "body": "x"}}).get_json()
    assert body.get("errors") and not body.get("data")
    assert CaseNote.select().count() == 0


# --- The console ------------------------------------------------------------------------------------------


def test_console_adds_a_note_with_a_file_and_lists_it_for_staff_only(browser, signed_in) -> None:
    staff = signed_in("staff")
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(resident)
    page = f"/console/complaints/{complaint.id}"
    response = browser.submit(
        f"{page}/note",
        {
            "note-kind": "call_note",
            "note-body": f"Called them back. {MARKER}",
            "note-attachments": (io.BytesIO(png_with_text(FILE_MARKER)), "visit.png"),
        },
        page=page,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    shown = browser.client.get(page).get_data(as_text=True)
    assert MARKER in shown and "Call note" in shown and staff.display_name in shown
    file_row = NoteFile.get()
    assert f"/console/notes/files/{file_row.id}" in shown
    assert FILE_MARKER in browser.client.get(f"/console/notes/files/{file_row.id}").get_data()
    browser.sign_out()
    browser.sign_in(resident.email)
    case_page = browser.client.get(f"/cases/{complaint.contact_id}")  # type: ignore[attr-defined]
    assert case_page.status_code == 200 and MARKER not in case_page.get_data(as_text=True)
    assert browser.client.get(f"/console/notes/files/{file_row.id}").status_code == 404


def test_console_note_without_a_kind_or_text_shows_both_errors_and_keeps_what_was_typed(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    page = f"/console/complaints/{complaint.id}"
    response = browser.submit(f"{page}/note", {"note-body": ""}, page=page)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose what kind of note this is." in text and "Write the note." in text
    assert 'href="#note-kind-0"' in text  # the error summary links to the field
    response = browser.submit(f"{page}/note", {"note-body": "Kept words", "note-kind": ""}, page=page)
    assert "Kept words" in response.get_data(as_text=True)
    assert CaseNote.select().count() == 0


def test_console_adds_the_residents_words_which_the_resident_sees(browser, signed_in) -> None:
    signed_in("staff")
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(resident)
    page = f"/console/complaints/{complaint.id}"
    shown = browser.client.get(page).get_data(as_text=True)
    assert "Add the resident's words (they will see this)" in shown
    assert "Add an internal note (staff only)" in shown
    response = browser.submit(f"{page}/words", {"words-body": "The damp is back in the bedroom."}, page=page)
    assert response.status_code == 302
    assert "From the resident, written down by staff" in browser.client.get(page).get_data(as_text=True)
    browser.sign_out()
    browser.sign_in(resident.email)
    case_page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "The damp is back in the bedroom." in case_page
    assert "What you told us, written down by our staff" in case_page


def test_resident_adding_their_own_words_is_not_marked_as_written_by_staff(browser) -> None:
    resident = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(resident)
    journey.add_information(actor_of(resident), complaint.id, "I have more photos.")
    journey.add_information(SYSTEM, complaint.id, "Merged in by the system.")
    browser.sign_in(resident.email)
    case_page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "I have more photos." in case_page
    assert "written down by our staff" not in case_page
