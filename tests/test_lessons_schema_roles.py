"""The lessons area in each role's schema: staff-only and manager-only fields are absent where they can't be used,
closed lists of codes are enums, and the counts are never null."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

#: Hand-written queries of the lessons area that any member of staff may use.
STAFF_QUERIES = (
    "upheldComplaintsWithoutLesson",
    "improvementActionTeams",
    "improvementActionLesson",
    "themeSuggestions",
    "myTeam",
    "sharingChoices",
    "staffBriefingDraft",
    "trainingCount",
)
#: Hand-written queries only managers (and admins) may use.
MANAGER_QUERIES = ("bulletinPreview",)
#: Mutations only managers (and admins) may use.
MANAGER_MUTATIONS = (
    "themeArchive",
    "themeMerge",
    "priorityWeightsSet",
    "improvementActionAuthorise",
    "improvementActionSignOff",
    "improvementActionVerify",
    "improvementActionDueDateChange",
    "lessonArchive",
    "lessonDelete",
    "bulletinCreate",
    "qaReportCompute",
    "successStoryApprove",
)
NOT_STAFF = [("anonymous",), ("resident",), ("panel_member",), ("advocate",)]


def schema_of(app: Any, *roles: str, writable: bool = True) -> GraphQLSchema:
    return app.extensions["learnloop.engine"].schema_for(frozenset(roles), writable=writable)._schema


def root_fields(schema: GraphQLSchema) -> set[str]:
    fields = set(schema.query_type.fields) if schema.query_type else set()
    return fields | (set(schema.mutation_type.fields) if schema.mutation_type else set())


def field_type(schema: GraphQLSchema, type_name: str, field_name: str) -> Any:
    kind = schema.type_map[type_name]
    assert isinstance(kind, GraphQLObjectType | GraphQLInputObjectType), type_name
    return kind.fields[field_name].type


@pytest.mark.parametrize("roles", NOT_STAFF)
def test_staff_and_manager_fields_are_absent_for_those_who_are_not_staff(app, roles: tuple[str, ...]) -> None:
    fields = root_fields(schema_of(app, *roles))
    assert fields & {*STAFF_QUERIES, *MANAGER_QUERIES, *MANAGER_MUTATIONS} == set()


@pytest.mark.parametrize("roles", NOT_STAFF)
def test_their_types_are_absent_too(app, roles: tuple[str, ...]) -> None:
    types = set(schema_of(app, *roles).type_map)
    assert types & {"UpheldComplaintPage", "ActionLesson", "MyTeam", "TrainingCount", "BulletinPreviewLesson"} == set()


def test_staff_have_the_staff_queries_but_not_the_managers_fields(app) -> None:
    fields = root_fields(schema_of(app, "staff"))
    assert set(STAFF_QUERIES) <= fields
    assert fields & {*MANAGER_QUERIES, *MANAGER_MUTATIONS} == set()


@pytest.mark.parametrize("roles", [("manager",), ("admin",), ("staff", "manager")])
def test_managers_have_every_lessons_field(app, roles: tuple[str, ...]) -> None:
    fields = root_fields(schema_of(app, *roles))
    assert {*STAFF_QUERIES, *MANAGER_QUERIES, *MANAGER_MUTATIONS} <= fields


def test_a_read_only_token_keeps_the_queries(app) -> None:
    fields = root_fields(schema_of(app, "manager", writable=False))
    assert {*STAFF_QUERIES, *MANAGER_QUERIES} <= fields and not fields & set(MANAGER_MUTATIONS)


@pytest.mark.parametrize(
    ("type_name", "field_name", "enum_name"),
    [
        ("ActionLesson", "status", "LessonStatus"),
        ("TeamLesson", "status", "LessonStatus"),
        ("TeamAction", "status", "ActionStatus"),
        ("UpheldComplaint", "status", "ComplaintStatus"),
        ("PriorityWeight", "factor", "PriorityFactor"),
        ("QualityScoreInput", "result", "QualityResult"),
        ("BriefablePerson", "part", "BriefingPart"),
        ("ActionChoice", "actionType", "ActionType"),
    ],
)
def test_closed_lists_of_codes_are_enums(app, type_name: str, field_name: str, enum_name: str) -> None:
    kind = field_type(schema_of(app, "manager"), type_name, field_name)
    assert isinstance(kind, GraphQLNonNull)
    named = get_named_type(kind)
    assert isinstance(named, GraphQLEnumType) and named.name == enum_name


@pytest.mark.parametrize(
    ("type_name", "field_name"),
    [
        ("Lesson", "complaintCount"),
        ("Lesson", "openActionCount"),
        ("Lesson", "overdueActionCount"),
        ("Theme", "residentsAffected"),
        ("Theme", "complaintCount"),
        ("Theme", "upheldComplaintCount"),
        ("Theme", "impact"),
        ("Theme", "votes"),
        ("Theme", "priorityScore"),
        ("Theme", "readyForResidents"),
    ],
)
def test_counts_and_figures_are_never_null(app, type_name: str, field_name: str) -> None:
    assert isinstance(field_type(schema_of(app, "staff"), type_name, field_name), GraphQLNonNull)


def test_the_published_sdl_shows_the_enums(app) -> None:
    sdl = app.extensions["learnloop.engine"].schema_for(frozenset({"staff"})).as_str()
    assert "enum PriorityFactor {" in sdl and "enum BriefingPart {" in sdl
    assert "bulletinPreview(" not in sdl and "priorityWeightsSet(" not in sdl
