"""/graphql: the viewer, bearer tokens, CSRF rules, GraphiQL access, limits and masked errors."""

from __future__ import annotations

import pytest

from backend.accounts.models import ApiToken
from backend.accounts.tokens import TOKEN_PREFIX, authenticate_token
from tests import factories
from tests.conftest import Browser

VIEWER = "{ viewer { isAuthenticated email roles locale viaToken tokenScope } }"


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_viewer_for_anonymous_visitor(browser: Browser) -> None:
    response = browser.graphql(VIEWER)
    assert response.status_code == 200
    viewer = response.json["data"]["viewer"]
    assert viewer["isAuthenticated"] is False and viewer["roles"] == []


def test_viewer_for_signed_in_user_lists_roles_and_locale(signed_in, browser: Browser) -> None:
    user = signed_in("resident", "panel_member", locale="cy")
    viewer = browser.graphql(VIEWER).json["data"]["viewer"]
    assert viewer == {
        "isAuthenticated": True,
        "email": user.email,
        "roles": ["panel_member", "resident"],
        "locale": "cy",
        "viaToken": False,
        "tokenScope": None,
    }


def test_viewer_locale_follows_accept_language_without_preference(browser: Browser) -> None:
    viewer = browser.graphql(VIEWER, headers={"Accept-Language": "cy-GB,cy;q=0.9"}).json["data"]["viewer"]
    assert viewer["locale"] == "cy"


def test_bearer_token_acts_as_its_owner(browser: Browser) -> None:
    owner = factories.make_user("staff")
    token, plain = factories.make_token(owner, "read")
    viewer = browser.client.post("/graphql", json={"query": VIEWER}, headers=bearer(plain)).json["data"]["viewer"]
    assert viewer["email"] == owner.email and viewer["viaToken"] is True and viewer["tokenScope"] == "read"
    assert ApiToken.get_by_id(token.id).last_used_at is not None


def test_token_is_stored_hashed_and_shown_once() -> None:
    token, plain = factories.make_token()
    assert plain.startswith(TOKEN_PREFIX)
    stored = ApiToken.get_by_id(token.id)
    assert plain not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    assert authenticate_token(plain) is not None


