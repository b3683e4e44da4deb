"""Declarations: what the engine fills in from the models, and the mistakes it refuses when it is made."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import strawberry

from backend.audit.models import AuditEvent
from schema import accounts
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import RESIDENTS, Access, Column, Computed, Resource, ToMany, ToOne, kind_of
from schema.engine.engine import Engine
from schema.engine.mutations import Mutations, MutationSpec, Outcome
from schema.engine.validate import DeclarationError
from tests.engine.models import RESOURCES, Action, Lesson, LessonTheme, Team, open_actions
from tests.engine.mutations import LessonRenameInput


def engine_over(
    settings: Any,
    *resources: Resource,
    mutations: list[MutationSpec] | None = None,
    queries: tuple[type, ...] = (),
) -> Engine:
    return Engine(
        settings,
        resources=[*accounts.RESOURCES, *resources],
        mutations=mutations or [],
        query_bases=(*accounts.QUERIES, *queries),
    )


@only_for({"manager"})
@strawberry.type
class ManagersQuery:
    @strawberry.field(description="Something only managers may ask.")
    def managers_note(self) -> str:
        return "note"


def changed(name: str, **changes: Any) -> list[Resource]:
    """The engine's test resources, with ``name`` changed."""
    return [replace(r, **changes) if r.name == name else r for r in RESOURCES]


def with_member(name: str, member_name: str, member: Any) -> list[Resource]:
    """The engine's test resources, with one member of ``name`` declared differently."""
    resource = next(r for r in RESOURCES if r.name == name)
    members = [member if m.name == member_name else m for m in resource.members]
    return changed(name, members=members)


def refusal(settings: Any, resources: list[Resource], mutations: list[MutationSpec] | None = None) -> str:
    with pytest.raises(DeclarationError) as raised:
        engine_over(settings, *resources, mutations=mutations)
    return str(raised.value)


def member_of(engine: Engine, resource: str, name: str) -> Any:
    return next(m for m in engine.resources[resource].members if m.name == name)


# --- what the engine fills in -----------------------------------------------------------------


def test_to_one_takes_its_key_and_target_from_the_model(settings) -> None:
    engine = engine_over(settings, *RESOURCES)
    assert member_of(engine, "Lesson", "team") == ToOne("team", fk="team", target="Team", residents=True)
    assert member_of(engine, "Lesson", "owner") == ToOne("owner", fk="owner", target="Person")


def test_to_one_named_apart_from_its_key_takes_the_target_from_the_key(settings) -> None:
    action = next(r for r in RESOURCES if r.name == "Action")
    members = [ToOne("parent", fk="lesson") if m.name == "lesson" else m for m in action.members]
    engine = engine_over(settings, *changed("Action", members=members, access={"staff": Access()}))
    assert member_of(engine, "Action", "parent") == ToOne("parent", fk="lesson", target="Lesson")


def test_to_many_follows_the_peewee_back_reference(settings) -> None:
    assert Lesson.actions.field is Action.lesson  # the back-reference the member is named after
    engine = engine_over(settings, *RESOURCES)
    assert member_of(engine, "Lesson", "actions") == ToMany("actions", target="Action", fk="lesson", residents=True)


def test_to_many_without_a_back_reference_takes_the_one_key_pointing_here(settings) -> None:
    assert not hasattr(Team, "lessons")
    engine = engine_over(settings, *RESOURCES)
    assert member_of(engine, "Team", "lessons") == ToMany("lessons", target="Lesson", fk="team")


def test_to_many_with_a_target_takes_its_one_key_pointing_here(settings) -> None:
    engine = engine_over(settings, *RESOURCES)
    assert member_of(engine, "Lesson", "themes") == ToMany("themes", target="LessonTheme", fk="lesson", residents=True)


def test_inferred_relations_serve_the_same_schema_as_explicit_ones(settings) -> None:
    explicit = with_member("Lesson", "team", ToOne("team", fk="team", target="Team", residents=True))
    explicit = [
        replace(
            r,
            members=[
                ToMany("actions", target="Action", fk="lesson", residents=True) if m.name == "actions" else m
                for m in r.members
            ],
        )
        if r.name == "Lesson"
        else r
        for r in explicit
    ]
    inferred = engine_over(settings, *RESOURCES)
    written = engine_over(settings, *explicit)
    for roles in ({"staff"}, {"resident"}, {"anonymous"}):
        assert inferred.schema_for(frozenset(roles)).as_str() == written.schema_for(frozenset(roles)).as_str()


