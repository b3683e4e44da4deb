"""People, homes, roles, representation and tokens through the API, as each role sees them."""

from __future__ import annotations

import pytest

from backend.accounts.tokens import actor_for_user
from schema.context import Context
from tests import factories

PEOPLE = "{ people(first: 100) { totalCount nodes { id email displayName } } }"


@pytest.fixture
def run(app):
    engine = app.extensions["learnloop.engine"]

    def execute(actor, query, **variables):
        result = engine.schema_for_actor(actor).execute_sync(
            query, variable_values=variables, context_value=Context(actor=actor)
        )
        return result.data, list(result.errors or [])

    return execute


@pytest.fixture
def households():
    home = factories.make_home("wales")
    resident = factories.make_user("resident", home=home)
    neighbour = factories.make_user("resident", home=factories.make_home())
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    staff = factories.make_user("staff")
    return {"home": home, "resident": resident, "neighbour": neighbour, "advocate": advocate, "staff": staff}


def emails(data):
    return {n["email"] for n in data["people"]["nodes"]}


def test_resident_sees_only_themself(run, households) -> None:
    data, errors = run(actor_for_user(households["resident"]), PEOPLE)
    assert not errors and emails(data) == {households["resident"].email}


def test_advocate_sees_themself_and_the_residents_who_consented(run, households) -> None:
    data, _ = run(actor_for_user(households["advocate"]), PEOPLE)
    assert emails(data) == {households["advocate"].email, households["resident"].email}


def test_advocate_loses_sight_when_consent_is_revoked(run, households) -> None:
    from backend.accounts.models import Representation
    from backend.timeutil import utcnow

    Representation.update(revoked_at=utcnow()).execute()
    data, _ = run(actor_for_user(households["advocate"]), PEOPLE)
    assert emails(data) == {households["advocate"].email}


def test_staff_see_everyone(run, households) -> None:
    data, _ = run(actor_for_user(households["staff"]), PEOPLE)
    assert {p.email for p in households.values() if hasattr(p, "email")} <= emails(data)


def test_anonymous_visitors_have_no_people(run) -> None:
    from backend.context import ANONYMOUS

    _data, errors = run(ANONYMOUS, PEOPLE)
    assert "Cannot query field 'people'" in errors[0].message


def test_resident_sees_their_own_home_only(run, households) -> None:
    data, _ = run(actor_for_user(households["resident"]), "{ homes { nodes { reference nation } } }")
    assert data["homes"]["nodes"] == [{"reference": households["home"].reference, "nation": "wales"}]


def test_resident_cannot_see_who_else_lives_in_a_home(engine_sdl) -> None:
    assert "residents" not in engine_sdl("resident").split("type Home {")[1].split("}")[0]


@pytest.fixture
def engine_sdl(app):
    return lambda *roles: app.extensions["learnloop.engine"].schema_for(frozenset(roles)).as_str()


def test_person_fields_follow_the_role(engine_sdl) -> None:
    panel = engine_sdl("panel_member").split("type Person {")[1].split("}")[0]
    staff = engine_sdl("staff").split("type Person {")[1].split("}")[0]
    assert "isActive" not in panel and "isActive" in staff
    assert "represents" not in panel


def test_tokens_are_own_only_except_for_admins(run, households) -> None:
    factories.make_token(households["staff"])
    factories.make_token(households["resident"])
    query = "{ apiTokens { totalCount nodes { owner { email } } } }"
    own, _ = run(actor_for_user(households["staff"]), query)
    assert [n["owner"]["email"] for n in own["apiTokens"]["nodes"]] == [households["staff"].email]
    admin = factories.make_user("admin")
    everything, _ = run(actor_for_user(admin), query)
    assert everything["apiTokens"]["totalCount"] == 2


def test_person_roles_and_counts_in_one_query(run, households) -> None:
    data, errors = run(
        actor_for_user(households["staff"]),
        "{ people(first: 100) { nodes { email roles { role } rolesCount home { nation } } } }",
    )
    assert not errors
    resident = [n for n in data["people"]["nodes"] if n["email"] == households["resident"].email][0]
    assert resident == {
        "email": households["resident"].email,
        "roles": [{"role": "resident"}],
        "rolesCount": 1,
        "home": {"nation": "wales"},
    }


