"""A column holding a closed vocabulary is an enum: in its type, in its filter, and in record inputs."""

from __future__ import annotations

import pytest
from peewee import SQL

from schema.engine.declare import Computed
from schema.engine.filters import FilterError, scalar_condition
from tests.engine.conftest import actor_for
from tests.engine.models import Lesson, LessonStatus

STAFF = actor_for("staff")
RESIDENT = actor_for("resident")


def test_vocabulary_column_is_typed_by_its_enum(engine) -> None:
    sdl = engine.schema_for(frozenset({"staff"})).as_str()
    assert "status: LessonStatus!" in sdl.split("type Lesson {")[1].split("}")[0]
    assert "status: LessonStatusFilter" in sdl.split("input LessonWhere {")[1].split("}")[0]


def test_enum_values_are_the_stored_codes_with_their_descriptions(engine) -> None:
    sdl = engine.schema_for(frozenset({"staff"})).as_str()
    enum = sdl.split("enum LessonStatus {")[1].split("}")[0]
    assert '"""Being written."""\n  draft' in enum and '"""Out for everyone who may see it."""\n  published' in enum
    assert '"""Whether a lesson is out."""\nenum LessonStatus {' in sdl


def test_enum_filter_has_equality_operators_only(engine) -> None:
    schema = engine.schema_for(frozenset({"staff"}))._schema
    assert list(schema.type_map["LessonStatusFilter"].fields) == ["eq", "neq", "in", "nin", "isNull"]


def test_enum_output_is_the_code(run, lessons_log) -> None:
    lessons_log(5)  # lesson 5 is a draft
    data, errors = run("{ lessons(first: 10) { nodes { status } } }", STAFF)
    assert not errors
    assert sorted(node["status"] for node in data["lessons"]["nodes"]) == ["draft"] + ["published"] * 4


@pytest.mark.parametrize(
    ("condition", "expected"),
    [("{eq: draft}", 2), ("{neq: draft}", 8), ("{in: [draft, published]}", 10), ("{nin: [published]}", 2)],
)
def test_enum_filter_matches_codes(run, lessons_log, condition: str, expected: int) -> None:
    lessons_log(10)  # lessons 5 and 10 are drafts
    data, errors = run(f"{{ lessons(where: {{status: {condition}}}) {{ totalCount }} }}", STAFF)
    assert not errors and data["lessons"]["totalCount"] == expected


def test_enum_filter_takes_a_variable_of_the_enum_type(run, lessons_log) -> None:
    lessons_log(10)
    query = "query ($s: LessonStatus) { lessons(where: {status: {eq: $s}}) { totalCount } }"
    data, errors = run(query, STAFF, s="draft")
    assert not errors and data["lessons"]["totalCount"] == 2


@pytest.mark.parametrize("value", ["drafts", '"draft"', "DRAFT"])
def test_unknown_code_in_a_filter_is_a_validation_error(run, lessons_log, value: str) -> None:
    lessons_log(2)
    data, errors = run(f"{{ lessons(where: {{status: {{eq: {value}}}}}) {{ totalCount }} }}", STAFF)
    assert data is None
    assert "LessonStatus" in errors[0].message


def test_unknown_code_in_a_variable_is_refused(run, lessons_log) -> None:
    lessons_log(2)
    query = "query ($s: LessonStatus) { lessons(where: {status: {eq: $s}}) { totalCount } }"
    data, errors = run(query, STAFF, s="publishd")
    assert data is None and "publishd" in errors[0].message


def test_string_variable_cannot_feed_an_enum_filter(run) -> None:
    query = "query ($s: String) { lessons(where: {status: {eq: $s}}) { totalCount } }"
    data, errors = run(query, STAFF, s="draft")
    assert data is None and "String" in errors[0].message


def test_enum_filter_applies_under_a_role_filter(run, lessons_log) -> None:
    lessons_log(10)
    data, errors = run("{ lessons(where: {status: {eq: draft}}) { totalCount } }", RESIDENT)
    assert not errors and data["lessons"]["totalCount"] == 0


def test_unknown_code_in_a_role_filter_is_refused() -> None:
    with pytest.raises(FilterError) as raised:
        scalar_condition(SQL("status"), "enum", {"in": ["published", "publishd"]}, "role.status", LessonStatus.codes())
    assert raised.value.code == "bad_value" and raised.value.path == "role.status.in"


def test_known_codes_compile_to_a_condition() -> None:
    condition = scalar_condition(
        Lesson.status, "enum", {"eq": LessonStatus.DRAFT}, "where.status", LessonStatus.codes()
    )
    assert Lesson.select().where(condition).sql()[1] == ["draft"]


@pytest.mark.parametrize(("kind", "vocabulary"), [("enum", None), ("string", LessonStatus)])
def test_computed_enum_and_vocabulary_go_together(kind: str, vocabulary: type | None) -> None:
    with pytest.raises(ValueError, match="vocabulary"):
        Computed("state", kind=kind, sql=lambda alias: alias.status, vocabulary=vocabulary)  # type: ignore[arg-type]