def test_long_text_is_neither_filtered_nor_sorted_unless_declared(settings) -> None:
    lesson = engine_over(settings, *RESOURCES).resources["Lesson"]
    assert (lesson.member("internalNote").filterable, lesson.member("internalNote").sortable) == (False, False)
    assert (lesson.member("title").filterable, lesson.member("title").sortable) == (True, True)
    sortable = with_member("Lesson", "internal_note", Column("internal_note", sortable=True))
    note = engine_over(settings, *sortable).resources["Lesson"].member("internalNote")
    assert (note.filterable, note.sortable) == (False, True)
    sdl = engine_over(settings, *RESOURCES).schema_for(frozenset({"staff"})).as_str()
    assert "internalNote" not in sdl.split("input LessonWhere {")[1].split("}")[0]
    assert "internalNote" not in sdl.split("enum LessonSortField {")[1].split("}")[0]


def test_a_json_column_takes_its_kind_from_the_model() -> None:
    assert kind_of(AuditEvent.changes) == "json"
    assert kind_of(Lesson.internal_note) == "string"


# --- fields shown per role ----------------------------------------------------------------------


def test_residents_see_the_members_marked_for_them(settings) -> None:
    sdl = engine_over(settings, *RESOURCES).schema_for(frozenset({"resident"})).as_str()
    lesson = sdl.split("type Lesson {")[1].split("}")[0]
    for shown in ("title", "status", "impact", "openedOn", "team", "actions(", "actionsCount(", "themes("):
        assert shown in lesson
    for kept in ("score", "createdAt", "internalNote", "openActions", "owner"):
        assert kept not in lesson


def test_a_member_only_for_some_roles_is_kept_from_the_others(settings) -> None:
    resources = with_member("Lesson", "internal_note", Column("internal_note", only_for=frozenset({"manager"})))
    engine = engine_over(settings, *resources)
    assert "internalNote" not in engine.schema_for(frozenset({"staff"})).as_str()
    assert "internalNote" in engine.schema_for(frozenset({"manager"})).as_str()
    assert "internalNote" in engine.schema_for(frozenset({"staff", "manager"})).as_str()


def test_a_root_query_type_only_for_some_roles_is_kept_from_the_others(settings) -> None:
    engine = engine_over(settings, *RESOURCES, queries=(ManagersQuery,))
    assert "managersNote" not in engine.schema_for(frozenset({"staff"})).as_str()
    assert "managersNote" not in engine.schema_for(frozenset({"anonymous"})).as_str()
    assert "managersNote" in engine.schema_for(frozenset({"manager"})).as_str()
    assert "managersNote" in engine.schema_for(frozenset({"staff", "manager"})).as_str()
    # Query types served to everyone stay in every schema.
    assert "viewer:" in engine.schema_for(frozenset({"anonymous"})).as_str()


def test_a_computed_member_declared_never_null_is_typed_non_null(settings) -> None:
    member = Computed("open_actions", "Actions not yet done.", kind="int", sql=open_actions, null=False)
    engine = engine_over(settings, *with_member("Lesson", "open_actions", member))
    lesson = engine.schema_for(frozenset({"staff"})).as_str().split("type Lesson {")[1].split("}")[0]
    assert "openActions: Int!" in lesson


def test_a_hidden_member_is_never_shown_but_row_filters_may_use_it(settings) -> None:
    resources = with_member("Lesson", "status", Column("status", hidden=True))
    engine = engine_over(settings, *resources)
    assert "status:" not in engine.schema_for(frozenset({"staff"})).as_str().split("type Lesson {")[1].split("}")[0]
    assert engine.grants(frozenset({"resident"}))["Lesson"].where == {"status": {"eq": "published"}}


# --- mistakes refused at start-up ----------------------------------------------------------------


def test_a_misspelt_target_is_refused(settings) -> None:
    message = refusal(settings, with_member("Lesson", "team", ToOne("team", target="Teams")))
    assert "Lesson.team: its target 'Teams' is not a declared resource" in message


def test_a_to_one_target_over_another_model_is_refused(settings) -> None:
    message = refusal(settings, with_member("Lesson", "team", ToOne("team", target="Theme")))
    assert "Lesson.team: its target Theme serves Theme, but team points at Team" in message


def test_a_to_one_on_a_column_that_is_no_foreign_key_is_refused(settings) -> None:
    message = refusal(settings, with_member("Lesson", "team", ToOne("team", fk="title")))
    assert "Lesson.team: Lesson.title is not a foreign key" in message


def test_swapped_to_many_arguments_are_refused(settings) -> None:
    message = refusal(settings, with_member("Lesson", "actions", ToMany("actions", target="lesson", fk="Action")))
    assert "Lesson.actions: its target 'lesson' is not a declared resource" in message


