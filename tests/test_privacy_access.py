"""Subject access requests: the one-month clock, the DPO's review, who may see them, and the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.privacy import access, deadline
from backend.privacy.models import SubjectAccessRequest
from backend.timeutil import local_date
from tests import factories
from tests.test_cli import run

# ------------------------------------------------------------------ the clock


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 9, 3), dt.date(2026, 10, 5)),  # the ICO's example: 3 October, a Saturday -> Monday
        (dt.date(2026, 3, 3), dt.date(2026, 4, 7)),  # Good Friday, the weekend and Easter Monday
        (dt.date(2026, 1, 31), dt.date(2026, 3, 2)),  # no 31 February: the last day, 28th, a Saturday -> Monday
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # a leap year's last day of February, a Tuesday
        (dt.date(2026, 2, 7), dt.date(2026, 3, 9)),  # 7 March is a Saturday: the next working day
        (dt.date(2026, 3, 6), dt.date(2026, 4, 7)),  # 6 April 2026 is Easter Monday in England
        (dt.date(2026, 12, 1), dt.date(2027, 1, 1 + 3)),  # 1 January 2027 is a bank holiday, then a weekend
        (dt.date(2026, 11, 30), dt.date(2026, 12, 30)),  # a working day: no move
    ],
)
def test_due_on_is_the_corresponding_date_next_month_on_a_working_day(received: dt.date, due: dt.date) -> None:
    assert deadline.due_on(received, "england") == due


def test_due_on_uses_the_nations_bank_holidays() -> None:
    # Easter Monday is not a bank holiday in Scotland.
    assert deadline.due_on(dt.date(2026, 3, 6), "scotland") == dt.date(2026, 4, 6)


def test_working_days_left_counts_down_then_shows_days_late() -> None:
    due = dt.date(2026, 5, 15)  # a Friday
    assert deadline.working_days_left(due, dt.date(2026, 5, 8), "england") == 5
    assert deadline.working_days_left(due, due, "england") == 0
    assert deadline.working_days_left(due, dt.date(2026, 5, 18), "england") == -3


# ------------------------------------------------------------------ the journey


@pytest.fixture
def admin() -> Any:
    return factories.actor_of(factories.make_user("admin"))


@pytest.fixture
def dpo() -> Any:
    person = factories.make_staff()
    factories.make_role_designation("dpo", person, starts_on=local_date() - dt.timedelta(days=1))
    return factories.actor_of(person)


def test_logging_a_request_starts_the_clock_and_is_audited(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    request = access.log_request(admin, person.id)
    assert request.status == "received"
    assert request.due_on == deadline.due_on(local_date(), "england")
    assert AuditEvent.select().where(AuditEvent.action == "subject_access_request.logged").count() == 1


def test_dpo_approves_what_someone_else_compiled_and_it_is_released(admin: Any, dpo: Any) -> None:
    request = access.log_request(admin, factories.make_user().id)
    access.compile_request(admin, request.id)
    approved = access.approve_request(dpo, request.id)
    assert approved.status == "approved" and approved.reviewed_by_id == dpo.user_id
    released = access.release_request(admin, request.id, "email")
    assert released.status == "released" and released.release_method == "email"
    actions = [event.action for event in AuditEvent.select().where(AuditEvent.entity_type == "subject_access_request")]
    assert actions == [
        "subject_access_request.logged",
        "subject_access_request.compiled",
        "subject_access_request.approved",
        "subject_access_request.released",
    ]


def test_dpo_cannot_approve_an_export_they_compiled(dpo: Any) -> None:
    request = access.log_request(dpo, factories.make_user().id)
    access.compile_request(dpo, request.id)
    with pytest.raises(NotAllowed) as refused:
        access.approve_request(dpo, request.id)
    assert refused.value.code == "own_export"


def test_an_export_compiled_from_the_command_line_is_compiled_again_before_approval(dpo: Any) -> None:
    from backend.context import SYSTEM

    request = access.log_request(SYSTEM, factories.make_user().id)
    access.compile_request(SYSTEM, request.id)
    with pytest.raises(NotAllowed) as refused:
        access.approve_request(dpo, request.id)
    assert refused.value.code == "own_export"


def test_only_the_dpo_approves(admin: Any, dpo: Any) -> None:
    request = access.log_request(admin, factories.make_user().id)
    access.compile_request(admin, request.id)
    with pytest.raises(NotAllowed) as refused:
        access.approve_request(admin, request.id)
    assert refused.value.code == "not_dpo"


def test_an_export_cannot_be_released_before_approval(admin: Any) -> None:
    request = access.log_request(admin, factories.make_user().id)
    access.compile_request(admin, request.id)
    with pytest.raises(Conflict):
        access.release_request(admin, request.id, "post")


def test_sent_back_export_is_compiled_again_and_the_old_zip_deleted(admin: Any, dpo: Any) -> None:
    request = access.log_request(admin, factories.make_user().id)
    first = access.compile_request(admin, request.id)
    back = access.send_back_request(dpo, request.id, "The neighbour's surname is still in a note.")
    assert back.status == "received" and back.review_note.startswith("The neighbour")
    second = access.compile_request(admin, request.id, third_parties="Someone Else")
    assert second.export_key != first.export_key
    with pytest.raises(NotFound):
        access.open_export(factories.actor_of(factories.make_user("staff")), request.id)


def test_extension_is_up_to_three_months_with_a_reason(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    request = access.log_request(admin, person.id)
    latest = deadline.latest_extension(request.received_on, "england")
    with pytest.raises(Invalid) as bad:
        access.extend_request(admin, request.id, latest + dt.timedelta(days=1), "Many years of records.")
    assert bad.value.code == "too_late"
    with pytest.raises(Invalid) as missing:
        access.extend_request(admin, request.id, latest, "  ")
    assert missing.value.code == "required"
    extended = access.extend_request(admin, request.id, latest, "Many years of records.")
    assert access.current_deadline(extended) == latest


def test_refusing_needs_a_reason_and_closes_the_request(admin: Any) -> None:
    request = access.log_request(admin, factories.make_user().id)
    with pytest.raises(Invalid):
        access.close_request(admin, request.id, "refused", "")
    closed = access.close_request(admin, request.id, "refused", "Identity not confirmed after two requests.")
    assert closed.status == "refused"
    with pytest.raises(Conflict):
        access.compile_request(admin, request.id)


@pytest.mark.parametrize("role", ["resident", "staff", "manager", "advocate", "panel_member"])
def test_others_are_told_a_request_does_not_exist(admin: Any, role: str) -> None:
    request = access.log_request(admin, factories.make_user().id)
    viewer = factories.actor_of(factories.make_user(role))
    for ask in (request.id, 10**9):
        with pytest.raises(NotFound):
            access.get_request(viewer, ask)
    with pytest.raises(NotFound):
        access.list_requests(viewer)


def test_notes_too_long_are_refused_with_every_problem(admin: Any) -> None:
    with pytest.raises(Invalid) as bad:
        access.log_request(admin, factories.make_user().id, channel="x" * 41, note="y" * 2001)
    assert {problem.field for problem in bad.value.problems} == {"channel", "note"}
    assert not SubjectAccessRequest.select().exists()


# ------------------------------------------------------------------ the command line


def test_cli_export_writes_the_zip_and_records_the_request(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    assert run(instance, "migrate").returncode == 0
    created = run(
        instance, "users", "create", "--email", "asker@example.org", "--name", "Ada Asker", "--role", "resident"
    )
    assert created.returncode == 0, created.stderr
    out = tmp_path / "ada.zip"
    result = run(instance, "privacy", "export", "--email", "asker@example.org", "--out", str(out))
    assert result.returncode == 0, result.stderr
    content = out.read_bytes()
    assert hashlib.sha256(content).hexdigest() in result.stdout
    assert "index.html" in zipfile.ZipFile(out).namelist()
    assert os.stat(out).st_mode & 0o777 == 0o600
    again = run(instance, "privacy", "export", "--email", "asker@example.org", "--out", str(out))
    assert again.returncode != 0 and "already exists" in again.stderr
    assert out.read_bytes() == content
    missing = run(instance, "privacy", "export", "--email", "nobody@example.org")
    assert missing.returncode != 0 and "no account" in missing.stderr


# ------------------------------------------------------------------ the DPO's daily notice


def test_daily_notice_lists_requests_due_soon_and_overdue_once_a_day(admin: Any, dpo: Any) -> None:
    from backend.events.models import OutboxEvent
    from backend.privacy.reminders import send_due_notice

    today = local_date()
    soon = access.log_request(admin, factories.make_user().id)
    late = access.log_request(admin, factories.make_user().id)
    later = access.log_request(admin, factories.make_user().id)
    SubjectAccessRequest.update(due_on=today + dt.timedelta(days=1)).where(SubjectAccessRequest.id == soon.id).execute()
    SubjectAccessRequest.update(due_on=today - dt.timedelta(days=2)).where(SubjectAccessRequest.id == late.id).execute()
    SubjectAccessRequest.update(due_on=today + dt.timedelta(days=40)).where(
        SubjectAccessRequest.id == later.id
    ).execute()
    assert send_due_notice(today) == 2
    assert send_due_notice(today) == 0
    events = list(OutboxEvent.select().where(OutboxEvent.name == "privacy.access_requests_due"))
    assert len(events) == 1
    assert events[0].payload["recipient_id"] == dpo.user_id
    assert {item["id"] for item in events[0].payload["requests"]} == {soon.id, late.id}
    assert events[0].payload["overdue"] == 1


def test_daily_notice_reaches_the_dpo_even_with_optional_messages_off(admin: Any, dpo: Any) -> None:
    from backend.events.models import Delivery, OutboxEvent
    from backend.privacy.reminders import send_due_notice

    factories.make_preference(factories.make_user(), topic="changes", frequency="off")
    request = access.log_request(admin, factories.make_user(email="private.person@example.org").id)
    SubjectAccessRequest.update(due_on=local_date()).where(SubjectAccessRequest.id == request.id).execute()
    send_due_notice()
    (sent,) = (
        Delivery.select()
        .join(OutboxEvent)
        .where(OutboxEvent.name == "privacy.access_requests_due", Delivery.recipient_user_id == dpo.user_id)
    )
    assert sent.status == "sent"
    assert "Subject access requests due: 1" in sent.subject
    assert f"#{request.id}" in sent.body
    assert "private.person" not in sent.subject + sent.body  # the notice never names who asked


# ------------------------------------------------------------------ need-to-know cases, storage and release


def test_a_need_to_know_case_is_left_out_when_the_compiler_is_not_on_its_list(admin: Any) -> None:
    from backend.complaints.models import Contact

    person = factories.make_user()
    hidden = factories.make_complaint(person, description="The social worker visits on Fridays.")
    factories.make_case_access(Contact.get_by_id(hidden.contact_id))
    factories.make_complaint(person, description="The lift is broken.")
    request = access.compile_request(admin, access.log_request(admin, person.id).id)
    summary = json.loads(request.summary)
    assert summary["withheld_cases"] == [Contact.get_by_id(hidden.contact_id).reference]
    assert summary["restricted_contact_ids"] == []
    with access.open_export(admin, request.id)[1] as stream:
        everything = zipfile.ZipFile(io.BytesIO(stream.read()))
        text = "".join(everything.read(name).decode() for name in everything.namelist())
    assert "social worker" not in text and "The lift is broken." in text


def test_a_complaint_naming_the_compiler_is_left_out(admin: Any) -> None:
    person = factories.make_user()
    complaint = factories.make_complaint(person, description="The officer was rude.")
    from backend.complaints.models import ComplaintStaff

    ComplaintStaff.create(complaint=complaint.id, person=admin.user_id, part="subject", recorded_by=admin.user_id)
    request = access.compile_request(admin, access.log_request(admin, person.id).id)
    assert json.loads(request.summary)["withheld_cases"]
    with access.open_export(admin, request.id)[1] as stream:
        assert b"The officer was rude." not in stream.read()


def test_a_cleared_compiler_includes_the_case_its_read_is_logged_and_others_cannot_open_it(admin: Any) -> None:
    from backend.complaints.models import CaseRead, Contact

    cleared = factories.make_user("admin")
    person = factories.make_user()
    complaint = factories.make_complaint(person, description="The social worker visits on Fridays.")
    contact = Contact.get_by_id(complaint.contact_id)
    factories.make_case_access(contact, cleared)
    request = access.compile_request(
        factories.actor_of(cleared), access.log_request(factories.actor_of(cleared), person.id).id
    )
    assert json.loads(request.summary)["restricted_contact_ids"] == [contact.id]
    assert CaseRead.select().where(CaseRead.person == cleared.id, CaseRead.via == "subject_access").count() == 1
    with access.open_export(factories.actor_of(cleared), request.id)[1] as stream:
        assert "social worker" in zipfile.ZipFile(io.BytesIO(stream.read())).read("data/contacts.json").decode()
    with pytest.raises(NotFound):
        access.open_export(admin, request.id)


def test_the_zip_is_deleted_when_the_export_is_released(admin: Any, dpo: Any) -> None:
    from backend.complaints.files import storage

    request = access.compile_request(admin, access.log_request(admin, factories.make_user().id).id)
    key = request.export_key
    access.approve_request(dpo, request.id)
    released = access.release_request(admin, request.id, "email")
    assert released.export_key is None and released.export_sha256 == request.export_sha256
    with pytest.raises(FileNotFoundError):
        storage().open(key)
    with pytest.raises(NotFound):
        access.open_export(admin, request.id)


class _OneWay(io.RawIOBase):
    """A stream that cannot seek, as S3 gives."""

    def __init__(self, content: bytes):
        self._inner = io.BytesIO(content)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_an_export_opens_from_a_store_that_cannot_seek(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.complaints.files import storage

    request = access.compile_request(admin, access.log_request(admin, factories.make_user().id).id)
    real = storage()

    class OneWayStore:
        def open(self, key: str) -> Any:
            with real.open(key) as stream:
                return io.BufferedReader(_OneWay(stream.read()))

    monkeypatch.setattr(access, "_storage", OneWayStore)
    with access.open_export(admin, request.id)[1] as stream:
        assert "index.html" in zipfile.ZipFile(io.BytesIO(stream.read())).namelist()


# ------------------------------------------------------------------ the audit trail of privacy requests

PRIVACY_ENTRIES = [
    ("subject_access_request.logged", "subject_access_request", 1),
    ("legal_hold.placed", "legal_hold", 2),
    ("privacy.erased_on_request", "contact", 3),
    ("privacy.retention_erased", "retention_rule", "audit"),
]


def test_privacy_requests_audit_entries_are_for_admins_only(browser: Any) -> None:
    from backend.audit.services import record_audit

    system = factories.actor_of(factories.make_user("admin"))
    for action, entity_type, entity_id in PRIVACY_ENTRIES:
        record_audit(system, action, entity_type, entity_id)
    record_audit(system, "account.created", "user", 99)
    query = "{ auditEvents(first: 100) { nodes { action } } }"
    expected = {action for action, _, _ in PRIVACY_ENTRIES}

    manager = factories.make_user("manager")
    browser.sign_in(manager.email)
    body = browser.graphql(query).get_json()
    assert "errors" not in body, body
    seen = {node["action"] for node in body["data"]["auditEvents"]["nodes"]}
    assert "account.created" in seen and not seen & expected
    page = browser.client.get("/console/audit").get_data(as_text=True)
    assert "account.created" in page and not any(action in page for action in expected)
    csv = browser.client.get("/console/audit.csv").get_data(as_text=True)
    assert "account.created" in csv and not any(action in csv for action in expected)
    browser.sign_out()

    admin = factories.make_user("admin")
    browser.sign_in(admin.email)
    body = browser.graphql(query).get_json()
    assert expected <= {node["action"] for node in body["data"]["auditEvents"]["nodes"]}
    page = browser.client.get("/console/audit").get_data(as_text=True)
    assert all(action in page for action in expected)