@pytest.mark.parametrize("header", ["Bearer llt_unknown", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer x" * 3])
def test_unknown_or_malformed_token_gets_401_json(browser: Browser, header: str) -> None:
    response = browser.client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_revoked_token_gets_401(browser: Browser) -> None:
    admin = factories.make_user("admin")
    token, plain = factories.make_token(admin, "write")
    mutation = "mutation($id: ID!) { apiTokenRevoke(input: {id: $id}) { __typename } }"
    revoked = browser.client.post(
        "/graphql", json={"query": mutation, "variables": {"id": str(token.id)}}, headers=bearer(plain)
    )
    assert revoked.json["data"]["apiTokenRevoke"]["__typename"] == "NotAllowedError"  # tokens can't manage tokens
    from backend.accounts.tokens import actor_for_user, revoke_token

    revoke_token(actor_for_user(admin), token.id)
    assert browser.client.post("/graphql", json={"query": VIEWER}, headers=bearer(plain)).status_code == 401


def test_deactivated_owner_makes_token_useless(browser: Browser) -> None:
    owner = factories.make_user("staff")
    _token, plain = factories.make_token(owner, "read")
    owner.is_active = False
    owner.save()
    assert browser.client.post("/graphql", json={"query": VIEWER}, headers=bearer(plain)).status_code == 401


def test_read_token_cannot_mutate(browser: Browser) -> None:
    owner = factories.make_user("resident")
    _token, plain = factories.make_token(owner, "read")
    mutation = 'mutation { viewerProfileUpdate(input: {displayName: "Changed"}) { __typename } }'
    result = browser.client.post("/graphql", json={"query": mutation}, headers=bearer(plain)).json
    # A read token's schema has no mutations at all.
    assert result["errors"] and not result.get("data")
    from backend.accounts.models import User

    assert User.get_by_id(owner.id).display_name != "Changed"


def test_write_token_can_mutate_and_wins_over_a_cookie_session(signed_in, browser: Browser) -> None:
    signed_in("resident")
    owner = factories.make_user("resident")
    _token, plain = factories.make_token(owner, "write")
    mutation = (
        'mutation { viewerProfileUpdate(input: {displayName: "Changed"}) { __typename ... on Viewer { email } } }'
    )
    response = browser.client.post("/graphql", json={"query": mutation}, headers=bearer(plain))
    assert response.json["data"]["viewerProfileUpdate"] == {"__typename": "Viewer", "email": owner.email}


def test_mutation_errors_are_typed_and_in_the_viewers_language(signed_in, browser: Browser) -> None:
    signed_in("resident", locale="cy")
    mutation = 'mutation { viewerProfileUpdate(input: {locale: "tlh"}) { __typename ... on ValidationError { field code message } } }'
    result = browser.graphql(mutation).json["data"]["viewerProfileUpdate"]
    assert result["__typename"] == "ValidationError"
    assert (result["field"], result["code"]) == ("locale", "unsupported")
    english = "Choose one of the languages on the list."
    assert result["message"] and result["message"] != english


def test_cookie_post_with_form_body_and_no_csrf_header_is_refused(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.post("/graphql", data={"query": VIEWER})
    assert response.status_code == 403
    assert response.json["errors"][0]["extensions"]["code"] == "CSRF"


def test_cookie_post_with_form_body_and_csrf_header_passes_the_csrf_gate(signed_in, browser: Browser) -> None:
    signed_in("resident")
    token = browser.csrf("/account")
    response = browser.client.post("/graphql", data={"query": VIEWER}, headers={"X-CSRF-Token": token})
    # Past the gate, the GraphQL view itself accepts only JSON bodies.
    assert response.status_code == 400
    assert "content type" in response.get_data(as_text=True).lower()


def test_cookie_post_with_a_forged_csrf_header_is_refused(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.post("/graphql", data={"query": VIEWER}, headers={"X-CSRF-Token": "forged"})
    assert response.status_code == 403


def test_mutation_over_get_is_refused(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.get(
        "/graphql",
        query_string={"query": 'mutation { viewerProfileUpdate(input: {displayName: "Via GET"}) { __typename } }'},
    )
    assert response.status_code in (400, 405)


def test_query_over_get_is_allowed(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.get("/graphql", query_string={"query": VIEWER})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("roles", "status"),
    [((), 401), (("resident",), 403), (("panel_member",), 403), (("staff",), 200), (("admin",), 200)],
)
def test_graphiql_is_served_to_signed_in_staff_only(signed_in, browser: Browser, roles, status) -> None:
    if roles:
        signed_in(*roles)
    response = browser.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    if status == 200:
        assert "graphiql" in response.get_data(as_text=True).lower()


def test_introspection_is_off_for_anonymous_visitors(browser: Browser) -> None:
    result = browser.graphql("{ __schema { queryType { name } } }").json
    assert result.get("errors") and not result.get("data")


def test_introspection_is_on_for_signed_in_users(signed_in, browser: Browser) -> None:
    signed_in("staff")
    result = browser.graphql("{ __schema { queryType { name } } }").json
    assert result["data"]["__schema"]["queryType"]["name"] == "Query"


def test_depth_limit_names_the_limit(settings) -> None:
    from schema.app import build_engine
    from schema.context import Context

    schema = build_engine(settings.with_overrides(graphql_max_depth=1)).schema_for(frozenset({"manager"}))
    result = schema.execute_sync("query Deep { auditEvents { events { id } } }", context_value=Context())
    assert "exceeds maximum operation depth of 1" in result.errors[0].message
    assert not schema.execute_sync("query Shallow { viewer { locale } }", context_value=Context()).errors


def test_alias_limit_names_the_limit(browser: Browser, settings) -> None:
    aliases = " ".join(f"a{n}: viewer {{ locale }}" for n in range(settings.graphql_max_aliases + 1))
    result = browser.graphql("{ " + aliases + " }").json
    assert "aliases" in result["errors"][0]["message"].lower()


def test_token_limit_names_the_limit(browser: Browser, settings) -> None:
    query = "{ viewer { " + "locale " * (settings.graphql_max_tokens + 1) + "} }"
    result = browser.graphql(query).json
    assert "token" in result["errors"][0]["message"].lower()


def test_unexpected_error_is_masked_with_a_request_id(signed_in, browser: Browser, monkeypatch, caplog) -> None:
    signed_in("admin")

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("schema.engine.build.fetch_page", explode)
    response = browser.graphql("{ apiTokens { totalCount } }", headers={"X-Request-ID": "req-12345678"})
    error = response.json["errors"][0]
    assert error["message"] == "Unexpected error."
    assert "secret internals" not in response.get_data(as_text=True)
    assert error["extensions"] == {"code": "INTERNAL_ERROR", "requestId": "req-12345678"}
    assert response.headers["X-Request-ID"] == "req-12345678"
    assert any("req-12345678" in r.getMessage() for r in caplog.records)


def test_api_token_create_by_admin_through_graphql(signed_in, browser: Browser) -> None:
    signed_in("admin")
    owner = factories.make_user("staff")
    mutation = """mutation($input: ApiTokenCreateInput!) { apiTokenCreate(input: $input) {
        __typename ... on ApiTokenCreated { secret token { owner { email } scope } } } }"""
    result = browser.graphql(mutation, {"input": {"ownerEmail": owner.email, "scope": "write", "name": "CRM"}}).json
    created = result["data"]["apiTokenCreate"]
    assert created["token"] == {"owner": {"email": owner.email}, "scope": "write"}
    assert authenticate_token(created["secret"])[1].id == owner.id


def test_api_token_create_for_someone_else_is_refused_to_non_admin(signed_in, browser: Browser) -> None:
    signed_in("staff")
    other = factories.make_user("staff")
    mutation = """mutation($input: ApiTokenCreateInput!) { apiTokenCreate(input: $input) { __typename } }"""
    result = browser.graphql(mutation, {"input": {"ownerEmail": other.email, "scope": "read"}}).json
    # The same answer as for an address with no account, so it reveals nothing.
    assert result["data"]["apiTokenCreate"]["__typename"] == "NotFoundError"
    assert ApiToken.select().count() == 0


def test_audit_events_are_absent_from_residents_schema(signed_in, browser: Browser) -> None:
    signed_in("resident")
    result = browser.graphql("{ auditEvents { totalCount } }").json
    assert "Cannot query field 'auditEvents'" in result["errors"][0]["message"]


def test_audit_events_page_for_managers(signed_in, browser: Browser) -> None:
    signed_in("manager")
    from backend.accounts.services import create_user
    from backend.context import SYSTEM

    for n in range(3):
        create_user(SYSTEM, f"audited{n}@example.net", "A", ["resident"])
    query = "query($after: String) { auditEvents(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id action } } }"
    page = browser.graphql(query).json["data"]["auditEvents"]
    assert len(page["nodes"]) == 2 and page["pageInfo"]["hasNextPage"]
    older = browser.graphql(query, {"after": page["pageInfo"]["endCursor"]}).json["data"]["auditEvents"]["nodes"]
    assert older and {n["id"] for n in older}.isdisjoint({n["id"] for n in page["nodes"]})