def test_a_to_many_key_that_does_not_point_back_is_refused(settings) -> None:
    # LessonTheme.lesson points at lessons, not themes.
    message = refusal(settings, with_member("Theme", "lessons", ToMany("lessons", target="LessonTheme", fk="lesson")))
    assert "Theme.lessons: fk 'lesson' must be LessonTheme's foreign key to Theme" in message


def test_a_to_many_the_models_cannot_settle_asks_for_its_target(settings) -> None:
    message = refusal(settings, with_member("Lesson", "themes", ToMany("themes")))
    assert "Lesson.themes: Lesson has no back-reference named 'themes'" in message
    assert "(Action.lesson, LessonTheme.lesson): say which with target=" in message


def test_two_resources_over_one_model_need_the_target_named(settings) -> None:
    second = Resource(name="Squad", plural="squads", model=Team, members=[Column("name")], access={"staff": Access()})
    message = refusal(settings, [*RESOURCES, second])
    assert "Lesson.team: Team, Squad are all declared over Team: say which with target=" in message
    engine_over(settings, *with_member("Lesson", "team", ToOne("team", target="Team", residents=True)), second)


def test_an_unknown_field_in_an_access_is_refused(settings) -> None:
    message = refusal(settings, changed("Action", access={"staff": Access(("title", "dueOm"))}))
    assert "Action access for 'staff': 'dueOm' is not a member of Action" in message


def test_a_count_in_an_access_is_refused_with_its_list_named(settings) -> None:
    message = refusal(settings, changed("Team", access={"staff": Access(("name", "lessonsCount"))}))
    assert "Team access for 'staff': 'lessonsCount' is not a member of Team (a count comes with its list" in message


def test_residents_in_an_access_without_a_marked_member_is_refused(settings) -> None:
    message = refusal(settings, changed("Action", access={"resident": Access(RESIDENTS)}))
    assert "Action access for 'resident': RESIDENTS, but no member of Action is marked residents=True" in message


def test_an_unknown_name_in_a_row_filter_is_refused_through_relations(settings) -> None:
    where = {"lesson": {"themes": {"some": {"theme": {"nmae": {"eq": "Damp"}}}}}}
    message = refusal(settings, changed("Action", access={"resident": Access(where=where)}))
    assert "Action access for 'resident': where.lesson.themes.some.theme.nmae: Theme has no member 'nmae'" in message


def test_a_bad_operator_or_viewer_variable_in_a_row_filter_is_refused(settings) -> None:
    where = {"title": {"equals": "x"}, "lesson": {"owner": {"id": {"eq": "$viewer.homeid"}}}}
    message = refusal(settings, changed("Action", access={"resident": Access(where=where)}))
    assert "Action access for 'resident': where.title.equals: not an operator for a string field" in message
    assert "where.lesson.owner.id.eq: unknown '$viewer.homeid'" in message


def test_an_unknown_role_is_refused(settings) -> None:
    message = refusal(settings, changed("Team", access={"staf": Access()}))
    assert "Team access for 'staf': unknown role 'staf'" in message


def test_a_root_query_type_for_an_unknown_role_is_refused(settings) -> None:
    @only_for({"managr"})
    @strawberry.type
    class MisspeltQuery:
        @strawberry.field(description="Never served.")
        def misspelt(self) -> str:
            return ""

    with pytest.raises(DeclarationError) as raised:
        engine_over(settings, *RESOURCES, queries=(MisspeltQuery,))
    assert "query type MisspeltQuery: unknown role 'managr'" in str(raised.value)


def test_a_mutation_on_an_unknown_resource_is_refused(settings) -> None:
    declared = Mutations()

    @declared.add("lessonClose", roles={"staff"}, payload="LessonClosed", resource="Lessons")
    def close(context: Context, data: LessonRenameInput) -> Outcome:
        """Close a lesson."""
        return Outcome(1)

    message = refusal(settings, RESOURCES, list(declared))
    assert "mutation lessonClose: its resource 'Lessons' is not declared" in message


def test_every_mistake_is_listed_at_once(settings) -> None:
    resources = with_member("Lesson", "team", ToOne("team", target="Teams"))
    resources = [replace(r, access={"staf": Access()}) if r.name == "Team" else r for r in resources]
    with pytest.raises(DeclarationError) as raised:
        engine_over(settings, *resources)
    assert len(raised.value.mistakes) == 2
    assert any("Lesson.team" in m for m in raised.value.mistakes) and any("'staf'" in m for m in raised.value.mistakes)


def test_the_test_models_are_declared_without_mistakes(settings) -> None:
    engine = engine_over(settings, *RESOURCES)
    assert set(engine.resources) >= {"Team", "Theme", "Lesson", "Action", "LessonTheme"}
    assert LessonTheme.lesson.rel_model is Lesson
