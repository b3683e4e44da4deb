"""updatedAt moves with every change to a row, and with every change to the rows it is made of (issue 11, item 7).

The database keeps it (backend.updated_at): each test writes the way some code path does (save(), an UPDATE
over rows, a bulk insert, a delete) and reads the timestamps back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from peewee import Case, CharField, DateField, Field, ForeignKeyField, IntegerField, Model, TextField, fn

from backend.complaints.models import Attachment, CaseMessage, CaseNote, Complaint, Contact
from backend.db import JSONField, db
from backend.surveys import answers, batches
from backend.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from backend.timeutil import utcnow
from backend.updated_at import COLUMN, TABLES, Changing, WrittenOnce, installed_triggers, trigger_statements
from tests import factories
from tests.test_factories import FACTORY_FOR

LONG_AGO = dt.datetime(2000, 1, 1)
CHANGING = [table for table in TABLES if isinstance(table, Changing)]
LINKS = [(table, path) for table in TABLES for path in table.parents]


def link_id(link: tuple[Any, str]) -> str:
    table, path = link
    return f"{table.model.__name__}.{path}"


def attachment_to_a_message() -> Model:
    message = factories.make_case_message()
    attachment = factories.make_attachment(message.contact)
    Attachment.update(message=message.id).where(Attachment.id == attachment.id).execute()
    return attachment


# Rows that reach every parent the declaration names (the plain factory's attachment has no message).
MAKERS = {
    **FACTORY_FOR,
    "Attachment": attachment_to_a_message,
    # A saved report is read by its owner, its recipients, or anyone when shared: the test reads as an admin.
    "SavedReport": lambda: factories.make_saved_report(shared=True),
}


def make(model: type[Model]) -> Model:
    made = MAKERS[model.__name__]()
    return model.get_by_id(made.id)


def stored(model: type[Model], row_id: int) -> dt.datetime:
    value = model.select(getattr(model, COLUMN)).where(model.id == row_id).scalar()
    assert value is not None, f"{model.__name__} {row_id} is gone"
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def set_long_ago(model: type[Model], row_id: int) -> None:
    model.update({getattr(model, COLUMN): LONG_AGO}).where(model.id == row_id).execute()


def changeable(table: Changing | WrittenOnce, row: Model) -> Field:
    """A column of ``row`` that can take a different value: text (not JSON) with room for one more letter, or else
    a plain whole number."""
    quiet = getattr(table, "quiet", ())
    for field in table.model._meta.sorted_fields:
        if field.name in (COLUMN, *quiet) or isinstance(field, JSONField):
            continue
        if isinstance(field, TextField):
            return field
        if isinstance(field, CharField) and len(getattr(row, field.name) or "") < field.max_length:
            return field
    for field in table.model._meta.sorted_fields:  # rows of figures only (a month's QA): a plain number
        if type(field) is IntegerField and field.name not in (COLUMN, *quiet):
            return field
    raise AssertionError(f"{table.model.__name__} has no text or number column to change")


def different(field: Field) -> Any:
    """SQL giving the column a value it did not have."""
    if isinstance(field, IntegerField):
        return fn.COALESCE(field, 0) + 1
    if isinstance(field, DateField):
        # A day it is not: PostgreSQL does not turn text into a date as SQLite lets it.
        return Case(None, [(field == dt.date(2001, 1, 2), dt.date(2001, 1, 3))], dt.date(2001, 1, 2))
    return fn.COALESCE(field, "").concat("x")


def is_day(moment: dt.datetime) -> bool:
    return moment == batches.day_of(moment)


def parent_of(row: Model, path: str) -> tuple[type[Model], int]:
    target: Any = row
    for name in path.split("."):
        target = getattr(target, name)
    return type(target), target.id


# --- The row's own updated_at ---------------------------------------------------------------------


@pytest.mark.parametrize("table", CHANGING, ids=lambda t: t.model.__name__)
def test_changing_a_column_moves_the_rows_updated_at(table: Changing) -> None:
    row = make(table.model)
    set_long_ago(table.model, row.id)
    field = changeable(table, row)
    table.model.update({field: different(field)}).where(table.model.id == row.id).execute()
    assert stored(table.model, row.id) > LONG_AGO
    if table.days_when:  # the factories' surveys are anonymous
        assert is_day(stored(table.model, row.id))


@pytest.mark.parametrize("table", CHANGING, ids=lambda t: t.model.__name__)
def test_an_update_that_changes_nothing_keeps_updated_at(table: Changing) -> None:
    row = make(table.model)
    set_long_ago(table.model, row.id)
    field = changeable(table, row)
    table.model.update({field: field}).where(table.model.id == row.id).execute()
    assert stored(table.model, row.id) == LONG_AGO


@pytest.mark.parametrize(
    ("table", "column"),
    [(table, column) for table in CHANGING for column in table.quiet],
    ids=lambda value: value if isinstance(value, str) else value.model.__name__,
)
def test_a_quiet_column_changes_without_moving_updated_at(table: Changing, column: str) -> None:
    row = make(table.model)
    set_long_ago(table.model, row.id)
    field = getattr(table.model, column)
    table.model.update({field: different(field)}).where(table.model.id == row.id).execute()
    assert stored(table.model, row.id) == LONG_AGO


def test_updated_at_set_by_the_statement_is_kept() -> None:
    contact = factories.make_contact()
    chosen = dt.datetime(2030, 5, 6, 7, 8, 9, 123456)
    Contact.update(kind="compliment", updated_at=chosen).where(Contact.id == contact.id).execute()
    assert stored(Contact, contact.id) == chosen


def test_a_save_moves_updated_at() -> None:
    clock = factories.make_clock()
    set_long_ago(type(clock), clock.id)
    clock = type(clock).get_by_id(clock.id)
    clock.status = "stopped"
    clock.save()
    assert stored(type(clock), clock.id) > LONG_AGO


# --- Parents ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("link", LINKS, ids=link_id)
def test_writing_a_row_moves_its_parent(link: tuple[Any, str]) -> None:
    table, path = link
    row = make(table.model)
    parent, parent_id = parent_of(row, path)
    values = table.model.select().where(table.model.id == row.id).dicts().get()
    table.model.delete().where(table.model.id == row.id).execute()
    set_long_ago(parent, parent_id)
    table.model.insert_many([values]).execute()  # a bulk insert, as data loads write
    assert stored(parent, parent_id) > LONG_AGO
    if getattr(table, "days_when", None):  # an anonymous survey's: moved to the day
        assert is_day(stored(parent, parent_id))


@pytest.mark.parametrize("link", LINKS, ids=link_id)
def test_changing_a_row_moves_its_parent(link: tuple[Any, str]) -> None:
    table, path = link
    row = make(table.model)
    parent, parent_id = parent_of(row, path)
    set_long_ago(parent, parent_id)
    if table.model is CaseNote:  # only its author can change: gone when their account is deleted
        change = {CaseNote.created_by: None}
    elif not any(
        isinstance(f, (TextField, CharField, IntegerField))
        and not isinstance(f, ForeignKeyField)
        and f.name not in ("id", COLUMN)
        for f in table.model._meta.sorted_fields
    ):
        # A link of ids and its date only (a lesson's theme): it is never changed, only written and deleted,
        # which the tests of inserting and deleting cover.
        pytest.skip(f"{table.model.__name__} rows are only written and deleted")
    else:
        field = changeable(table, row)
        change = {field: different(field)}
    table.model.update(change).where(table.model.id == row.id).execute()
    assert stored(parent, parent_id) > LONG_AGO
    if getattr(table, "days_when", None):  # an anonymous survey's: moved to the day
        assert is_day(stored(parent, parent_id))


@pytest.mark.parametrize("link", LINKS, ids=link_id)
def test_deleting_a_row_moves_its_parent(link: tuple[Any, str]) -> None:
    table, path = link
    row = make(table.model)
    parent, parent_id = parent_of(row, path)
    set_long_ago(parent, parent_id)
    table.model.delete().where(table.model.id == row.id).execute()
    assert stored(parent, parent_id) > LONG_AGO
    if getattr(table, "days_when", None):  # an anonymous survey's: moved to the day
        assert is_day(stored(parent, parent_id))


def test_a_parent_that_moved_moves_its_own_parent() -> None:
    complaint = factories.acknowledged_complaint()
    set_long_ago(Contact, complaint.contact_id)
    factories.make_clock(complaint).delete_instance()
    assert stored(Contact, complaint.contact_id) > LONG_AGO


def test_a_parent_never_moves_back() -> None:
    complaint = factories.acknowledged_complaint()
    later = utcnow() + dt.timedelta(days=3)
    Complaint.update(updated_at=later).where(Complaint.id == complaint.id).execute()
    CaseMessage.create(
        contact=complaint.contact_id, complaint=complaint.id, direction="to_resident", kind="update", body="Hi"
    )
    assert stored(Complaint, complaint.id) == later


# --- Anonymous surveys: days, never moments -------------------------------------------------------


def test_answering_an_anonymous_survey_moves_nothing_to_a_finer_time_than_the_day() -> None:
    survey = factories.make_survey(anonymous=True)
    rating = factories.make_survey_question(survey)
    invitation = factories.make_survey_invitation(survey)
    set_long_ago(Survey, survey.id)
    set_long_ago(SurveyInvitation, invitation.id)
    answers.record_answers(invitation, {rating.id: "4"}, "en")
    answers.record_answers(SurveyInvitation.get_by_id(invitation.id), {rating.id: ""}, "en")  # a blank deletes it
    response = SurveyResponse.get()
    assert stored(Survey, survey.id) == batches.day_of(utcnow())
    assert stored(SurveyInvitation, invitation.id) == batches.day_of(utcnow())
    assert is_day(stored(SurveyResponse, response.id))


def test_answering_a_linked_survey_moves_its_survey_to_the_moment() -> None:
    survey = factories.make_survey(anonymous=False)
    rating = factories.make_survey_question(survey)
    invitation = factories.make_survey_invitation(survey)
    set_long_ago(Survey, survey.id)
    before = utcnow()
    answers.record_answers(invitation, {rating.id: "4"}, "en")
    assert stored(Survey, survey.id) >= before.replace(microsecond=before.microsecond // 1000 * 1000)


def test_blanking_an_answer_moves_its_response_and_survey() -> None:
    survey = factories.make_survey(anonymous=False)
    rating = factories.make_survey_question(survey)
    answer = factories.make_survey_answer(factories.make_survey_response(survey), rating)
    set_long_ago(SurveyResponse, answer.response_id)
    set_long_ago(Survey, survey.id)
    SurveyAnswer.delete().where(SurveyAnswer.id == answer.id).execute()
    assert stored(SurveyResponse, answer.response_id) > LONG_AGO
    assert stored(Survey, survey.id) > LONG_AGO


def test_locking_a_survey_for_an_answer_leaves_updated_at() -> None:
    survey = factories.make_survey()
    set_long_ago(Survey, survey.id)
    batches.lock_survey(survey.id)
    assert stored(Survey, survey.id) == LONG_AGO


# --- The triggers in the database are the declared ones --------------------------------------------


def test_every_declared_table_has_its_triggers() -> None:
    generated = trigger_statements(db.obj)
    for table in TABLES:
        prefix = f"updated_at__{table.model._meta.table_name}__"
        expected = isinstance(table, Changing) or bool(table.parents)
        assert any(name.startswith(prefix) for name in generated) == expected, table.model.__name__


def test_installed_triggers_are_the_ones_the_declaration_generates_now() -> None:
    generated = trigger_statements(db.obj)
    assert installed_triggers(db.obj) == sorted(generated)
    if db.obj.__class__.__name__.startswith("Sqlite"):
        rows = db.obj.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        stored_sql = {name: sql for name, sql in rows if name in generated}
        assert stored_sql == {name: statements[0] for name, statements in generated.items()}
    else:
        rows = db.obj.execute_sql("SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)", (list(generated),))
        sources = dict(rows.fetchall())
        assert sorted(sources) == sorted(generated)
        for name, source in sources.items():
            assert f"AS $${source}$$" in generated[name][0], name


def test_a_parent_is_always_a_table_with_updated_at() -> None:
    from backend.updated_at import follow, table_for

    for table, path in LINKS:
        parent, _sql = follow(table.model, path, "NEW")
        assert isinstance(table_for(parent), Changing), f"{table.model.__name__}.{path}"


# --- Through the API --------------------------------------------------------------------------------

# Rows never changed once written; a change to what they belong to shows on that instead.
WITHOUT_UPDATED_AT = {
    "AuditEvent",
    "Attachment",
    "CaseAccess",
    "CaseRead",
    "ContactMerge",
    "CaseMessage",
    "CaseNote",
    "ComplaintPoint",
    "HazardDismissal",
    "ComplaintResponse",
    "NoteFile",
    "PointDecision",
    "RoleGrant",
    "StageLeaflet",
    "ContactReview",
    "ActionEvidence",
    "DueDateChange",
    "LessonSource",
    "LessonLearningType",
    "NoLessonDecision",
    "QualityScore",
    "MeetingAttendee",
    "BulletinLesson",
    "TrainingAttendee",
    "StoryMedia",
    "StoryLink",
    "LessonTheme",
    "ContactTheme",
    "SavedReportRecipient",
    "PanelSupport",
    "PanelAttendance",
    "CaseSample",
    "PackItemView",
    "LessonAnnotation",
    "ApprovalMeeting",
    "ChangeTheme",
    "ChangeLesson",
    "ChangeAction",
    "ChangeContact",
    "ChangeUpdate",
}


def engine_resources(app: Any) -> dict[str, Any]:
    return app.extensions["learnloop.engine"].resources


def test_resources_without_updated_at_are_exactly_those_written_once(app: Any) -> None:
    from backend.updated_at import table_for

    without = set()
    for name, resource in engine_resources(app).items():
        declared = table_for(resource.model)
        assert declared is not None, f"{name}: say how its rows change in its model's Meta (changes = ...)"
        has_column = resource.member("updatedAt") is not None
        assert has_column == isinstance(declared, Changing), f"{name}: updatedAt and the declaration disagree"
        if not has_column:
            without.add(name)
    assert without == WITHOUT_UPDATED_AT


def graphql(client: Any, secret: str, text: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = client.post(
        "/graphql", json={"query": text, "variables": variables}, headers={"Authorization": f"Bearer {secret}"}
    ).get_json()
    assert "errors" not in body, body
    return body["data"]


# Tables the API does not serve: whom a change's impact survey asked, and whom a merge asked to vote again (each
# person sees the latter on the round's page, through the round's own query); subject access requests and legal
# holds, which only administrators and the data protection officer see, in the console (docs/privacy.md).
NOT_SERVED = {"ImpactAsk", "RevoteRequest", "SubjectAccessRequest", "LegalHold"}


def resources_with_updated_at() -> list[str]:
    return sorted(table.model.__name__ for table in CHANGING if table.model.__name__ not in NOT_SERVED)


def test_the_tables_left_out_are_not_served(app: Any) -> None:
    served = {resource.model.__name__ for resource in engine_resources(app).values()}
    assert NOT_SERVED and not NOT_SERVED & served


@pytest.mark.parametrize("model_name", resources_with_updated_at())
def test_every_resource_with_updated_at_can_be_filtered_on_it(app: Any, client: Any, model_name: str) -> None:
    resource = next(r for r in engine_resources(app).values() if r.model.__name__ == model_name)
    admin = factories.make_user("admin")
    row = factories.make_portal_message(admin) if model_name == "PortalMessage" else make(resource.model)
    set_long_ago(resource.model, row.id)
    # Who voted for what is secret even from staff (docs/cocreation-rounds.md): the voter reads their own votes.
    reader = row.voter if model_name == "Vote" else admin
    secret = factories.make_token(reader, scope="read")[1]
    text = (
        f"query ($id: ID!, $since: DateTime!) {{ found: {resource.plural}"
        f"(where: {{id: {{eq: $id}}, updatedAt: {{gt: $since}}}}) {{ totalCount }} }}"
    )

    def count(since: str) -> int:
        return graphql(client, secret, text, {"id": str(row.id), "since": since})["found"]["totalCount"]

    assert count("1999-12-31T23:59:59Z") == 1
    assert count("2000-01-01T00:00:00Z") == 0


READ_COMPLAINT = "query ($id: ID!) { complaint(id: $id) { updatedAt messagesCount contact { id updatedAt } } }"
SEND_UPDATE = """mutation ($input: ComplaintMessageInput!) {
  complaintSendUpdate(input: $input) { __typename }
}"""
CHANGED_SINCE = """query ($since: DateTime!) {
  complaints(where: {updatedAt: {gt: $since}}) { nodes { id } }
  contacts(where: {updatedAt: {gt: $since}}) { nodes { id } }
}"""


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_an_update_sent_on_a_complaint_moves_it_and_its_contact_so_a_sync_finds_them(client: Any) -> None:
    complaint = factories.responded_complaint()
    secret = factories.make_token(factories.make_user("staff"), scope="write")[1]
    before = graphql(client, secret, READ_COMPLAINT, {"id": str(complaint.id)})["complaint"]
    sent = graphql(
        client, secret, SEND_UPDATE, {"input": {"id": str(complaint.id), "body": "We have booked an engineer."}}
    )
    assert sent["complaintSendUpdate"]["__typename"] == "ComplaintUpdateSent"
    after = graphql(client, secret, READ_COMPLAINT, {"id": str(complaint.id)})["complaint"]
    assert after["messagesCount"] == before["messagesCount"] + 1
    assert moment(after["updatedAt"]) > moment(before["updatedAt"])
    assert moment(after["contact"]["updatedAt"]) > moment(before["contact"]["updatedAt"])
    since = max(before["updatedAt"], before["contact"]["updatedAt"], key=moment)
    changed = graphql(client, secret, CHANGED_SINCE, {"since": since})
    assert str(complaint.id) in {node["id"] for node in changed["complaints"]["nodes"]}
    assert before["contact"]["id"] in {node["id"] for node in changed["contacts"]["nodes"]}
