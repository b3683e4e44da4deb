"""The engine over its test models: types per role, filters, pages, statement counts, aggregates."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.db import count_statements
from tests.engine.conftest import actor_for
from tests.engine.models import Lesson, LessonStatus

STAFF = actor_for("staff")
MANAGER = actor_for("manager")
RESIDENT = actor_for("resident")


def titles(data: dict, field: str = "lessons") -> list[str]:
    return [node["title"] for node in data[field]["nodes"]]


# --- types per role -----------------------------------------------------------------------


def test_staff_schema_has_every_lesson_field(engine) -> None:
    sdl = engine.schema_for(frozenset({"staff"})).as_str()
    assert "internalNote: String!" in sdl and "openActions: Int" in sdl


def test_hidden_fields_are_absent_from_the_residents_schema(engine, run, lessons_log) -> None:
    lessons_log(1)
    sdl = engine.schema_for(frozenset({"resident"})).as_str()
    assert "internalNote" not in sdl and "lessonsAggregate" not in sdl
    _data, errors = run("{ lessons { nodes { internalNote } } }", RESIDENT)
    assert "Cannot query field 'internalNote'" in errors[0].message


def test_anonymous_schema_holds_only_public_resources(engine) -> None:
    sdl = engine.schema_for(frozenset({"anonymous"})).as_str()
    assert "type Lesson" in sdl and "type Team" not in sdl and "people(" not in sdl
    assert "status" not in sdl.split("type Lesson {")[1].split("}")[0]


def test_introspection_is_off_for_anonymous_and_on_for_staff(run) -> None:
    _data, errors = run("{ __schema { types { name } } }")
    assert errors
    data, errors = run("{ __schema { types { name } } }", STAFF)
    assert not errors and data["__schema"]["types"]


def test_roles_combine_fields_and_rows(run, lessons_log) -> None:
    lessons_log(10)
    both = actor_for("resident", "staff")
    data, errors = run("{ lessons(first: 100) { totalCount nodes { internalNote } } }", both)
    assert not errors and data["lessons"]["totalCount"] == 10


# --- row filters --------------------------------------------------------------------------


def test_role_row_filter_limits_residents_to_published_lessons(run, lessons_log) -> None:
    lessons_log(10)  # lessons 5 and 10 are drafts
    data, _ = run("{ lessons(first: 100) { totalCount nodes { status } } }", RESIDENT)
    assert data["lessons"]["totalCount"] == 8
    assert {n["status"] for n in data["lessons"]["nodes"]} == {"published"}
    staff, _ = run("{ lessons(first: 100) { totalCount } }", STAFF)
    assert staff["lessons"]["totalCount"] == 10


def test_single_lookup_of_a_hidden_row_is_null(run, lessons_log) -> None:
    ids = lessons_log(5)
    draft = ids[4]
    data, errors = run("query($id: ID!) { lesson(id: $id) { title } }", RESIDENT, id=str(draft))
    assert not errors and data["lesson"] is None
    data, _ = run("query($id: ID!) { lesson(id: $id) { title } }", STAFF, id=str(draft))
    assert data["lesson"]["title"] == "Lesson 0005"


def test_to_many_children_obey_their_own_row_filter(run, lessons_log) -> None:
    lessons_log(5)
    data, _ = run("{ actions(first: 100) { totalCount nodes { lesson { status } } } }", RESIDENT)
    assert data["actions"]["totalCount"] == 12  # 4 published lessons x 3 actions
    assert {n["lesson"]["status"] for n in data["actions"]["nodes"]} == {"published"}


# --- the filter language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"title": {"eq": "Lesson 0003"}}, 1),
        ({"title": {"neq": "Lesson 0003"}}, 9),
        ({"title": {"in": ["Lesson 0001", "Lesson 0002", "nope"]}}, 2),
        ({"title": {"nin": ["Lesson 0001", "Lesson 0002"]}}, 8),
        ({"title": {"contains": "SON 000"}}, 9),
        ({"title": {"startsWith": "lesson 001"}}, 1),
        ({"title": {"contains": "%"}}, 0),
        ({"title": {"contains": "_"}}, 0),
        ({"impact": {"gt": 4}}, 2),
        ({"impact": {"gte": 4}}, 3),
        ({"impact": {"lt": 2}}, 2),
        ({"impact": {"lte": 2}}, 4),
        ({"impact": {"isNull": True}}, 1),
        ({"impact": {"isNull": False}}, 9),
        ({"impact": {"neq": 1}}, 8),
        ({"score": {"gte": 0.5}}, 6),
        ({"openedOn": {"lt": "2026-10-25"}}, 3),
        ({"createdAt": {"gte": "2026-01-01T05:00:00Z"}}, 6),
        ({"createdAt": {"gte": "2026-01-01T06:00:00+01:00"}}, 6),
        ({"and": [{"impact": {"gt": 1}}, {"impact": {"lt": 4}}]}, 4),
        ({"or": [{"title": {"eq": "Lesson 0001"}}, {"title": {"eq": "Lesson 0002"}}]}, 2),
        ({"not": {"impact": {"isNull": True}}}, 9),
        ({"team": {"name": {"eq": "Repairs"}}}, 10),
        ({"team": {"name": {"eq": "Housing"}}}, 0),
        ({"actions": {"some": {"done": {"eq": False}, "dueOn": {"lt": "2026-11-01"}}}}, 10),
        ({"actions": {"none": {"done": {"eq": True}}}}, 0),
        ({"openActions": {"eq": 2}}, 10),
    ],
)
def test_where_filters_compile_to_sql(run, lessons_log, where, expected) -> None:
    lessons_log(10)
    data, errors = run("query($w: LessonWhere) { lessons(where: $w, first: 100) { totalCount } }", STAFF, w=where)
    assert not errors, errors
    assert data["lessons"]["totalCount"] == expected


def test_to_one_id_is_null_finds_rows_without_a_related_row(run, lessons_log) -> None:
    ids = lessons_log(3)
    Lesson.update(team=None).where(Lesson.id == ids[0]).execute()
    query = "query($w: LessonWhere) { lessons(where: $w) { nodes { title } } }"
    data, errors = run(query, STAFF, w={"team": {"id": {"isNull": True}}})
    assert not errors and titles(data) == ["Lesson 0001"]
    data, errors = run(query, STAFF, w={"team": {"id": {"isNull": False}}})
    assert not errors and titles(data) == ["Lesson 0002", "Lesson 0003"]


def test_filter_on_a_field_the_role_cannot_see_is_rejected(run) -> None:
    _data, errors = run('{ lessons(where: {internalNote: {eq: "x"}}) { totalCount } }', RESIDENT)
    assert "internalNote" in errors[0].message


def test_undeclared_operator_is_rejected_by_name(run) -> None:
    _data, errors = run('{ lessons(where: {title: {gt: "x"}}) { totalCount } }', STAFF)
    assert "gt" in errors[0].message


def test_relation_filter_cannot_reach_rows_the_viewer_cannot_see(run, lessons_log) -> None:
    lessons_log(5)
    # Residents can't see draft lessons, so filtering actions by a draft lesson finds nothing.
    data, _ = run("{ actions(where: {lesson: {status: {eq: draft}}}) { totalCount } }", RESIDENT)
    assert data["actions"]["totalCount"] == 0


def test_bad_value_in_a_filter_is_a_clear_error(run) -> None:
    _data, errors = run('{ lessons(where: {id: {eq: "not-a-number"}}) { totalCount } }', STAFF)
    assert errors[0].extensions["code"] == "BAD_FILTER"
    assert "where.id.eq" in errors[0].message


# --- pages and cursors --------------------------------------------------------------------


def test_default_page_size_is_25_and_the_maximum_is_enforced(run, lessons_log) -> None:
    lessons_log(30)
    data, _ = run("{ lessons { nodes { title } } }", STAFF)
    assert len(data["lessons"]["nodes"]) == 25
    _data, errors = run("{ people(first: 101) { totalCount } }", STAFF)
    assert errors[0].extensions == {"code": "PAGE_SIZE", "maximum": 100}
    assert "100" in errors[0].message


@pytest.mark.parametrize(
    "order",
    [
        [{"field": "impact", "direction": "DESC"}],
        [{"field": "impact", "direction": "ASC"}, {"field": "title", "direction": "DESC"}],
        [{"field": "openActions", "direction": "DESC"}],
        [{"field": "score", "direction": "ASC"}],
        None,
    ],
)
def test_keyset_pages_visit_every_row_once_in_order(run, lessons_log, order) -> None:
    lessons_log(23)
    query = """query($order: [LessonOrderBy!], $after: String) {
      lessons(orderBy: $order, first: 5, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }"""
    full, _ = run(
        "query($order: [LessonOrderBy!]) { lessons(orderBy: $order, first: 100) { nodes { id } } }", STAFF, order=order
    )
    seen, after = [], None
    while True:
        data, errors = run(query, STAFF, order=order, after=after)
        assert not errors, errors
        seen += [n["id"] for n in data["lessons"]["nodes"]]
        if not data["lessons"]["pageInfo"]["hasNextPage"]:
            break
        after = data["lessons"]["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in full["lessons"]["nodes"]]
    assert len(seen) == 23


@pytest.mark.parametrize("cursor", ["garbage", "", "eyJ4IjoxfQ", "WyJMZXNzb24iLCJ4IixbXV0"])
def test_malformed_or_foreign_cursor_gets_a_clear_error(run, cursor) -> None:
    _data, errors = run("query($c: String) { lessons(after: $c) { totalCount } }", STAFF, c=cursor)
    if cursor == "":
        assert not errors  # an empty cursor means the first page
        return
    assert errors[0].extensions["code"] == "BAD_CURSOR"


def test_cursor_from_another_ordering_is_refused(run, lessons_log) -> None:
    lessons_log(3)
    data, _ = run("{ lessons(first: 1) { pageInfo { endCursor } } }", STAFF)
    cursor = data["lessons"]["pageInfo"]["endCursor"]
    _data, errors = run(
        "query($c: String) { lessons(after: $c, orderBy: [{field: title}]) { totalCount } }", STAFF, c=cursor
    )
    assert errors[0].extensions["code"] == "BAD_CURSOR"


# --- a bounded number of statements -------------------------------------------------------

NESTED = """query($n: Int) {
  lessons(first: $n, orderBy: [{field: openedOn, direction: DESC}]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      title openActions
      team { name }
      actions(first: 5, where: {done: {eq: false}}) { title dueOn lesson { title } }
      actionsCount(where: {done: {eq: false}})
      themes { theme { name } }
    } }
  }
}"""


@pytest.mark.parametrize("rows", [1, 50, 500])
def test_nested_query_statement_count_does_not_depend_on_rows(run, lessons_log, rows) -> None:
    lessons_log(rows)
    with count_statements() as statements:
        data, errors = run(NESTED, STAFF, n=rows)
    assert not errors, errors
    edges = data["lessons"]["edges"]
    assert len(edges) == rows
    assert all(len(e["node"]["actions"]) == 2 and e["node"]["actionsCount"] == 2 for e in edges)
    assert all(len(e["node"]["themes"]) == 3 for e in edges)
    # page + totalCount + actions + actionsCount + themes
    assert len(statements) == 5, statements
    # Every statement is bounded: a LIMIT, a per-parent row number, or a COUNT.
    assert all("LIMIT" in s.upper() or "COUNT(" in s.upper() or '"rn" <=' in s for s in statements), statements


def test_per_parent_limit_applies_to_each_parent(run, lessons_log) -> None:
    lessons_log(4)
    data, _ = run(
        "{ lessons(first: 4) { nodes { actions(first: 1, orderBy: [{field: dueOn, direction: DESC}]) { title } } } }",
        STAFF,
    )
    assert [n["actions"] for n in data["lessons"]["nodes"]] == [[{"title": "Upcoming"}]] * 4


def test_aliases_with_different_arguments_get_their_own_rows(run, lessons_log) -> None:
    lessons_log(2)
    data, errors = run(
        """{ lessons(first: 2) { nodes {
        open: actions(where: {done: {eq: false}}) { title }
        done: actions(where: {done: {eq: true}}) { title } } } }""",
        STAFF,
    )
    assert not errors
    node = data["lessons"]["nodes"][0]
    assert {a["title"] for a in node["open"]} == {"Overdue", "Upcoming"}
    assert node["done"] == [{"title": "Done"}]


def test_fragments_and_directives_are_followed(run, lessons_log) -> None:
    lessons_log(2)
    query = """query($withTeam: Boolean!) { lessons(first: 1) { nodes { ...L team @include(if: $withTeam) { name } } } }
               fragment L on Lesson { title actionsCount }"""
    data, errors = run(query, STAFF, withTeam=True)
    assert not errors
    assert data["lessons"]["nodes"][0]["team"] == {"name": "Repairs"}
    assert data["lessons"]["nodes"][0]["actionsCount"] == 3


# --- aggregates ---------------------------------------------------------------------------


def test_aggregate_groups_by_dimensions_in_sql(run, lessons_log) -> None:
    lessons_log(40)
    data, errors = run(
        """{ lessonsAggregate(groupBy: [status, month]) {
        key { status month } count min { impact openedOn } max { impact } avg { score } sum { impact } } }""",
        MANAGER,
    )
    assert not errors, errors
    groups = data["lessonsAggregate"]
    lessons = list(Lesson.select())
    assert sum(g["count"] for g in groups) == len(lessons)
    october = [g for g in groups if g["key"] == {"status": "published", "month": "2026-10"}][0]
    expected = [x for x in lessons if x.status == "published" and x.opened_on.strftime("%Y-%m") == "2026-10"]
    assert october["count"] == len(expected)
    assert october["max"]["impact"] == max(x.impact or 0 for x in expected)
    assert october["sum"]["impact"] == sum(x.impact or 0 for x in expected)
    assert october["avg"]["score"] == pytest.approx(sum(x.score for x in expected) / len(expected))
    assert october["min"]["openedOn"] == min(x.opened_on for x in expected).isoformat()


def test_aggregate_key_over_a_vocabulary_column_is_its_enum(engine, run, lessons_log) -> None:
    key = engine.schema_for(frozenset({"manager"}))._schema.type_map["LessonAggregateKey"]
    assert (str(key.fields["status"].type), str(key.fields["month"].type)) == ("LessonStatus", "String")
    lessons_log(3)
    data, errors = run("{ lessonsAggregate(groupBy: [status]) { key { status } } }", MANAGER)
    assert not errors, errors
    assert {g["key"]["status"] for g in data["lessonsAggregate"]} <= {s.value for s in LessonStatus}


def test_aggregate_respects_the_row_filter_and_where(run, lessons_log) -> None:
    lessons_log(10)
    data, _ = run("{ lessonsAggregate(where: {status: {eq: draft}}) { count } }", MANAGER)
    assert data["lessonsAggregate"] == [{"count": 2}]


def test_aggregate_is_absent_for_roles_without_it(run) -> None:
    _data, errors = run("{ lessonsAggregate { count } }", STAFF)
    assert "lessonsAggregate" in errors[0].message


def test_dates_stay_dates(run, lessons_log) -> None:
    lessons_log(1)
    data, _ = run("{ lessons { nodes { openedOn createdAt } } }", STAFF)
    node = data["lessons"]["nodes"][0]
    assert dt.date.fromisoformat(node["openedOn"]) and dt.datetime.fromisoformat(node["createdAt"])
