"""Declared mutations: what the decorator reads, the refusals every mutation shares, and the payloads it builds."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest

import schema
from backend.context import ANONYMOUS
from schema import accounts
from schema.context import Context
from schema.engine.engine import Engine
from schema.engine.mutations import Mutations, Outcome, bind
from schema.engine.validate import DeclarationError
from schema.errors import ValidationError
from tests.engine import mutations as declared
from tests.engine.conftest import actor_for
from tests.engine.models import RESOURCES, Lesson
from tests.engine.mutations import Counter, LessonRenameInput

STAFF = actor_for("staff")
RENAME = """mutation($id: ID!, $title: String!) { lessonRename(input: {id: $id, title: $title}) {
  __typename ... on LessonRenamed { lesson { title } previous } ... on NotFoundError { message }
  ... on ValidationError { field code } ... on NotAllowedError { message } } }"""
BUMP = "mutation { counterBump { __typename ... on Counter { count } ... on NotAllowedError { message } } }"
RESET = """mutation { counterReset { __typename ... on Counter { count } ... on NotAllowedError { message }
  ... on ConflictError { code } } }"""


@pytest.fixture(autouse=True)
def no_runs() -> Iterator[None]:
    declared.RUNS.clear()
    yield
    declared.RUNS.clear()


def execute(engine: Engine, query: str, roles: set[str], actor: Any, **variables: Any) -> dict[str, Any]:
    """Run ``query`` on the schema of ``roles`` as ``actor``, who need not hold those roles."""
    result = engine.schema_for(frozenset(roles)).execute_sync(
        query, variable_values=variables, context_value=Context(actor=actor)
    )
    assert not result.errors, result.errors
    return result.data or {}


def staff_schema(engine: Engine) -> Any:
    return engine.schema_for(frozenset({"staff"}))._schema


# --- what the decorator reads -------------------------------------------------------------


def test_declared_mutation_takes_its_input_from_the_annotation_and_its_description_from_the_docstring(
    engine,
) -> None:
    schema = staff_schema(engine)
    field = schema.mutation_type.fields["lessonRename"]
    assert field.description == "Give a lesson a new title. The reply holds the title it had before."
    assert (str(field.args["input"].type), str(field.type)) == ("LessonRenameInput!", "LessonRenameResult!")
    members = [member.name for member in schema.type_map["LessonRenameResult"].types]
    assert members == ["LessonRenamed", "ValidationError", "NotAllowedError", "NotFoundError", "ConflictError"]
    payload = schema.type_map["LessonRenamed"].fields
    assert {name: str(field.type) for name, field in payload.items()} == {"lesson": "Lesson", "previous": "String!"}


def test_mutation_without_data_has_no_input_and_a_type_payload_is_the_result(engine) -> None:
    schema = staff_schema(engine)
    bump, reset = schema.mutation_type.fields["counterBump"], schema.mutation_type.fields["counterReset"]
    assert (bump.args, str(bump.type), str(reset.type)) == ({}, "CounterBumpResult!", "CounterResult!")
    members = [member.name for member in schema.type_map["CounterResult"].types]
    assert members == ["Counter", "NotAllowedError", "ConflictError"]


def test_roles_decide_who_sees_a_mutation(engine) -> None:
    resident = engine.schema_for(frozenset({"resident"})).as_str()
    visitor = engine.schema_for(frozenset({"anonymous"})).as_str()
    assert "lessonRename" not in resident and "counterReset" not in resident
    assert "counterBump" in visitor and "counterReset" not in visitor


def test_a_mutation_without_a_docstring_is_refused() -> None:
    def undocumented(context: Context, data: LessonRenameInput) -> Outcome:
        return Outcome(1)

    with pytest.raises(TypeError, match="lessonRetitle: .*needs a docstring"):
        Mutations().add("lessonRetitle", roles={"staff"}, payload="LessonRetitled")(undocumented)


def test_a_mutation_whose_data_has_no_annotation_is_refused() -> None:
    def unannotated(context: Context, data) -> Outcome:  # type: ignore[no-untyped-def]
        """Retitle a lesson."""
        return Outcome(1)

    with pytest.raises(TypeError, match="annotate .*data with its input type"):
        Mutations().add("lessonRetitle", roles={"staff"}, payload="LessonRetitled")(unannotated)


def test_a_mutation_taking_other_arguments_is_refused() -> None:
    def odd(context: Context, data: LessonRenameInput, more: int) -> Outcome:
        """Retitle a lesson."""
        return Outcome(1)

    with pytest.raises(TypeError, match=r"must take \(context\) or \(context, data\)"):
        Mutations().add("lessonRetitle", roles={"staff"}, payload="LessonRetitled")(odd)


def test_extra_fields_on_a_type_payload_are_refused() -> None:
    with pytest.raises(TypeError, match="counterSet: resource, node and extra go with a payload name"):
        Mutations().add("counterSet", roles={"staff"}, payload=Counter, extra={"previous": int})


def test_errors_without_not_allowed_are_refused() -> None:
    with pytest.raises(TypeError, match="must include NotAllowedError"):
        Mutations().add("counterSet", roles={"staff"}, payload=Counter, errors=(ValidationError,))


def test_the_collection_keeps_declaration_order_and_returns_the_function_unchanged() -> None:
    collection = Mutations()

    def first(context: Context) -> Counter:
        """Count."""
        return Counter(count=1)

    def second(context: Context) -> Counter:
        """Count again."""
        return Counter(count=2)

    assert collection.add("counterFirst", roles={"staff"}, payload=Counter)(first) is first
    collection.add("counterSecond", roles={"staff"}, payload=Counter)(second)
    assert [spec.name for spec in Mutations(collection, declared.mutations)][:2] == ["counterFirst", "counterSecond"]


# --- the node's resource -------------------------------------------------------------------


def spec_for(payload: str, **node: str) -> Any:
    def run(context: Context, data: LessonRenameInput) -> Outcome:
        """Do something to a lesson."""
        return Outcome(1)

    collection = Mutations()
    collection.add("lessonTouch", roles={"staff"}, payload=payload, **node)(run)
    return next(iter(collection))


RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCES}


def engine_over(settings: Any, *specs: Any) -> Engine:
    return Engine(settings, resources=[*accounts.RESOURCES, *RESOURCES], mutations=specs)


@pytest.mark.parametrize(
    ("payload", "node", "resource", "field"),
    [
        ("LessonRenamed", {}, "Lesson", "lesson"),
        ("LessonThemeLinked", {}, "LessonTheme", "lessonTheme"),
        ("LessonThemed", {}, "Lesson", "lesson"),
        ("LessonActionAdded", {"resource": "Action", "node": "action"}, "Action", "action"),
        ("LessonTouched", {"node": "touched"}, "Lesson", "touched"),
    ],
)
def test_the_node_defaults_to_the_resource_whose_name_begins_the_payload(payload, node, resource, field) -> None:
    bound = bind(spec_for(payload, **node), RESOURCES_BY_NAME)
    assert (bound.resource, bound.node_field) == (resource, field)


@pytest.mark.parametrize(
    ("payload", "node", "message"),
    [
        ("TeamsMerged", {}, "no resource's name begins 'TeamsMerged'; name it with resource="),
        ("LessonTouched", {"resource": "Lessons"}, "its resource 'Lessons' is not declared"),
    ],
)
def test_an_unknown_resource_stops_the_engine(settings, payload, node, message) -> None:
    with pytest.raises(DeclarationError) as raised:
        engine_over(settings, spec_for(payload, **node))
    assert raised.value.mistakes == [f"mutation lessonTouch: {message}"]


def test_two_mutations_of_one_name_stop_the_engine(settings) -> None:
    with pytest.raises(DeclarationError) as raised:
        engine_over(settings, spec_for("LessonTouched"), spec_for("LessonTouched"))
    assert raised.value.mistakes == ["mutation lessonTouch: declared more than once"]


def test_a_mutation_of_a_type_payload_needs_no_resource(settings) -> None:
    engine = engine_over(settings, *declared.mutations)
    assert {spec.name: spec.resource for spec in engine.mutations}["counterBump"] is None


# --- what every mutation's resolver does ---------------------------------------------------


def test_the_payload_holds_the_node_and_the_extra_values(engine, lessons_log) -> None:
    (lesson_id,) = lessons_log(1)
    data = execute(engine, RENAME, {"staff"}, STAFF, id=str(lesson_id), title="Damp")
    assert data["lessonRename"] == {
        "__typename": "LessonRenamed",
        "lesson": {"title": "Damp"},
        "previous": "Lesson 0001",
    }


def test_a_domain_error_is_its_typed_error(engine, lessons_log) -> None:
    (lesson_id,) = lessons_log(1)
    blank = execute(engine, RENAME, {"staff"}, STAFF, id=str(lesson_id), title="   ")
    assert blank["lessonRename"] == {"__typename": "ValidationError", "field": "title", "code": "required"}
    missing = execute(engine, RENAME, {"staff"}, STAFF, id="999999999", title="Damp")
    assert missing["lessonRename"]["__typename"] == "NotFoundError"


def test_someone_not_signed_in_is_refused_before_the_service_runs(engine, lessons_log) -> None:
    (lesson_id,) = lessons_log(1)
    data = execute(engine, RENAME, {"staff"}, ANONYMOUS, id=str(lesson_id), title="Damp")
    assert data["lessonRename"] == {"__typename": "NotAllowedError", "message": "You need to sign in to do that."}
    assert declared.RUNS == []
    assert Lesson.get_by_id(lesson_id).title == "Lesson 0001"


def test_visitors_run_a_mutation_open_to_them(engine) -> None:
    assert execute(engine, BUMP, {"anonymous"}, ANONYMOUS)["counterBump"] == {"__typename": "Counter", "count": 1}
    assert declared.RUNS == [("counterBump", None)]


def test_a_read_only_token_is_refused_before_the_service_runs(engine) -> None:
    reader = actor_for("staff", scope="read")
    data = execute(engine, BUMP, {"staff"}, reader)
    assert data["counterBump"]["__typename"] == "NotAllowedError"
    assert declared.RUNS == []


def test_a_type_payload_is_returned_as_the_service_made_it(engine) -> None:
    assert execute(engine, RESET, {"staff"}, STAFF)["counterReset"] == {
        "__typename": "ConflictError",
        "code": "nothing_counted",
    }
    execute(engine, BUMP, {"staff"}, STAFF)
    assert execute(engine, RESET, {"staff"}, STAFF)["counterReset"] == {"__typename": "Counter", "count": 0}


# --- nothing declared and forgotten ----------------------------------------------------------


def declared_collections() -> dict[str, Mutations]:
    """Every Mutations collection a module of the schema package holds, by module."""
    found = {}
    for module_info in pkgutil.walk_packages(schema.__path__, "schema."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, Mutations):
                found[f"{module_info.name}.{name}"] = value
    return found


def test_every_declared_mutation_is_served(app) -> None:
    collections = declared_collections()
    assert "schema.complaints.leaflets.mutations" in collections  # the scan sees the modules
    served = {spec.name for spec in app.extensions["learnloop.engine"].mutations}
    forgotten = sorted(
        f"{where}: {spec.name}" for where, specs in collections.items() for spec in specs if spec.name not in served
    )
    assert forgotten == []
