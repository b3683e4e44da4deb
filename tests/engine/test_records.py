"""Generated create, update and archive mutations for a configuration resource."""

from __future__ import annotations

from backend.audit.models import AuditEvent
from tests.engine.conftest import actor_for
from tests.engine.models import Theme

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
