"""Generated create, update and archive mutations for a configuration resource."""

from __future__ import annotations

import datetime as dt

import pytest

from backend import records
from backend.audit.models import AuditEvent
from backend.errors import Invalid
from tests.engine.conftest import actor_for
from tests.engine.models import Lesson, Theme

STAFF = actor_for("staff")
CREATE = """mutation($input: ThemeCreateInput!) { themeCreate(input: $input) {
  __typename ... on ThemeCreated { theme { id name archivedAt } }
  ... on ValidationError { field code message } ... on ConflictError { code message } } }"""


def test_staff_create_update_and_archive_a_theme_with_audit(run) -> None:
    data, errors = run(CREATE, STAFF, input={"name": "  Damp and mould  "})
    assert not errors, errors
    theme = data["themeCreate"]["theme"]
    assert theme["name"] == "Damp and mould" and theme["archivedAt"] is None
    data, _ = run(
        """mutation($input: ThemeUpdateInput!) { themeUpdate(input: $input) {
        __typename ... on ThemeUpdated { theme { name } } } }""",
        STAFF,
        input={"id": theme["id"], "name": "Damp"},
    )
    assert data["themeUpdate"]["theme"]["name"] == "Damp"
    data, _ = run(
        """mutation($id: ID!) { themeArchive(input: {id: $id}) {
        __typename ... on ThemeArchived { theme { archivedAt } } } }""",
        STAFF,
        id=theme["id"],
    )
    assert data["themeArchive"]["theme"]["archivedAt"] is not None
    actions = [
        e.action
        for e in AuditEvent.select().where(AuditEvent.entity_type == "theme", AuditEvent.entity_id == theme["id"])
    ]
    assert actions == ["theme.created", "theme.updated", "theme.archived"]


def test_create_with_bad_input_is_a_typed_error(run) -> None:
    data, _ = run(CREATE, STAFF, input={"name": "   "})
    assert data["themeCreate"] == {
        "__typename": "ValidationError",
        "field": "name",
        "code": "required",
        "message": "This is required.",
    }
    data, _ = run(CREATE, STAFF, input={"name": "x" * 81})
    assert data["themeCreate"]["code"] == "too_long"


def test_duplicate_is_a_conflict(run) -> None:
    Theme.create(name="Repairs")
    data, _ = run(CREATE, STAFF, input={"name": "Repairs"})
    assert data["themeCreate"]["__typename"] == "ConflictError"


def test_update_of_a_missing_theme_is_not_found(run) -> None:
    data, _ = run("""mutation { themeUpdate(input: {id: "999999", name: "x"}) { __typename } }""", STAFF)
    assert data["themeUpdate"]["__typename"] == "NotFoundError"


def test_residents_have_no_theme_mutations(engine) -> None:
    sdl = engine.schema_for(frozenset({"resident"})).as_str()
    assert "themeCreate" not in sdl
    assert "themeCreate" in engine.schema_for(frozenset({"staff"})).as_str()


def test_read_only_tokens_have_no_mutations(engine) -> None:
    schema = engine.schema_for(frozenset({"staff"}), writable=False)
    assert schema.as_str().count("type Mutation") == 0


# --- a record that points to another -------------------------------------------------------------------

ADD_ACTION = """mutation($input: ActionCreateInput!) { actionCreate(input: $input) {
  __typename ... on ActionCreated { action { id title done lesson { id title } } }
  ... on ValidationError { field code } } }"""


def make_lesson() -> Lesson:
    return Lesson.create(title="Damp", opened_on=dt.date(2026, 3, 2), created_at=dt.datetime(2026, 3, 2, 9))


def test_a_foreign_key_is_set_by_the_id_of_the_row_it_points_to(run) -> None:
    lesson = make_lesson()
    data, errors = run(
        ADD_ACTION, STAFF, input={"lessonId": str(lesson.id), "title": "Call back", "dueOn": "2026-04-01"}
    )
    assert not errors, errors
    action = data["actionCreate"]["action"]
    assert action["lesson"] == {"id": str(lesson.id), "title": "Damp"}
    event = AuditEvent.get(AuditEvent.entity_type == "action", AuditEvent.entity_id == action["id"])
    assert event.changes["lesson"] == {"before": None, "after": lesson.id}


@pytest.mark.parametrize("lesson_id", ["999999", "not-a-number", "0", str(2**63)])
def test_a_foreign_key_to_no_row_is_refused_at_its_id(run, lesson_id: str) -> None:
    data, errors = run(ADD_ACTION, STAFF, input={"lessonId": lesson_id, "title": "Call back", "dueOn": "2026-04-01"})
    assert not errors, errors
    assert data["actionCreate"] == {"__typename": "ValidationError", "field": "lessonId", "code": "not_found"}


def test_a_record_input_names_a_foreign_key_by_its_id(engine) -> None:
    sdl = engine.schema_for(frozenset({"staff"})).as_str()
    assert "lessonId: ID!" in sdl.split("input ActionCreateInput {")[1].split("}")[0]
    assert "lessonId: ID" in sdl.split("input ActionUpdateInput {")[1].split("}")[0]


def test_a_field_with_a_default_may_be_left_out_of_a_create(run, engine) -> None:
    data, errors = run(
        ADD_ACTION, STAFF, input={"lessonId": str(make_lesson().id), "title": "Call back", "dueOn": "2026-04-01"}
    )
    assert not errors, errors
    assert data["actionCreate"]["action"]["done"] is False
    sdl = engine.schema_for(frozenset({"staff"})).as_str()
    assert "done: Boolean! = false" in sdl.split("input ActionCreateInput {")[1].split("}")[0]


def test_a_text_field_may_be_blank_only_when_blank_is_its_default() -> None:
    fields = ("title", "opened_on", "created_at", "internal_note")
    spec = records.RecordSpec(Lesson, "lesson", fields, frozenset({"staff"}), archive_field=None)
    when = {"opened_on": dt.date(2026, 3, 2), "created_at": dt.datetime(2026, 3, 2, 9)}
    lesson = records.create_record(STAFF, spec, {"title": "Damp", "internal_note": "  ", **when})
    assert lesson.internal_note == ""
    with pytest.raises(Invalid) as refused:
        records.create_record(STAFF, spec, {"title": "  ", "internal_note": "", **when})
    assert [(problem.field, problem.code) for problem in refused.value.problems] == [("title", "required")]