def test_search_people_by_name_prefix_ranks_matches(run, households) -> None:
    from backend.accounts.models import User

    User.update(display_name="Gwendolyn Pritchard").where(User.id == households["resident"].id).execute()
    User.update(display_name="Gwen Jones").where(User.id == households["neighbour"].id).execute()
    data, errors = run(
        actor_for_user(households["staff"]), '{ people(search: "gwen") { totalCount nodes { displayName } } }'
    )
    assert not errors, errors
    assert {n["displayName"] for n in data["people"]["nodes"]} == {"Gwendolyn Pritchard", "Gwen Jones"}
    data, _ = run(actor_for_user(households["staff"]), '{ people(search: "gwen prit") { nodes { displayName } } }')
    assert [n["displayName"] for n in data["people"]["nodes"]] == ["Gwendolyn Pritchard"]


@pytest.mark.parametrize("text", ['"', "gwen OR 1=1", "NEAR(a b)", "*", "'; DROP TABLE account; --", "a:*|b", "\\"])
def test_search_survives_hostile_input(run, households, text) -> None:
    data, errors = run(
        actor_for_user(households["staff"]), "query($q: String) { people(search: $q) { totalCount } }", q=text
    )
    assert not errors, errors
    assert data["people"]["totalCount"] >= 0


def test_search_respects_row_filters(run, households) -> None:
    data, _ = run(
        actor_for_user(households["resident"]),
        f'{{ people(search: "{households["neighbour"].display_name}") {{ totalCount }} }}',
    )
    assert data["people"]["totalCount"] == 0


def test_search_pages_in_rank_order(run, households) -> None:
    for n in range(7):
        factories.make_user("resident", email=f"searchable{n}@example.net")
    staff = actor_for_user(households["staff"])
    query = 'query($after: String) { people(search: "searchable", first: 3, after: $after) { pageInfo { hasNextPage endCursor } nodes { email } } }'
    seen, after = [], None
    while True:
        data, errors = run(staff, query, after=after)
        assert not errors, errors
        seen += [n["email"] for n in data["people"]["nodes"]]
        if not data["people"]["pageInfo"]["hasNextPage"]:
            break
        after = data["people"]["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(f"searchable{n}@example.net" for n in range(7)) and len(set(seen)) == 7


def test_token_mutation_returns_the_engine_node(run, households) -> None:
    staff = actor_for_user(households["staff"])
    data, errors = run(
        staff,
        """mutation {{ apiTokenCreate(input: {{ownerEmail: "{}", scope: read, name: "Report"}}) {{
        __typename ... on ApiTokenCreated {{ secret token {{ name owner {{ email }} }} }} }} }}""".format(
            households["staff"].email
        ),
    )
    assert not errors
    created = data["apiTokenCreate"]
    assert created["token"] == {"name": "Report", "owner": {"email": households["staff"].email}}


def test_people_aggregate_for_managers(run, households) -> None:
    manager = actor_for_user(factories.make_user("manager"))
    data, errors = run(manager, "{ peopleAggregate(groupBy: [contactChannel]) { key { contactChannel } count } }")
    assert not errors
    assert sum(g["count"] for g in data["peopleAggregate"]) >= 5


@pytest.mark.parametrize(
    ("role", "sees_everyone"),
    [
        ("resident", False),
        ("advocate", False),
        ("panel_member", False),
        ("staff", True),
        ("manager", True),
        ("admin", True),
    ],
)
def test_each_role_sees_the_people_it_should(run, role, sees_everyone) -> None:
    me = factories.make_user(role)
    other = factories.make_user("resident")
    data, errors = run(actor_for_user(me), PEOPLE)
    assert not errors
    seen = emails(data)
    assert me.email in seen
    assert (other.email in seen) is sees_everyone


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member", "staff", "manager"])
def test_each_role_sees_only_its_own_tokens(run, role) -> None:
    me = factories.make_user(role)
    factories.make_token(me)
    factories.make_token(factories.make_user("staff"))
    data, _ = run(actor_for_user(me), "{ apiTokens { totalCount nodes { owner { email } } } }")
    assert data["apiTokens"]["totalCount"] == 1
    assert data["apiTokens"]["nodes"][0]["owner"]["email"] == me.email
